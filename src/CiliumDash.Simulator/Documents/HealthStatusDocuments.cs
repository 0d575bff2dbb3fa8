using CiliumDash.Protocols.Health;
using CiliumDash.Protocols.Json;
using CiliumDash.Simulator.Cluster;

namespace CiliumDash.Simulator.Documents;

/// <summary>
/// Renders what <c>cilium-health status -o json</c> prints on a simulated node (GET /v1beta/status): the last probe
/// round from this node to every node of the cluster, itself included. Latencies are nanoseconds; a failed probe has
/// a <c>status</c> and no latency. Deterministic for a seed, the two nodes and the probe round <c>now</c> falls in.
/// </summary>
public static class HealthStatusDocuments
{
    /// <summary>cilium-health's HTTP probe port.</summary>
    public const int ProbePort = 4240;

    private const long Microsecond = 1_000;
    private const long Millisecond = 1_000_000;

    private const string IcmpTimeout = "Connection timed out";

    private static readonly PathStatus[] NoSecondaryAddresses = [];

    public static string Render(SimulatedCluster cluster, SimNode node, DateTimeOffset now) =>
        JsonDocumentWriter.Write(Build(cluster, node, now), CiliumJson.Context.HealthStatusResponse);

    /// <summary>
    /// The probe interval this node reports. 1.18 agents print it with nanoseconds (e.g. 1m36.566274746s); 1.12 agents
    /// do not print it, and probe every minute.
    /// </summary>
    internal static long ProbeIntervalNanos(SimulatedCluster cluster, SimNode node) =>
        cluster.Options.Shape == WireShape.Cilium112
            ? 60_000 * Millisecond
            : (60_000 * Millisecond) + (long)(WireFormat.Noise(cluster.Options.Seed, node.Index, 5) * 60_000 * Millisecond);

    /// <summary>The probe round <paramref name="now"/> falls in: the document is the same for the whole round.</summary>
    internal static long RoundOf(SimulatedCluster cluster, SimNode node, DateTimeOffset now)
    {
        var interval = TimeSpan.FromTicks(ProbeIntervalNanos(cluster, node) / 100);
        return now > cluster.StartedAt ? (long)((now - cluster.StartedAt) / interval) : 0;
    }

    /// <summary>The document as a model, before it is printed.</summary>
    public static HealthStatusResponse Build(SimulatedCluster cluster, SimNode local, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(local);
        var current = cluster.Options.Shape == WireShape.Current;
        var intervalNanos = ProbeIntervalNanos(cluster, local);
        var interval = TimeSpan.FromTicks(intervalNanos / 100);
        var round = RoundOf(cluster, local, now);
        var roundTime = TruncateToSecond(cluster.StartedAt + (interval * round));
        var probe = new ProbeContext(cluster, local, round, roundTime, TruncateToSecond(cluster.StartedAt), interval, current,
            cluster.Faults.EndpointUnreachableNodes, cluster.Faults.SlowLinkNodes, cluster.Faults.HangingExecNodes);

        var nodes = new List<NodeStatus>(cluster.Nodes.Count);
        foreach (var target in cluster.Nodes)
        {
            // A slow link slows every probe that crosses it, whichever end it is on.
            var slow = target.Index != local.Index && (probe.Slow.Contains(target.Name) || probe.Slow.Contains(local.Name));
            // A node whose agent hangs stands for a node that is down: nothing on it answers probes.
            var down = target.Index != local.Index && probe.Down.Contains(target.Name);
            var endpointPath = new Path(target, Endpoint: true, slow, Failing: down || probe.Unreachable.Contains(target.Name));

            // The deprecated endpoint and health-endpoint.primary-address report the same probes.
            var endpoint = PathStatus(probe, endpointPath);
            nodes.Add(new NodeStatus
            {
                Endpoint = endpoint,
                HealthEndpoint = new() { PrimaryAddress = endpoint, SecondaryAddresses = NoSecondaryAddresses },
                Host = new() { PrimaryAddress = PathStatus(probe, endpointPath with { Endpoint = false, Failing = down }), SecondaryAddresses = NoSecondaryAddresses },
                Name = target.Name,
            });
        }

        return new HealthStatusResponse
        {
            Local = new() { Name = local.Name },
            Nodes = nodes,
            ProbeInterval = current ? WireFormat.GoDuration(intervalNanos) : null,
            Timestamp = roundTime,
        };
    }

    /// <summary>One <c>PathStatus</c>: a failing path has a status text and no latency.</summary>
    private static PathStatus PathStatus(in ProbeContext probe, Path path)
    {
        var (target, endpoint, slow, failing) = path;
        var ip = endpoint ? target.HealthIp : target.InternalIp;
        var pathSalt = endpoint ? 1 : 2;
        var seed = probe.Cluster.Options.Seed;

        // Probes are spread over the interval; each path was last probed some time before the round's timestamp.
        var probedAgo = (long)(WireFormat.Noise(seed, probe.Local.Index, target.Index, (probe.Round * 4) + pathSalt) * probe.Interval.TotalSeconds);
        var probed = probe.RoundTime - TimeSpan.FromSeconds(probedAgo);
        if (probed < probe.FirstRound)
        {
            probed = probe.FirstRound;   // nothing was probed before the agent started
        }

        DateTimeOffset? lastProbed = probe.Current ? probed : null;
        if (failing)
        {
            return new PathStatus
            {
                Http = new() { LastProbed = lastProbed, Status = $"Get \"http://{ip}:{ProbePort}/hello\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)" },
                Icmp = new() { LastProbed = lastProbed, Status = IcmpTimeout },
                Ip = ip,
            };
        }

        var icmp = IcmpLatency(probe, target, pathSalt, slow);
        var extra = 40 * Microsecond + (long)(WireFormat.Noise(seed, probe.Local.Index, target.Index, (probe.Round * 4) + pathSalt + 2) * 160 * Microsecond);
        return new PathStatus
        {
            Http = new() { LastProbed = lastProbed, Latency = slow ? icmp + (extra * 20) : icmp + extra },
            Icmp = new() { LastProbed = lastProbed, Latency = icmp },
            Ip = ip,
        };
    }

    /// <summary>ICMP round trip in ns: 100–250 µs across the LAN as in the notes (RTT=140.825µs…), less to itself,
    /// 20–80 ms over a slow link.</summary>
    private static long IcmpLatency(in ProbeContext probe, SimNode target, int pathSalt, bool slow)
    {
        var n = WireFormat.Noise(probe.Cluster.Options.Seed, probe.Local.Index, target.Index, (probe.Round * 4) + pathSalt + 100);
        if (slow)
        {
            return (20 * Millisecond) + (long)(n * 55 * Millisecond);
        }

        return target.Index == probe.Local.Index
            ? (80 * Microsecond) + (long)(n * 80 * Microsecond)
            : (100 * Microsecond) + (long)(n * 150 * Microsecond);
    }

    private static DateTimeOffset TruncateToSecond(DateTimeOffset time) =>
        new(time.Ticks - (time.Ticks % TimeSpan.TicksPerSecond), time.Offset);

    /// <summary>A probed address: the node's host IP or its health endpoint; hosts fail only when their node is down.</summary>
    private readonly record struct Path(SimNode Target, bool Endpoint, bool Slow, bool Failing);

    private readonly record struct ProbeContext(
        SimulatedCluster Cluster,
        SimNode Local,
        long Round,
        DateTimeOffset RoundTime,
        DateTimeOffset FirstRound,
        TimeSpan Interval,
        bool Current,
        IReadOnlySet<string> Unreachable,
        IReadOnlySet<string> Slow,
        IReadOnlySet<string> Down);
}
