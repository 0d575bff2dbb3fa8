using CiliumDash.Cluster;
using CiliumDash.Connectivity;
using CiliumDash.Shared;

namespace CiliumDash.Push;

/// <summary>
/// The <c>connectivity</c> topic's payload, from the connectivity store: the cluster line, every node's
/// "reachable of total" and the latest events, plus the pairs themselves for clusters small enough to push them
/// (a 1,000-node matrix is a million pairs: scripts that need all of it read <c>/api/v1/connectivity</c>).
/// </summary>
public sealed class ConnectivityTopicAdapter(ConnectivityStore store)
{
    /// <summary>Above this many nodes the pushes carry summaries only.</summary>
    public const int MaxNodesWithPairs = 64;

    public IEnumerable<ChangeSignal> Signals => [store.Changed];

    public object Payload()
    {
        var nodes = store.Nodes();
        var summary = store.Summary();
        return new
        {
            nodes = nodes.Select(n => n.Name).ToList(),
            summary = new { line = summary.Line, summary.Reachable, total = summary.Nodes, summary.FailingPairs, summary.DegradedPairs, endpointOnlyFailingPairs = summary.EndpointOnlyPairs },
            nodeDetails = nodes.Select(n => new { n.Name, n.Reachable, n.Total, n.Stale, n.ReadError }).ToList(),
            pairs = nodes.Count > MaxNodesWithPairs
                ? null
                : nodes.Where(n => n.Reporting).SelectMany(n => store.Row(n.Name).Select(p => new
                {
                    from = n.Name,
                    to = p.Name,
                    reachable = p.Reachable,
                    host = Path(p.HostIp, p.Probes[0], p.Probes[1]),
                    endpoint = Path(p.EndpointIp, p.Probes[2], p.Probes[3]),
                })).ToList(),
            events = store.Events(20).Select(e => new { at = e.At, e.From, e.To, path = e.Path.Slug(), kind = e.Kind.ToString(), e.Error }).ToList(),
        };
    }

    private static object Path(string? ip, PeerProbe icmp, PeerProbe http) => new
    {
        ip,
        icmpNs = icmp.RttNs is { } i ? (long?)i : null,
        httpNs = http.RttNs is { } h ? (long?)h : null,
        icmpError = icmp.Error,
        httpError = http.Error,
    };
}
