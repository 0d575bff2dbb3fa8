namespace CiliumDash.History;

/// <summary>A finding opened, changed severity or summary, or closed; <see cref="Payload"/> is its API shape (JSON).</summary>
/// <param name="Namespaces">the namespaces whose flows it is about, comma-separated; null = cluster-wide.</param>
public sealed record FindingEvent(
    DateTimeOffset Time, string Id, string Change, string Severity, string Kind, string? Node, string? Peer, string Summary, string? Namespaces, string Payload)
{
    public const string Opened = "opened";
    public const string Changed = "changed";
    public const string Closed = "closed";
}

/// <summary>One node's agent state, recorded when any of these values changes (not every poll).</summary>
public sealed record NodeStateRecord(
    DateTimeOffset Time, string Node, string State, string? Version, string? KubeProxyReplacement, string? Datapath, string? Ipam,
    int ControllersTotal, int ControllersFailing, string? Error);

/// <summary>A controller failure episode as it stood at <see cref="Time"/>: written when it starts, grows and ends.</summary>
public sealed record ControllerEpisodeRecord(
    DateTimeOffset Time, string Node, string Controller, DateTimeOffset Start, DateTimeOffset? End, long MaxConsecutiveFailures, string? LastMessage);

/// <summary>A BPF map's fill level (0 to 1) on one node.</summary>
public sealed record MapFillRecord(DateTimeOffset Time, string Node, string Map, double Fill);

/// <summary>One cilium-health probe round as a node reported it.</summary>
public sealed record HealthRoundRecord(DateTimeOffset Time, string Node, int Reachable, int Total, double? WorstRttNs);

/// <summary>A probe pair that began failing, recovered or degraded; <see cref="Change"/> is the new verdict.</summary>
public sealed record PairEventRecord(DateTimeOffset Time, string Node, string Peer, string Path, string Change, string? Detail);

/// <summary>Flows counted in one 10 s bucket for one combination; the "other" row has <see cref="Other"/> set.</summary>
public sealed record FlowAggregateRecord(
    DateTimeOffset Time, string SourceNamespace, string SourceWorkload, string DestinationNamespace, string DestinationWorkload,
    string Verdict, string? DropReason, string Node, string Protocol, long? DestinationPort, long Count, bool Other = false);

/// <summary>A drop, policy denial or L7 error kept as it was shown live (already redacted).</summary>
public sealed record RawFlowRecord(
    DateTimeOffset Time, string Uuid, string Node, string Verdict, string? DropReason, string SourceNamespace, string SourcePod,
    string DestinationNamespace, string DestinationPod, string Protocol, long? DestinationPort, string Summary);

/// <summary>A Kubernetes event about the cluster (agent restart, version change, node join/leave, policy change).</summary>
public sealed record HistoryClusterEvent(DateTimeOffset Time, string Kind, string? Node, string? Namespace, string? Name, string Detail);

/// <summary>A stretch of time one dashboard recorded without interruption.</summary>
public sealed record RecordingSegment(string Id, DateTimeOffset Started, DateTimeOffset Ended);

/// <summary>How complete the record of a range is: since when anything was recorded, and the holes within.</summary>
public sealed record HistoryCoverage(DateTimeOffset? RecordedSince, IReadOnlyList<HistoryGap> Gaps);

public sealed record HistoryGap(DateTimeOffset From, DateTimeOffset To);
