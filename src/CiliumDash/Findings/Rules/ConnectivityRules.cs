using System.Globalization;
using CiliumDash.Connectivity;

namespace CiliumDash.Findings.Rules;

/// <summary>
/// Reachability judged per node from what its peers report: when most peers that probe a node fail the same way,
/// the node is the fault (one finding on it, naming "n of m peers"); otherwise each failing pair is its own finding.
/// </summary>
public static class ConnectivityRules
{
    private const int EvidencePeers = 5;

    public static IEnumerable<FindingDraft> Of(IReadOnlyList<NodeReachability> nodes, double degradationFactor)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        foreach (var node in nodes)
        {
            if (node.Peers == 0 || node.Reports.Count == 0)
            {
                continue;
            }

            var m = node.Peers;
            var subject = new FindingSubject { Node = node.Name };
            FindingDraft? nodeLevel = null;
            if (Most(node.Down, m))
            {
                nodeLevel = new FindingDraft(FindingSeverity.Critical, FindingKinds.NodeUnreachable, subject,
                    $"{node.Name} is unreachable: {node.Down} of {m} peers reach neither its host nor its health endpoint",
                    Evidence(node, PeerVerdict.Down));
            }
            else if (node.EndpointDown > 0 && Most(node.EndpointDown + node.Down, m))
            {
                nodeLevel = new FindingDraft(FindingSeverity.Critical, FindingKinds.EndpointUnreachable, subject with { Path = "endpoint" },
                    $"{node.EndpointDown + node.Down} of {m} peers cannot reach {node.Name}'s health endpoint" + (node.Down == 0 ? " while its host answers" : ""),
                    Evidence(node, PeerVerdict.EndpointDown, PeerVerdict.Down));
            }
            else if (node.HostDown > 0 && Most(node.HostDown + node.Down, m))
            {
                nodeLevel = new FindingDraft(FindingSeverity.Critical, FindingKinds.HostUnreachable, subject with { Path = "host" },
                    $"{node.HostDown + node.Down} of {m} peers cannot reach {node.Name}'s host" + (node.Down == 0 ? " while its health endpoint answers" : ""),
                    Evidence(node, PeerVerdict.HostDown, PeerVerdict.Down));
            }

            if (nodeLevel is not null)
            {
                yield return nodeLevel;
            }
            else
            {
                // A minority of peers: the fault is between those pairs (or on the reporting side), not this node.
                foreach (var r in node.Reports.Where(r => r.Verdict != PeerVerdict.Degraded))
                {
                    var half = r.Verdict switch { PeerVerdict.EndpointDown => "health endpoint", PeerVerdict.HostDown => "host", _ => "host and health endpoint" };
                    yield return new FindingDraft(FindingSeverity.Warning, FindingKinds.ProbeFailing,
                        new FindingSubject { Node = r.From, Peer = node.Name, Path = r.Path.Slug() },
                        $"{r.From} cannot reach {node.Name}'s {half}",
                        [new Evidence($"cilium-health on {r.From}", $"{r.Path.Label()} to {node.Name}: {r.Error ?? "failed"}")]);
                }
            }

            if (Most(node.Degraded, m))
            {
                yield return new FindingDraft(FindingSeverity.Warning, FindingKinds.RttDegraded, subject,
                    $"probes to {node.Name} are slow from {node.Degraded} of {m} peers (over {Factor(degradationFactor)} × each pair's baseline)",
                    Evidence(node, PeerVerdict.Degraded));
            }
            else
            {
                foreach (var r in node.Reports.Where(r => r.Verdict == PeerVerdict.Degraded))
                {
                    yield return new FindingDraft(FindingSeverity.Warning, FindingKinds.RttDegraded,
                        new FindingSubject { Node = r.From, Peer = node.Name, Path = r.Path.Slug() },
                        $"{r.Path.Label()} from {r.From} to {node.Name} is over {Factor(degradationFactor)} × its baseline",
                        [new Evidence($"cilium-health on {r.From}", Rtt(r))]);
                }
            }
        }
    }

    /// <summary>More than half of the peers that probe the node (all of them when there is one).</summary>
    private static bool Most(int n, int of) => n > 0 && n * 2 > of;

    private static List<Evidence> Evidence(NodeReachability node, params PeerVerdict[] verdicts)
    {
        var matching = node.Reports.Where(r => verdicts.Contains(r.Verdict)).ToList();
        var list = matching.Take(EvidencePeers)
            .Select(r => new Evidence($"cilium-health on {r.From}", r.Verdict == PeerVerdict.Degraded ? Rtt(r) : $"{r.Path.Label()} to {node.Name}: {r.Error ?? "failed"}"))
            .ToList();
        var total = verdicts.Sum(v => v switch { PeerVerdict.Down => node.Down, PeerVerdict.EndpointDown => node.EndpointDown, PeerVerdict.HostDown => node.HostDown, _ => node.Degraded });
        if (total > list.Count)
        {
            list.Add(new Evidence("cilium-health", $"and {total - list.Count} more peers"));
        }

        return list;
    }

    private static string Rtt(PeerReport r) =>
        $"{r.Path.Label()}: {Ms(r.RttNs)} against a baseline of {Ms(r.BaselineNs)}";

    private static string Ms(double? ns) => ns is { } v ? (v / 1e6).ToString("0.###", CultureInfo.InvariantCulture) + " ms" : "unknown";

    private static string Factor(double k) => k.ToString("0.##", CultureInfo.InvariantCulture);
}
