using System.Text.Json;
using CiliumDash.Cluster;
using CiliumDash.Flows;
using CiliumDash.Shared;
using CiliumDash.Agents;
using CiliumDash.Findings;

namespace CiliumDash.Push;

/// <summary>The hub's topic names (design.md contract) and how their payloads are computed.</summary>
public static class PushTopics
{
    public const string Cluster = "cluster";
    public const string Nodes = "nodes";
    public const string Controllers = "controllers";
    public const string BpfMaps = "bpfMaps";
    public const string Connectivity = "connectivity";
    public const string Flows = "flows";
    public const string Findings = "findings";

    /// <summary>Topics whose state is cluster-wide: computed once per change and sent to every subscriber.</summary>
    public static readonly IReadOnlyList<string> Shared = [Cluster, Nodes, Controllers, BpfMaps, Connectivity, Findings];

    /// <summary>The REST API's serializer settings (camelCase, RFC 3339 UTC times), so both read the same.</summary>
    public static readonly JsonSerializerOptions Json = CreateJson();

    public static bool IsShared(string? topic) => topic is not null && Shared.Contains(topic, StringComparer.Ordinal);

    public static string UnknownTopic(string? topic) =>
        $"unknown topic '{topic}': subscribe to one of {string.Join(", ", Shared)}, or call SubscribeFlows(query) for flows";

    private static JsonSerializerOptions CreateJson()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        options.Converters.Add(new UtcTimeConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}

/// <summary>Computes a shared topic's payload from the stores, serialized once for every subscriber.</summary>
public sealed class TopicPayloads(ClusterStore cluster, FlowStore flows, ClusterConnection connection, TimeProvider time, ConnectivityTopicAdapter connectivity, FindingsEngine findings)
{
    public JsonElement For(string topic)
    {
        object payload = topic switch
        {
            PushTopics.Cluster => ClusterPayloads.Cluster(cluster, flows, connection, time),
            PushTopics.Nodes => cluster.Nodes.Select(n => ClusterPayloads.NodeRow(n, findings.Current)).ToList(),
            PushTopics.Controllers => ClusterPayloads.FailingControllers(cluster.Nodes),
            PushTopics.BpfMaps => ClusterPayloads.BpfMaps(cluster.Nodes),
            PushTopics.Connectivity => connectivity.Payload(),
            PushTopics.Findings => FindingsApi.SharedPayload(findings),
            _ => throw new ArgumentException(PushTopics.UnknownTopic(topic), nameof(topic)),
        };
        return JsonSerializer.SerializeToElement(payload, PushTopics.Json);
    }
}
