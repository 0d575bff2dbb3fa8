using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.OpenApi;

namespace CiliumDash.Contract;

/// <summary>How the contract's records are named in <c>/openapi/v1.json</c>: the type name without its "Dto" suffix.</summary>
public static class ApiContract
{
    public static string? SchemaName(JsonTypeInfo type)
    {
        var name = OpenApiOptions.CreateDefaultSchemaReferenceId(type);
        return name is { Length: > 3 } n && n.EndsWith("Dto", StringComparison.Ordinal) ? n[..^3] : name;
    }
}
