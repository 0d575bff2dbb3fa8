using System.Text;
using CiliumDash.Connectivity;

namespace CiliumDash.Tests.Connectivity;

public sealed class HealthReportParserTests
{
    private const string Fixture = "cilium-health-probe-1.18.0-k8s-master-n1-endpoint-unreachable.json";

    private static HealthReport ParseFixture()
    {
        var result = HealthReportParser.Parse(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", "health", Fixture)));
        Assert.Null(result.Error);
        return result.Value!;
    }

    [Fact]
    public void Parse_Real118Probe_OneOfTwoReachable()
    {
        var report = ParseFixture();

        Assert.Equal("k8s-master-n1", report.LocalNode);
        Assert.Equal(2, report.Peers.Count);
        Assert.Equal(1, report.Reachable);
        Assert.True(report.Peers.Single(p => p.Name == "k8s-master-n1").Reachable);
    }

    [Fact]
    public void Parse_Real118Probe_WorkerEndpointFailsWhileItsHostAnswers()
    {
        var worker = ParseFixture().Peers.Single(p => p.Name == "k8s-worker-n1");

        Assert.False(worker.Reachable);
        Assert.False(worker.Host!.Failed);
        Assert.True(worker.Endpoint!.Failed);
        Assert.Equal("10.0.1.237", worker.Endpoint.Ip);
        Assert.Equal("Connection timed out", worker.Endpoint.Icmp!.Error);
        Assert.StartsWith("Get \"http://10.0.1.237:4240/hello\": context deadline exceeded", worker.Endpoint.Http!.Error);
        Assert.Empty(worker.SecondaryHosts);
        Assert.Empty(worker.SecondaryEndpoints);
    }

    [Fact]
    public void Parse_Real118Probe_ReadsLatencyInNanosecondsAndProbeTimes()
    {
        var report = ParseFixture();
        var worker = report.Peers.Single(p => p.Name == "k8s-worker-n1");

        Assert.Equal(988255, worker.Host!.Http!.LatencyNs);
        Assert.Equal(518144, worker.Host.Icmp!.LatencyNs);
        Assert.Equal(new DateTimeOffset(2025, 8, 3, 14, 23, 49, TimeSpan.Zero), worker.Host.Icmp.LastProbed);
        Assert.Equal("1m36.566274746s", report.ProbeInterval);
        Assert.Equal(new DateTimeOffset(2025, 8, 3, 14, 23, 49, TimeSpan.Zero), report.Timestamp);
    }

    [Fact]
    public void Parse_OnlyTheOldFlatEndpoint_ReadsIt()
    {
        const string json = """
            {"local":{"name":"fedora"},"timestamp":"2022-08-01T10:00:00Z","nodes":[
              {"name":"knode1",
               "host":{"primary-address":{"ip":"192.168.31.101","icmp":{"latency":400000},"http":{"latency":900000}}},
               "endpoint":{"ip":"10.0.1.55","icmp":{"status":"Connection timed out"},"http":{"latency":700000}}}]}
            """;

        var report = HealthReportParser.Parse(Encoding.UTF8.GetBytes(json)).Value!;

        var peer = Assert.Single(report.Peers);
        Assert.Equal("10.0.1.55", peer.Endpoint!.Ip);
        Assert.Equal("Connection timed out", peer.Endpoint.Icmp!.Error);
        Assert.Equal(700000, peer.Endpoint.Http!.LatencyNs);
        Assert.False(peer.Reachable);
        Assert.Null(report.ProbeInterval);
    }

    [Fact]
    public void Parse_NotProbedYet_IsNotAFailure()
    {
        const string json = """{"nodes":[{"name":"knode1","host":{"primary-address":{"ip":"192.168.31.101"}},"health-endpoint":{"primary-address":{"ip":"10.0.1.55"}}}]}""";

        var peer = Assert.Single(HealthReportParser.Parse(Encoding.UTF8.GetBytes(json)).Value!.Peers);

        Assert.False(peer.Host!.Failed);
        Assert.False(peer.Endpoint!.Failed);
        Assert.True(peer.Reachable);
    }

    [Fact]
    public void Parse_Truncated_ErrorNamesLine()
    {
        var result = HealthReportParser.Parse(Encoding.UTF8.GetBytes("{\n\"nodes\": [\n{\"name\": "));

        Assert.Null(result.Value);
        Assert.StartsWith("malformed health JSON", result.Error);
        Assert.Contains("(line 3, byte ", result.Error);
    }

    [Fact]
    public void Parse_NonObjectRoot_Fails() =>
        Assert.Equal("health JSON at $: expected an object", HealthReportParser.Parse(Encoding.UTF8.GetBytes("[]")).Error);
}
