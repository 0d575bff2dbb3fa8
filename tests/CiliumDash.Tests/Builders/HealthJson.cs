using System.Globalization;
using System.Text;

namespace CiliumDash.Tests.Builders;

/// <summary>One probe in a test report: a latency, an error text, or nothing (not probed yet).</summary>
internal sealed record Probe(string Json)
{
    public static Probe Ok(long ns) => new($$"""{"latency":{{ns.ToString(CultureInfo.InvariantCulture)}}}""");

    public static Probe Fail(string status = "Connection timed out") => new($$"""{"status":"{{status.Replace("\"", "\\\"", StringComparison.Ordinal)}}"}""");

    public static Probe NotProbed { get; } = new("null");
}

/// <summary><c>cilium-health status -o json</c> documents for tests, healthy unless a peer says otherwise.</summary>
internal static class HealthJson
{
    public static string Peer(
        string? name,
        string hostIp = "192.168.31.101",
        string endpointIp = "10.0.1.55",
        Probe? hostIcmp = null,
        Probe? hostHttp = null,
        Probe? endpointIcmp = null,
        Probe? endpointHttp = null)
    {
        var endpoint = $$"""{"ip":"{{endpointIp}}","icmp":{{(endpointIcmp ?? Probe.Ok(200_000)).Json}},"http":{{(endpointHttp ?? Probe.Ok(500_000)).Json}}}""";
        var nameJson = name is null ? "" : $"\"name\":\"{name}\",";
        return $$"""{{{nameJson}}"host":{"primary-address":{"ip":"{{hostIp}}","icmp":{{(hostIcmp ?? Probe.Ok(150_000)).Json}},"http":{{(hostHttp ?? Probe.Ok(800_000)).Json}}},"secondary-addresses":[]},"health-endpoint":{"primary-address":{{endpoint}},"secondary-addresses":[]},"endpoint":{{endpoint}}}""";
    }

    public static byte[] Report(string local, DateTimeOffset timestamp, params string[] peers) =>
        Encoding.UTF8.GetBytes($$"""{"local":{"name":"{{local}}"},"nodes":[{{string.Join(",", peers)}}],"timestamp":"{{timestamp.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}}"}""");

    /// <summary>The seed's two nodes, both healthy, from <paramref name="local"/>.</summary>
    public static byte[] Pair(string local, DateTimeOffset timestamp, long rttNs = 150_000, Probe? knode1Endpoint = null) =>
        Report(local, timestamp,
            Peer("fedora", hostIp: "192.168.31.100", endpointIp: "10.0.0.10", hostIcmp: Probe.Ok(rttNs)),
            Peer("knode1", hostIcmp: Probe.Ok(rttNs), endpointIcmp: knode1Endpoint, endpointHttp: knode1Endpoint));
}
