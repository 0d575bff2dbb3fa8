using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using CiliumDash.Protocols.Agent;
using CiliumDash.Protocols.Health;

namespace CiliumDash.Protocols.Json;

/// <summary>
/// Source-generated (de)serialization of the agent and cilium-health documents. Null properties are left out, as
/// Go's <c>omitempty</c> does; unknown properties are skipped when read.
/// </summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, MaxDepth = CiliumJson.MaxDepth)]
[JsonSerializable(typeof(StatusResponse))]
[JsonSerializable(typeof(HealthStatusResponse))]
public sealed partial class CiliumJsonContext : JsonSerializerContext;

/// <summary>The one configuration of the wire models, for the dashboard (reading) and the simulator (writing).</summary>
public static class CiliumJson
{
    /// <summary>Real documents nest 6 levels; deeper input is refused before it can cost stack.</summary>
    public const int MaxDepth = 64;

    /// <summary>
    /// Relaxed escaping keeps '"' as \" and '+' literal like Go's encoder. The context built on these options; its
    /// type infos (<c>Context.StatusResponse</c>, <c>Context.HealthStatusResponse</c>) are what both sides use.
    /// </summary>
    public static CiliumJsonContext Context { get; } = new(new JsonSerializerOptions
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        MaxDepth = MaxDepth,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
