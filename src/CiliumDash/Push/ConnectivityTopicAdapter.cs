using CiliumDash.Cluster;
using CiliumDash.Connectivity;

namespace CiliumDash.Push;

/// <summary>
/// The <c>connectivity</c> topic's source, kept in one file so it can switch to the Connectivity feature's store
/// when that lands. Until then it reads each node's last <c>cilium-health status</c> from the cluster store, in
/// the <c>/api/v1/connectivity</c> shape plus a per-node "reachable of total" summary.
/// </summary>
public sealed class ConnectivityTopicAdapter(ClusterStore cluster)
{
    public IEnumerable<ChangeSignal> Signals => [cluster.Changed];

    public object Payload()
    {
        var nodes = cluster.Nodes;
        var reports = nodes.Where(n => n.Health is not null).ToList();
        return new
        {
            nodes = nodes.Select(n => n.Name).ToList(),
            pairs = reports.SelectMany(n => n.Health!.Peers.Select(p => new
            {
                from = n.Name,
                to = p.Name,
                host = Path(p.Host),
                endpoint = Path(p.Endpoint),
                reachable = p.Reachable,
            })).ToList(),
            summary = reports.Select(n => new { node = n.Name, reachable = n.Health!.Reachable, total = n.Health.Peers.Count, n.HealthError }).ToList(),
        };
    }

    private static object? Path(PathHealth? path) => path is null ? null : new
    {
        ip = path.Ip,
        icmpNs = path.Icmp?.LatencyNs,
        httpNs = path.Http?.LatencyNs,
        icmpError = path.Icmp?.Error,
        httpError = path.Http?.Error,
    };
}
