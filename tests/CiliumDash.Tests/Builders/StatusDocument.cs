using System.Text.Json;
using System.Text.Json.Nodes;
using CiliumDash.Protocols.Agent;
using CiliumDash.Protocols.Json;

namespace CiliumDash.Tests.Builders;

/// <summary>
/// Agent status documents (<c>cilium-dbg status -o json</c>) built from the wire model with only the sections a test
/// names, so each test shows which fields it depends on. Null arguments leave the section out; <c>extra</c> edits the
/// serialized document for values the model cannot hold (wrong types, unknown fields).
/// </summary>
internal static class StatusDocument
{
    public static readonly DateTimeOffset LastSuccess = new(2022, 8, 1, 10, 0, 0, TimeSpan.Zero);

    public static string Build(
        string? ciliumState = "Ok",
        string ciliumMessage = "1.12.0 (v1.12.0-9447cd1)",
        string? kprMode = null,
        string? legacyHostRouting = null,
        string? intraHostRouting = null,
        string? nestedHubbleMetrics = null,
        string? topLevelHubbleMetrics = null,
        IReadOnlyList<ControllerStatus>? controllers = null,
        Action<JsonObject>? extra = null)
    {
        var document = new StatusResponse
        {
            Cilium = ciliumState is null ? null : new() { State = ciliumState, Msg = ciliumMessage },
            KubeProxyReplacement = kprMode is null ? null : new() { Mode = kprMode },
            HostRouting = legacyHostRouting is null ? null : new() { Mode = legacyHostRouting },
            Routing = intraHostRouting is null ? null : new() { IntraHostRoutingMode = intraHostRouting, InterHostRoutingMode = "Native" },
            Hubble = nestedHubbleMetrics is null ? null : new() { State = "Ok", Metrics = new() { State = nestedHubbleMetrics } },
            HubbleMetrics = topLevelHubbleMetrics is null ? null : new() { State = topLevelHubbleMetrics },
            Controllers = controllers,
        };
        if (extra is null)
        {
            return JsonSerializer.Serialize(document, CiliumJson.Context.StatusResponse);
        }

        var root = JsonSerializer.SerializeToNode(document, CiliumJson.Context.StatusResponse)!.AsObject();
        extra(root);
        return root.ToJsonString();
    }

    /// <summary>One entry of <c>controllers</c>; null counts and times are left out as Go's omitempty does.</summary>
    public static ControllerStatus Controller(
        string name = "sync-to-k8s-ciliumendpoint (1)",
        long? successCount = 10,
        long? failureCount = null,
        long? consecutiveFailureCount = null,
        string? lastFailureMessage = null,
        DateTimeOffset? lastSuccess = null,
        DateTimeOffset? lastFailure = null,
        bool omitTimes = false) => new()
        {
            Name = name,
            Configuration = new() { Interval = "10s", ErrorRetry = true, ErrorRetryBase = "2s" },
            Status = new()
            {
                SuccessCount = successCount,
                FailureCount = failureCount,
                ConsecutiveFailureCount = consecutiveFailureCount,
                LastFailureMsg = lastFailureMessage,
                LastSuccessTimestamp = omitTimes ? null : lastSuccess ?? LastSuccess,
                LastFailureTimestamp = omitTimes ? null : lastFailure ?? WireTime.Never,
            },
        };

    public static byte[] Utf8(string json) => System.Text.Encoding.UTF8.GetBytes(json);
}
