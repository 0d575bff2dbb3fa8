namespace CiliumDash.Connectivity;

public enum EventKind
{
    /// <summary>The path started failing (it was OK, not probed, or not seen before).</summary>
    Failing,

    /// <summary>RTT rose above k × the pair's own baseline.</summary>
    Slow,

    /// <summary>A failing or slow path is back to normal.</summary>
    Recovered,
}

/// <summary>A change worth an operator's attention on one pair and path.</summary>
public sealed record DegradationEvent(DateTimeOffset At, string From, string To, ProbePath Path, EventKind Kind, double? RttNs, double? BaselineNs, string? Error);

/// <summary>What a matrix cell shows for the chosen path.</summary>
public enum CellKind : byte
{
    NoData,
    NotListed,
    NotProbed,
    Ok,
    Degraded,
    Invalid,
    Failed,

    /// <summary>The seed's classic failure: the node's host answers, its health endpoint does not.</summary>
    HostOkEndpointDown,
}

/// <summary>One cell as a view draws it; <see cref="OtherPathFailing"/> marks a pair that fails on a path not shown.</summary>
public readonly record struct CellView(CellKind Kind, float RttNs, ushort ErrorId, bool OtherPathFailing, bool Stale);

/// <summary>A block of the binned overview: its worst cell, its slowest RTT, and how many of its cells fail.</summary>
public readonly record struct BlockView(CellKind Worst, float MaxRttNs, int Failing, int Cells);

/// <summary>A node of the matrix with its own report's summary and what the other nodes' reports say about it.</summary>
public sealed record MatrixNode(
    int Index,
    string Name,
    bool Polled,
    bool Reporting,
    string? ReadError,
    DateTimeOffset? LastRead,
    DateTimeOffset? RoundTime,
    string? ProbeInterval,
    int Reachable,
    int Total,
    string? HostIp,
    string? EndpointIp,
    IReadOnlyList<string> Issues,
    int ListedBy,
    int ReachableFrom)
{
    /// <summary>Its report was read before, but the latest read failed.</summary>
    public bool Stale => Reporting && ReadError is not null;

    /// <summary>Every report that lists it finds it reachable.</summary>
    public bool ReachableByAll => ListedBy > 0 && ReachableFrom == ListedBy;

    /// <summary>Nothing to look at: every report that lists it reaches it, and its own report reaches everyone.</summary>
    public bool Fine => ReachableByAll && !Stale && (!Reporting || Reachable == Total);

    /// <summary>
    /// The nodes as the connectivity page lists them: problems first (unreachable from most reports, then reaching
    /// fewest), the fine ones last, each by name.
    /// </summary>
    public static IReadOnlyList<MatrixNode> ByProblem(IEnumerable<MatrixNode> nodes) =>
        [.. nodes.OrderBy(n => n.Fine ? 1 : 0)
            .ThenByDescending(n => n.ListedBy - n.ReachableFrom)
            .ThenByDescending(n => n.Reporting ? n.Total - n.Reachable : 0)
            .ThenBy(n => n.Name, StringComparer.Ordinal)];
}

/// <summary>The cluster line: nodes reachable from every node that lists them, as cilium-health words it.</summary>
public sealed record ClusterConnectivity(int Nodes, int Reachable, int Reporting, int Pairs, int FailingPairs, int DegradedPairs, int EndpointOnlyPairs)
{
    public string Line => $"Cluster health: {Reachable}/{Nodes} reachable";
}

/// <summary>One history sample: when the round ran and its one-byte code (see <see cref="RttCodec"/>).</summary>
public readonly record struct RttSample(DateTimeOffset At, byte Code)
{
    public double? RttNs => RttCodec.Decode(Code);

    public bool Failed => Code == RttCodec.Failed;
}

public sealed record PathDetail(
    ProbePath Path,
    ProbeState State,
    double? RttNs,
    bool Degraded,
    double? BaselineNs,
    DateTimeOffset? ProbedAt,
    string? Error,
    string? LastError,
    string? Ip,
    IReadOnlyList<RttSample> History,
    double? P50Ns,
    double? P99Ns);

/// <summary>Everything known about one pair: the four paths with their history over the window.</summary>
public sealed record PairDetail(string From, string To, bool Stale, string? ReadError, IReadOnlyList<PathDetail> Paths);

public static class ProbePaths
{
    public static readonly IReadOnlyList<ProbePath> All = [ProbePath.HostIcmp, ProbePath.HostHttp, ProbePath.EndpointIcmp, ProbePath.EndpointHttp];

    public static bool IsEndpoint(this ProbePath path) => path >= ProbePath.EndpointIcmp;

    /// <summary>How the UI names a path (cilium-health's words: "ICMP to stack", "HTTP to agent").</summary>
    public static string Label(this ProbePath path) => path switch
    {
        ProbePath.HostIcmp => "Host ICMP",
        ProbePath.HostHttp => "Host HTTP",
        ProbePath.EndpointIcmp => "Endpoint ICMP",
        _ => "Endpoint HTTP",
    };

    /// <summary>The URL spelling (<c>?path=endpoint-http</c>).</summary>
    public static string Slug(this ProbePath path) => path switch
    {
        ProbePath.HostIcmp => "host-icmp",
        ProbePath.HostHttp => "host-http",
        ProbePath.EndpointIcmp => "endpoint-icmp",
        _ => "endpoint-http",
    };

    public static ProbePath? Parse(string? slug) => All.Cast<ProbePath?>().FirstOrDefault(p => string.Equals(p!.Value.Slug(), slug, StringComparison.OrdinalIgnoreCase));
}

/// <summary>One probe of one peer in a node's own report (the "Cluster health from this node" table).</summary>
public sealed record PeerProbe(ProbeState State, double? RttNs, bool Degraded, string? Error);

/// <summary>One destination in a node's own report, in cilium-health's layout: host then endpoint, ICMP then HTTP.</summary>
public sealed record PeerRow(string Name, string? HostIp, string? EndpointIp, IReadOnlyList<PeerProbe> Probes)
{
    public bool Reachable => !Probes.Any(Fails);

    /// <summary>cilium-health's "Node" word: the host paths (ICMP, HTTP) answer.</summary>
    public bool HostReachable => !Probes.Take(2).Any(Fails);

    /// <summary>cilium-health's "Endpoints" word: the health endpoint paths answer.</summary>
    public bool EndpointReachable => !Probes.Skip(2).Any(Fails);

    private static bool Fails(PeerProbe p) => p.State == ProbeState.Failed || (p.State == ProbeState.Ok && p.Error is not null);
}
