using System.Globalization;
using System.Text;

namespace CiliumDash.EndToEnd.Pages;

/// <summary>
/// <c>cilium-health status -o json</c> reports of a large cluster in the 1.18 layout, without whitespace and without
/// the (empty) secondary addresses, so that a thousand of them are cheap enough to write and parse in a test: three zones in name order (same-zone RTTs of a few hundred µs, cross-zone about
/// a millisecond), one slow node, scattered single-path timeouts, and optional faults that start in a given round.
/// </summary>
/// <param name="Nodes">cluster size; nodes are named worker-0000 onwards.</param>
/// <param name="DownNode">from <paramref name="FaultsFrom"/> on, nothing on this node answers any probe.</param>
/// <param name="EndpointDownNode">from <paramref name="FaultsFrom"/> on, this node's host answers, its health endpoint does not.</param>
/// <param name="SlowNode">every probe to or from this node takes tens of milliseconds.</param>
/// <param name="NewNode">a node that has just joined: nobody has probed it, and it has probed nobody.</param>
/// <param name="FaultsFrom">the first round in which the down and endpoint-down faults hold.</param>
internal sealed record SyntheticHealthCluster(int Nodes, int DownNode = -1, int EndpointDownNode = -1, int SlowNode = -1, int NewNode = -1, int FaultsFrom = 0)
{
    public const string IcmpTimeout = "Connection timed out";

    public static string Name(int node) => $"worker-{node:D4}";

    /// <summary>The report <paramref name="source"/> prints for probe round <paramref name="round"/>, stamped <paramref name="at"/>.</summary>
    public byte[] Report(int source, int round, DateTimeOffset at)
    {
        var json = new StringBuilder(230 * Nodes);
        json.Append("{\"local\":{\"name\":\"").Append(Name(source)).Append("\"},\"nodes\":[");
        for (var target = 0; target < Nodes; target++)
        {
            json.Append(target == 0 ? "{" : ",{").Append("\"name\":\"").Append(Name(target)).Append("\",");
            var faulty = round >= FaultsFrom && target != source;
            var down = faulty && target == DownNode;
            var probed = source != NewNode && target != NewNode;
            Path(json, "host", HostIp(target), source, target, round, probed, down, endpoint: false);
            json.Append(',');
            Path(json, "health-endpoint", EndpointIp(target), source, target, round, probed, down || (faulty && target == EndpointDownNode), endpoint: true);
            json.Append('}');
        }

        json.Append("],\"probeInterval\":\"1m0s\",\"timestamp\":\"").Append(at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)).Append("\"}");
        return Encoding.UTF8.GetBytes(json.ToString());
    }

    private void Path(StringBuilder json, string key, string ip, int source, int target, int round, bool probed, bool failing, bool endpoint)
    {
        json.Append('"').Append(key).Append("\":{\"primary-address\":{\"ip\":\"").Append(ip).Append('"');
        if (probed)
        {
            var rtt = Rtt(source, target, round) + (endpoint ? 40_000 : 0);
            // About one path in 20,000 times out on its own: scattered red among the green, as a real cluster shows.
            var blip = Hash(source, target, round + (endpoint ? 7 : 0)) % 20_000 == 0;
            Probe(json, "icmp", failing || blip ? null : rtt, IcmpTimeout);
            Probe(json, "http", failing ? null : rtt * 2, $"Get \\\"http://{ip}:4240/hello\\\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)");
        }

        json.Append("}}");
    }

    private static void Probe(StringBuilder json, string key, long? rtt, string error)
    {
        json.Append(",\"").Append(key).Append("\":{");
        _ = rtt is { } ns ? json.Append("\"latency\":").Append(ns) : json.Append("\"status\":\"").Append(error).Append('"');
        json.Append('}');
    }

    private long Rtt(int source, int target, int round)
    {
        if (source == target)
        {
            return 40_000 + (Hash(source, target, round) % 20_000);
        }

        var slow = source == SlowNode || target == SlowNode;
        var sameZone = Zone(source) == Zone(target);
        var floor = slow ? 25_000_000 : sameZone ? 150_000 : 900_000;
        var spread = slow ? 20_000_000 : sameZone ? 250_000 : 600_000;
        return floor + (Hash(source, target, round) % spread);
    }

    private int Zone(int node) => node * 3 / Nodes;

    private static string HostIp(int node) => $"172.20.{node / 250}.{(node % 250) + 1}";

    private static string EndpointIp(int node) => $"10.{node / 250}.{node % 250}.10";

    private static long Hash(int source, int target, int round) =>
        (long)((((uint)source * 2654435761u) ^ ((uint)target * 40503u) ^ ((uint)round * 2246822519u)) % 1_000_003u);
}
