using System.Text.Json.Serialization;

namespace CiliumDash.Contract;

/// <summary>
/// <c>GET /api/v1/connectivity</c> and the hub's <c>connectivity</c> topic: the N×N probe matrix of cilium-health.
/// RTTs are nanoseconds (rounded), null where not measured. <see cref="Pairs"/> is produced row by row while it is
/// written (a 1,000-node matrix is a million pairs and is never held as a list); it is null in hub pushes of
/// clusters with more than 64 nodes.
/// </summary>
public sealed record ConnectivityDto(
    IReadOnlyList<string> Nodes,
    ConnectivitySummaryDto Summary,
    IReadOnlyList<MatrixNodeDto> NodeDetails,
    IEnumerable<PairDto>? Pairs,
    IReadOnlyList<ConnectivityEventDto> Events);

/// <summary>The cluster line, as cilium-health words it ("Cluster health: N/M reachable"), and pair counts.</summary>
public sealed record ConnectivitySummaryDto(string Line, int Reachable, int Total, int Reporting, int Pairs, int FailingPairs, int DegradedPairs, int EndpointOnlyFailingPairs);

public sealed record MatrixNodeDto(
    string Name,
    bool Polled,
    bool Reporting,
    bool Stale,
    string? ReadError,
    string? HostIp,
    string? EndpointIp,
    int Reachable,
    int Total,
    int ListedBy,
    int ReachableFrom,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? Timestamp,
    string? ProbeInterval,
    IReadOnlyList<string> Issues);

/// <summary>One source → destination pair of a node's own report; <c>stale</c> when the source's latest read failed.</summary>
public sealed record PairDto(string From, string To, bool Reachable, bool Stale, ProbePathsDto Host, ProbePathsDto Endpoint);

/// <summary>ICMP and HTTP to one address of the destination (its host, or its health endpoint).</summary>
public sealed record ProbePathsDto(
    string? Ip,
    long? IcmpNs,
    long? HttpNs,
    string? IcmpError,
    string? HttpError,
    string IcmpState,
    string HttpState,
    bool IcmpDegraded,
    bool HttpDegraded);

/// <summary>A change worth attention on one pair and path: <c>kind</c> is Failing, Slow or Recovered.</summary>
public sealed record ConnectivityEventDto(DateTimeOffset At, string From, string To, string Path, string Kind, long? RttNs, long? BaselineNs, string? Error);
