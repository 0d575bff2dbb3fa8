using System.Text.Json;
using System.Text.Json.Nodes;
using CiliumDash.Contract;
using CiliumDash.Testing;
using CiliumDash.Tests.Deploy;

namespace CiliumDash.Tests.Contract;

/// <summary>
/// The REST contract is generated (<c>/openapi/v1.json</c>, from the Contract records) and pinned: the checked-in
/// <c>openapi.v1.json</c> beside this file lists every published field; renaming or removing one fails here, adding
/// one does not. After an intended addition, regenerate the snapshot with
/// <c>tests/CiliumDash.Tests/Contract/regenerate-openapi.sh</c> (docs/api.md); the test itself only reads it.
/// </summary>
public sealed class OpenApiContractTests : IClassFixture<OpenApiContractTests.Server>
{
    /// <summary>The document as this build serves it, written beside the test assembly (never into the repository).</summary>
    public const string CurrentFileName = "openapi.v1.current.json";

    private static readonly string Pinned = Path.Combine(RepoPaths.Root, "tests", "CiliumDash.Tests", "Contract", "openapi.v1.json");

    private readonly Server _server;

    public OpenApiContractTests(Server server) => _server = server;

    public sealed class Server : DashboardFixture;

    [Fact]
    public async Task OpenApi_Served_EveryPinnedFieldStillPublished()
    {
        var current = await CurrentAsync();
        await File.WriteAllTextAsync(Path.Combine(AppContext.BaseDirectory, CurrentFileName), Normalized(current));
        using var pinned = JsonDocument.Parse(await File.ReadAllTextAsync(Pinned));

        var missing = OpenApiFields.Missing(pinned.RootElement, current);

        Assert.True(missing.Count == 0,
            $"/openapi/v1.json no longer publishes {missing.Count} pinned field(s) (fields may be added, never renamed or removed):\n  "
            + string.Join("\n  ", missing.Take(50))
            + $"\nIf the change is intended and only adds fields, regenerate the snapshot: tests/CiliumDash.Tests/Contract/regenerate-openapi.sh");
    }

    [Fact]
    public async Task OpenApi_EveryRestPath_Documented()
    {
        var fields = OpenApiFields.Of(await CurrentAsync());

        foreach (var op in new[] { "GET /api/v1/cluster", "GET /api/v1/nodes", "GET /api/v1/nodes/{name}", "GET /api/v1/controllers", "GET /api/v1/bpf-maps", "GET /api/v1/connectivity", "GET /api/v1/flows", "GET /api/v1/flows/summary", "POST /api/v1/embed-links" })
        {
            Assert.True(fields.ContainsKey(op), $"{op} is not in /openapi/v1.json");
            Assert.True(fields.Keys.Any(k => k.StartsWith(op + " 200 $.", StringComparison.Ordinal) || k.StartsWith(op + " 200 $[]", StringComparison.Ordinal)), $"{op} has no 200 JSON schema");
        }

        Assert.Contains("GET /api/v1/nodes/{name} 200 $.controllers[].lastFailure", fields.Keys);
        Assert.Contains("GET /api/v1/connectivity 200 $.pairs[].endpoint.icmpNs", fields.Keys);
        Assert.Contains("GET /api/v1/flows 200 $.flows[].source.namespace", fields.Keys);
    }

    [Fact]
    public async Task Missing_PropertyRenamedInDocument_NamesThePath()
    {
        var current = await CurrentAsync();
        var renamed = JsonNode.Parse(current.GetRawText())!;
        var properties = renamed["components"]!["schemas"]!["NodeRow"]!["properties"]!.AsObject();
        var version = properties["ciliumVersion"]!.DeepClone();
        properties.Remove("ciliumVersion");
        properties["version"] = version;

        var missing = OpenApiFields.Missing(current, JsonSerializer.SerializeToElement(renamed));

        Assert.Contains("missing: GET /api/v1/nodes 200 $[].ciliumVersion", missing);
        Assert.Empty(OpenApiFields.Missing(JsonSerializer.SerializeToElement(renamed), JsonSerializer.SerializeToElement(renamed)));
    }

    [Fact]
    public void ApiJsonContext_EveryContractRecord_SourceGenerated()
    {
        var contract = typeof(ApiJson).Assembly.GetTypes()
            .Where(t => t.Namespace == "CiliumDash.Contract" && t.IsPublic && t.Name.EndsWith("Dto", StringComparison.Ordinal)).ToList();

        Assert.NotEmpty(contract);
        Assert.All(contract, t => Assert.True(ApiJsonContext.Default.GetTypeInfo(t) is not null, $"{t.Name} is not in ApiJsonContext"));
    }

    private async Task<JsonElement> CurrentAsync()
    {
        using var doc = JsonDocument.Parse(await _server.Client.GetStringAsync("/openapi/v1.json"));
        return doc.RootElement.Clone();
    }

    /// <summary>The document without what depends on the run (the server's address), indented as checked in.</summary>
    private static string Normalized(JsonElement document)
    {
        var node = JsonNode.Parse(document.GetRawText())!.AsObject();
        node.Remove("servers");
        return node.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
    }
}
