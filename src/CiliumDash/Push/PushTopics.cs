using System.Text.Json;
using CiliumDash.Cluster;
using CiliumDash.Contract;
using CiliumDash.Findings;

namespace CiliumDash.Push;

/// <summary>The hub's topic names (design.md contract).</summary>
public static class PushTopics
{
    public const string Cluster = "cluster";
    public const string Nodes = "nodes";
    public const string Controllers = "controllers";
    public const string BpfMaps = "bpfMaps";
    public const string Connectivity = "connectivity";
    public const string Flows = "flows";
    public const string Findings = "findings";

    /// <summary>Cluster events (<c>/api/v1/events</c>), scoped per subscriber (<see cref="EventsTopicAdapter"/>).</summary>
    public const string Events = "events";
    /// <summary>A map view per subscriber (its query and scope): <c>SubscribeServiceMap(query)</c>, see <see cref="ServiceMapTopic"/>.</summary>
    public const string ServiceMap = "serviceMap";

    /// <summary>Topics whose state is cluster-wide: computed once per change and sent to every subscriber.</summary>
    public static readonly IReadOnlyList<string> Shared = [Cluster, Nodes, Controllers, BpfMaps, Connectivity, Findings];

    public static bool IsShared(string? topic) => topic is not null && Shared.Contains(topic, StringComparer.Ordinal);

    public static string UnknownTopic(string? topic) =>
        $"unknown topic '{topic}': subscribe to one of {string.Join(", ", Shared)}, {Events}, or call SubscribeFlows(query) for flows";
}

/// <summary>
/// A shared topic's payload: the REST body of the same view (same read-model query, same record, same JSON
/// configuration), serialized once for every subscriber. cluster = <c>/api/v1/cluster</c>, nodes =
/// <c>/api/v1/nodes</c>, controllers = <c>/api/v1/controllers</c>, bpfMaps = <c>/api/v1/bpf-maps</c>,
/// connectivity = <c>/api/v1/connectivity</c> (pairs null above <see cref="ConnectivityTopicAdapter.MaxNodesWithPairs"/> nodes),
/// findings = <c>/api/v1/findings</c> as an unscoped viewer sees it (one payload for every subscriber).
/// </summary>
public sealed class TopicPayloads(ClusterReadModel cluster, ConnectivityTopicAdapter connectivity, FindingsEngine findings)
{
    public JsonElement For(string topic) => topic switch
    {
        PushTopics.Cluster => ApiJson.ToElement(cluster.ClusterOverview()),
        PushTopics.Nodes => ApiJson.ToElement(cluster.NodeRows()),
        PushTopics.Controllers => ApiJson.ToElement(cluster.FailingControllers()),
        PushTopics.BpfMaps => ApiJson.ToElement(cluster.BpfMaps()),
        PushTopics.Connectivity => ApiJson.ToElement(connectivity.Payload()),
        PushTopics.Findings => ApiJson.ToElement(FindingsApi.SharedPayload(findings)),
        _ => throw new ArgumentException(PushTopics.UnknownTopic(topic), nameof(topic)),
    };
}
