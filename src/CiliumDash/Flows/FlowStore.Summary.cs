using CiliumDash.Flows.Query;
using CiliumDash.Flows.Window;
using CiliumDash.Protocols.Hubble;

namespace CiliumDash.Flows;

public sealed record CountItem(string Name, long Count);

public sealed record NamespacePair(string Source, string Destination, long Flows, long Drops);

/// <summary>Source workload → destination workload:port (a workload is <c>namespace/name</c>, or the peer's IP).</summary>
public sealed record Talker(string Source, string Destination, uint? Port, string Protocol, long Flows, long Drops);

public sealed record PolicyVerdictCount(string Direction, string Verdict, long Count);

/// <summary>Aggregates over the flows of the window that match a query.</summary>
public sealed record FlowSummary(
    int InWindow,
    int Matched,
    IReadOnlyList<CountItem> Verdicts,
    IReadOnlyList<CountItem> DropReasons,
    IReadOnlyList<NamespacePair> Namespaces,
    IReadOnlyList<Talker> TopTalkers,
    IReadOnlyList<PolicyVerdictCount> PolicyVerdicts);

public sealed partial class FlowStore
{
    /// <summary>Cilium's monitor message type of policy verdict notifications.</summary>
    private const int PolicyVerdictEventType = 5;

    /// <summary>Counts by verdict, drop reason, namespace pair, talker pair and policy verdict over the matching window.</summary>
    public FlowSummary Summarize(FlowQuery query, int top = 20)
    {
        ArgumentNullException.ThrowIfNull(query);
        var verdicts = new Dictionary<Verdict, long>();
        var drops = new Dictionary<DropReason, long>();
        var namespaces = new Dictionary<(string, string), (long Flows, long Drops)>();
        var talkers = new Dictionary<(string, string, string, string, ushort, Layer4.ProtocolOneofCase), (long Flows, long Drops)>();
        var policy = new Dictionary<(TrafficDirection, Verdict), long>();
        var matched = _window.Scan(query, (in FlowRow row, int _) =>
        {
            var verdict = (Verdict)row.Verdict;
            var drop = row.IsDrop ? 1 : 0;
            verdicts[verdict] = verdicts.GetValueOrDefault(verdict) + 1;
            if (drop == 1)
            {
                var reason = (DropReason)row.DropReason;
                drops[reason] = drops.GetValueOrDefault(reason) + 1;
            }

            var ns = (row.Source?.Namespace ?? "", row.Destination?.Namespace ?? "");
            var n = namespaces.GetValueOrDefault(ns);
            namespaces[ns] = (n.Flows + 1, n.Drops + drop);

            var key = (ns.Item1, Workload(row.Source, row.SourceIp), ns.Item2, Workload(row.Destination, row.DestinationIp), row.DestinationPort, row.L4Case);
            var t = talkers.GetValueOrDefault(key);
            talkers[key] = (t.Flows + 1, t.Drops + drop);

            if (row.Context is { HasEventType: true, EventType: PolicyVerdictEventType })
            {
                var direction = (TrafficDirection)row.Direction;
                policy[(direction, verdict)] = policy.GetValueOrDefault((direction, verdict)) + 1;
            }
        }, out var inWindow);

        return new FlowSummary(
            inWindow,
            matched,
            verdicts.OrderByDescending(p => p.Value).Select(p => new CountItem(FlowMapper.Name(p.Key), p.Value)).ToArray(),
            drops.OrderByDescending(p => p.Value).Select(p => new CountItem(FlowMapper.Name(p.Key), p.Value)).ToArray(),
            namespaces.OrderByDescending(p => p.Value.Flows).Take(top * 5)
                .Select(p => new NamespacePair(p.Key.Item1, p.Key.Item2, p.Value.Flows, p.Value.Drops)).ToArray(),
            talkers.OrderByDescending(p => p.Value.Flows).Take(top)
                .Select(p => new Talker(Qualified(p.Key.Item1, p.Key.Item2), Qualified(p.Key.Item3, p.Key.Item4),
                    p.Key.Item5 == 0 ? null : p.Key.Item5, p.Key.Item6 == Layer4.ProtocolOneofCase.None ? "" : p.Key.Item6.ToString(), p.Value.Flows, p.Value.Drops))
                .ToArray(),
            policy.OrderByDescending(p => p.Value)
                .Select(p => new PolicyVerdictCount(FlowMapper.Name(p.Key.Item1), FlowMapper.Name(p.Key.Item2), p.Value)).ToArray());
    }

    /// <summary>The workload's name, else the pod's, else a reserved identity label, else the IP.</summary>
    private static string Workload(EndpointInfo? e, Address? ip)
    {
        if (e is not null)
        {
            if (e.Workload.Length > 0)
            {
                return e.Workload;
            }

            if (e.PodName.Length > 0)
            {
                return e.PodName;
            }

            if (e.ReservedLabel is { } reserved)
            {
                return reserved;
            }
        }

        return ip?.Text ?? "";
    }

    private static string Qualified(string ns, string name) => ns.Length == 0 ? name : $"{ns}/{name}";
}
