using System.Text.Json.Nodes;

namespace CiliumDash.Tests.Builders;

/// <summary>
/// Hand-written agent status documents (<c>cilium-dbg status -o json</c>) with only the sections a test names, so
/// each test shows which wire fields it depends on. Null arguments leave the section out.
/// </summary>
internal static class StatusDocument
{
    public static string Build(
        string? ciliumState = "Ok",
        string ciliumMessage = "1.12.0 (v1.12.0-9447cd1)",
        string? kprMode = null,
        string? legacyHostRouting = null,
        string? intraHostRouting = null,
        string? nestedHubbleMetrics = null,
        string? topLevelHubbleMetrics = null,
        JsonArray? controllers = null,
        Action<JsonObject>? extra = null)
    {
        var root = new JsonObject();
        if (ciliumState is not null)
        {
            root["cilium"] = new JsonObject { ["state"] = ciliumState, ["msg"] = ciliumMessage };
        }

        if (kprMode is not null)
        {
            root["kube-proxy-replacement"] = new JsonObject { ["mode"] = kprMode };
        }

        if (legacyHostRouting is not null)
        {
            root["host-routing"] = new JsonObject { ["mode"] = legacyHostRouting };
        }

        if (intraHostRouting is not null)
        {
            root["routing"] = new JsonObject { ["intra-host-routing-mode"] = intraHostRouting, ["inter-host-routing-mode"] = "Native" };
        }

        if (nestedHubbleMetrics is not null)
        {
            root["hubble"] = new JsonObject { ["state"] = "Ok", ["metrics"] = new JsonObject { ["state"] = nestedHubbleMetrics } };
        }

        if (topLevelHubbleMetrics is not null)
        {
            root["hubble-metrics"] = new JsonObject { ["state"] = topLevelHubbleMetrics };
        }

        if (controllers is not null)
        {
            root["controllers"] = controllers;
        }

        extra?.Invoke(root);
        return root.ToJsonString();
    }

    /// <summary>One entry of <c>controllers</c>; null counts and times are omitted as Go's omitempty does.</summary>
    public static JsonObject Controller(
        string name = "sync-to-k8s-ciliumendpoint (1)",
        long? successCount = 10,
        long? failureCount = null,
        long? consecutiveFailureCount = null,
        string? lastFailureMessage = null,
        string? lastSuccess = "2022-08-01T10:00:00.000Z",
        string? lastFailure = "0001-01-01T00:00:00.000Z")
    {
        var status = new JsonObject();
        if (successCount is { } s)
        {
            status["success-count"] = s;
        }

        if (failureCount is { } f)
        {
            status["failure-count"] = f;
        }

        if (consecutiveFailureCount is { } c)
        {
            status["consecutive-failure-count"] = c;
        }

        if (lastFailureMessage is not null)
        {
            status["last-failure-msg"] = lastFailureMessage;
        }

        if (lastSuccess is not null)
        {
            status["last-success-timestamp"] = lastSuccess;
        }

        if (lastFailure is not null)
        {
            status["last-failure-timestamp"] = lastFailure;
        }

        return new JsonObject
        {
            ["name"] = name,
            ["configuration"] = new JsonObject { ["interval"] = "10s", ["error-retry"] = true, ["error-retry-base"] = "2s" },
            ["status"] = status,
        };
    }

    public static byte[] Utf8(string json) => System.Text.Encoding.UTF8.GetBytes(json);
}
