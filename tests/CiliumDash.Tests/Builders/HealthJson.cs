using System.Text.Json;
using CiliumDash.Protocols.Health;
using CiliumDash.Protocols.Json;

namespace CiliumDash.Tests.Builders;

/// <summary>One probe in a test report: a latency, an error text, or nothing (not probed yet).</summary>
internal sealed record Probe(ConnectivityStatus? Status)
{
    public static Probe Ok(long ns) => new(new ConnectivityStatus { Latency = ns });

    public static Probe Fail(string status = "Connection timed out") => new(new ConnectivityStatus { Status = status });

    public static Probe NotProbed { get; } = new((ConnectivityStatus?)null);
}

/// <summary><c>cilium-health status -o json</c> documents for tests, built from the wire model, healthy unless a peer says otherwise.</summary>
internal static class HealthJson
{
    public static NodeStatus Peer(
        string? name,
        string hostIp = "192.168.31.101",
        string endpointIp = "10.0.1.55",
        Probe? hostIcmp = null,
        Probe? hostHttp = null,
        Probe? endpointIcmp = null,
        Probe? endpointHttp = null)
    {
        var endpoint = new PathStatus
        {
            Ip = endpointIp,
            Icmp = (endpointIcmp ?? Probe.Ok(200_000)).Status,
            Http = (endpointHttp ?? Probe.Ok(500_000)).Status,
        };
        return new NodeStatus
        {
            Name = name,
            Host = new()
            {
                PrimaryAddress = new() { Ip = hostIp, Icmp = (hostIcmp ?? Probe.Ok(150_000)).Status, Http = (hostHttp ?? Probe.Ok(800_000)).Status },
                SecondaryAddresses = [],
            },
            HealthEndpoint = new() { PrimaryAddress = endpoint, SecondaryAddresses = [] },
            Endpoint = endpoint,
        };
    }

    public static byte[] Report(string local, DateTimeOffset timestamp, params NodeStatus[] peers) =>
        JsonSerializer.SerializeToUtf8Bytes(
            new HealthStatusResponse { Local = new() { Name = local }, Nodes = peers, Timestamp = timestamp },
            CiliumJson.Context.HealthStatusResponse);

    /// <summary>The seed's two nodes, both healthy, from <paramref name="local"/>.</summary>
    public static byte[] Pair(string local, DateTimeOffset timestamp, long rttNs = 150_000, Probe? knode1Endpoint = null) =>
        Report(local, timestamp,
            Peer("fedora", hostIp: "192.168.31.100", endpointIp: "10.0.0.10", hostIcmp: Probe.Ok(rttNs)),
            Peer("knode1", hostIcmp: Probe.Ok(rttNs), endpointIcmp: knode1Endpoint, endpointHttp: knode1Endpoint));
}
