using System.Text.Json;
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

    private static readonly JsonEncodedText Endpoint = JsonEncodedText.Encode("endpoint");
    private static readonly JsonEncodedText HealthEndpoint = JsonEncodedText.Encode("health-endpoint");
    private static readonly JsonEncodedText Host = JsonEncodedText.Encode("host");
    private static readonly JsonEncodedText Name = JsonEncodedText.Encode("name");
    private static readonly JsonEncodedText PrimaryAddress = JsonEncodedText.Encode("primary-address");
    private static readonly JsonEncodedText SecondaryAddresses = JsonEncodedText.Encode("secondary-addresses");
    private static readonly JsonEncodedText Http = JsonEncodedText.Encode("http");
    private static readonly JsonEncodedText Icmp = JsonEncodedText.Encode("icmp");
    private static readonly JsonEncodedText Ip = JsonEncodedText.Encode("ip");
    private static readonly JsonEncodedText LastProbed = JsonEncodedText.Encode("lastProbed");
    private static readonly JsonEncodedText Latency = JsonEncodedText.Encode("latency");
    private static readonly JsonEncodedText Status = JsonEncodedText.Encode("status");
    private static readonly JsonEncodedText Timestamp = JsonEncodedText.Encode("timestamp");
    private static readonly JsonEncodedText IcmpTimeout = JsonEncodedText.Encode("Connection timed out");

    public static string Render(SimulatedCluster cluster, SimNode node, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(node);
        return JsonDocumentWriter.Write((cluster, node, now), static (writer, state) => Write(writer, state.cluster, state.node, state.now));
    }

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

    private static void Write(Utf8JsonWriter writer, SimulatedCluster cluster, SimNode local, DateTimeOffset now)
    {
        var current = cluster.Options.Shape == WireShape.Current;
        var intervalNanos = ProbeIntervalNanos(cluster, local);
        var interval = TimeSpan.FromTicks(intervalNanos / 100);
        var round = RoundOf(cluster, local, now);
        var roundTime = TruncateToSecond(cluster.StartedAt + (interval * round));
        var probe = new ProbeContext(cluster, local, round, roundTime, TruncateToSecond(cluster.StartedAt), interval, current,
            cluster.Faults.EndpointUnreachableNodes, cluster.Faults.SlowLinkNodes, cluster.Faults.HangingExecNodes);

        writer.WriteStartObject();
        writer.WriteStartObject("local");
        writer.WriteString(Name, local.Name);
        writer.WriteEndObject();
        writer.WriteStartArray("nodes");
        foreach (var target in cluster.Nodes)
        {
            // A slow link slows every probe that crosses it, whichever end it is on.
            var slow = target.Index != local.Index && (probe.Slow.Contains(target.Name) || probe.Slow.Contains(local.Name));
            // A node whose agent hangs stands for a node that is down: nothing on it answers probes.
            var down = target.Index != local.Index && probe.Down.Contains(target.Name);
            var endpointPath = new Path(target, Endpoint: true, slow, Failing: down || probe.Unreachable.Contains(target.Name));
            writer.WriteStartObject();
            WritePath(writer, Endpoint, probe, endpointPath);
            writer.WriteStartObject(HealthEndpoint);
            WritePath(writer, PrimaryAddress, probe, endpointPath);
            writer.WriteStartArray(SecondaryAddresses);
            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WriteStartObject(Host);
            WritePath(writer, PrimaryAddress, probe, endpointPath with { Endpoint = false, Failing = down });
            writer.WriteStartArray(SecondaryAddresses);
            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WriteString(Name, target.Name);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        if (current)
        {
            writer.WriteString("probeInterval", WireFormat.GoDuration(intervalNanos));
        }

        WireFormat.WriteSecondsTimestamp(writer, Timestamp, roundTime);
        writer.WriteEndObject();
    }

    /// <summary>One <c>PathStatus</c>; the deprecated <c>endpoint</c> and <c>health-endpoint.primary-address</c> share values.</summary>
    private static void WritePath(Utf8JsonWriter writer, JsonEncodedText property, in ProbeContext probe, Path path)
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

        writer.WriteStartObject(property);
        writer.WriteStartObject(Http);
        if (probe.Current)
        {
            WireFormat.WriteSecondsTimestamp(writer, LastProbed, probed);
        }

        if (failing)
        {
            writer.WriteString(Status, $"Get \"http://{ip}:{ProbePort}/hello\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)");
        }
        else
        {
            var icmp = IcmpLatency(probe, target, pathSalt, slow);
            var extra = 40 * Microsecond + (long)(WireFormat.Noise(seed, probe.Local.Index, target.Index, (probe.Round * 4) + pathSalt + 2) * 160 * Microsecond);
            writer.WriteNumber(Latency, slow ? icmp + (extra * 20) : icmp + extra);
        }

        writer.WriteEndObject();
        writer.WriteStartObject(Icmp);
        if (probe.Current)
        {
            WireFormat.WriteSecondsTimestamp(writer, LastProbed, probed);
        }

        if (failing)
        {
            writer.WriteString(Status, IcmpTimeout);
        }
        else
        {
            writer.WriteNumber(Latency, IcmpLatency(probe, target, pathSalt, slow));
        }

        writer.WriteEndObject();
        writer.WriteString(Ip, ip);
        writer.WriteEndObject();
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
