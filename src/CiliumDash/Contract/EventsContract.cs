namespace CiliumDash.Contract;

/// <summary>One cluster event: <c>kind</c> is agent-restart, cilium-version-changed, node-joined, node-left, policy-created, policy-changed or policy-deleted.</summary>
/// <param name="Id">increases with every event the dashboard saw (ties of <c>time</c> keep this order).</param>
/// <param name="Name">the policy's, pod's, node's or DaemonSet's name.</param>
/// <param name="Detail">restart reason and exit code, old → new version, or the policy's kind.</param>
public sealed record ClusterEventDto(long Id, string Kind, DateTimeOffset Time, string? Node, string? Namespace, string Name, string Detail);

/// <summary>The health of the Kubernetes events watch, as the other sources report theirs.</summary>
public sealed record EventSourceDto(string State, string Target, string? LastError, DateTimeOffset? LastSuccess, DateTimeOffset? LastErrorAt);

/// <summary><c>GET /api/v1/events</c> and the hub's <c>events</c> topic: events in time order, oldest first.</summary>
/// <param name="Truncated">more events matched than <c>limit</c>; these are the newest of them.</param>
/// <param name="KeptSince">the oldest event still in memory (older ones are only in the history); null when none.</param>
public sealed record ClusterEventsDto(EventSourceDto Source, DateTimeOffset? Since, DateTimeOffset? Until, int Returned, bool Truncated, DateTimeOffset? KeptSince,
    IReadOnlyList<ClusterEventDto> Events);
