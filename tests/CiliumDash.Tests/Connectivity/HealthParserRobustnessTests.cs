using System.Text;
using System.Text.Json.Nodes;
using CiliumDash.Configuration;
using CiliumDash.Connectivity;
using CiliumDash.Simulator.Cluster;
using CiliumDash.Simulator.Documents;
using CiliumDash.Tests.Builders;
using Microsoft.Extensions.Time.Testing;

namespace CiliumDash.Tests.Connectivity;

/// <summary>Versions and hostile reports: each problem is shown for what it is, nothing throws.</summary>
public sealed class HealthParserRobustnessTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly ConnectivityStore _store = new(new FakeTimeProvider(Now), new ConnectivityOptions());

    private IngestResult Ingest(string json, string node = "fedora") => _store.Ingest(node, Encoding.UTF8.GetBytes(json));

    private PathDetail Path(string to, ProbePath path, string from = "fedora") => _store.Pair(from, to)!.Paths[(int)path];

    private IReadOnlyList<string> Issues(string node = "fedora") => _store.Nodes().Single(n => n.Name == node).Issues;

    [Fact]
    public void Ingest_OnlyTheOldFlatEndpoint_ReadsIt()
    {
        var result = Ingest("""
            {"local":{"name":"fedora"},"timestamp":"2022-08-01T10:00:00Z","nodes":[
              {"name":"knode1",
               "host":{"primary-address":{"ip":"192.168.31.101","icmp":{"latency":400000},"http":{"latency":900000}}},
               "endpoint":{"ip":"10.0.1.55","icmp":{"status":"Connection timed out"},"http":{"latency":700000}}}]}
            """);

        Assert.Equal(0, result.Summary!.Reachable);
        Assert.Null(result.Summary.ProbeInterval);
        Assert.Equal("Connection timed out", Path("knode1", ProbePath.EndpointIcmp).Error);
        Assert.Equal(700000, Path("knode1", ProbePath.EndpointHttp).RttNs);
        Assert.Equal("10.0.1.55", Path("knode1", ProbePath.EndpointHttp).Ip);
    }

    [Theory]
    [InlineData(WireShape.Cilium112)]
    [InlineData(WireShape.Current)]
    public void Ingest_SimulatedReport_EveryPairOk(WireShape shape)
    {
        var cluster = new SimulatedCluster(new SimulatorOptions { Nodes = 5, Shape = shape, FlowsPerSecond = 0 });
        var node = cluster.Nodes[0];

        var result = _store.Ingest(node.Name, Encoding.UTF8.GetBytes(HealthStatusDocuments.Render(cluster, node, cluster.StartedAt.AddMinutes(5))));

        Assert.Equal(5, result.Summary!.Reachable);
        Assert.Equal(5, result.Summary.Total);
        Assert.Equal(shape == WireShape.Current, result.Summary.ProbeInterval is not null);
        Assert.All(_store.Row(node.Name).SelectMany(p => p.Probes), p => Assert.Equal(ProbeState.Ok, p.State));
    }

    [Fact]
    public void Ingest_NotProbedYet_IsUnknownNotFailure()
    {
        var result = Ingest("""{"nodes":[{"name":"knode1","host":{"primary-address":{"ip":"192.168.31.101"}},"health-endpoint":{"primary-address":{"ip":"10.0.1.55"}}}]}""");

        Assert.Equal(1, result.Summary!.Reachable);
        Assert.Equal(ProbeState.NotProbed, Path("knode1", ProbePath.HostIcmp).State);
    }

    [Theory]
    [InlineData("""{"latency":-5}""", "negative latency -5 ns")]
    [InlineData("""{"latency":1e15}""", "implausible latency 1e15 ns")]
    [InlineData("""{"latency":"fast"}""", "latency is a string, not a number of nanoseconds")]
    [InlineData("""{"status":""}""", "no latency and no error reported")]
    [InlineData("""{"status":42}""", "status is a number, not a text")]
    public void Ingest_BadLatency_InvalidWithReason(string probe, string reason)
    {
        // Values the wire model cannot hold (a text latency, a numeric status) go into the serialized report as written.
        var report = JsonNode.Parse(HealthJson.Report("fedora", Now, HealthJson.Peer("knode1")))!;
        report["nodes"]![0]!["host"]!["primary-address"]!["icmp"] = JsonNode.Parse(probe);
        Ingest(report.ToJsonString());

        var path = Path("knode1", ProbePath.HostIcmp);
        Assert.Equal(ProbeState.Invalid, path.State);
        Assert.Equal(reason, path.Error);
    }

    [Fact]
    public void Ingest_DuplicateEntry_FirstKeptAndNamed()
    {
        Ingest(Encoding.UTF8.GetString(HealthJson.Report("fedora", Now,
            HealthJson.Peer("knode1", hostIcmp: Probe.Ok(100_000)), HealthJson.Peer("knode1", hostIcmp: Probe.Fail()))));

        Assert.Equal(100_000, Path("knode1", ProbePath.HostIcmp).RttNs);
        Assert.Contains("knode1 is listed more than once (nodes[1] ignored)", Issues());
    }

    [Fact]
    public void Ingest_UnnamedEntry_MappedByAddressOrNamedAsUnmapped()
    {
        Ingest(Encoding.UTF8.GetString(HealthJson.Report("fedora", Now, HealthJson.Peer("knode1", hostIp: "192.168.31.101"))));
        Ingest(Encoding.UTF8.GetString(HealthJson.Report("fedora", Now.AddMinutes(1),
            HealthJson.Peer(null, hostIp: "192.168.31.101", hostIcmp: Probe.Fail()), HealthJson.Peer(null, hostIp: "172.16.9.9", endpointIp: "10.9.9.9"))));

        Assert.Equal(ProbeState.Failed, Path("knode1", ProbePath.HostIcmp).State);
        Assert.Contains("nodes[1] has no name and its addresses (host 172.16.9.9, endpoint 10.9.9.9) map to no node", Issues());
    }

    [Fact]
    public void Ingest_WrongTypes_IssuesNameTheJsonPath()
    {
        var result = Ingest("""{"local":{"name":7},"timestamp":"yesterday","nodes":[5,{"name":"knode1","host":[],"health-endpoint":{"primary-address":{"ip":1,"icmp":"x"}}}]}""");

        Assert.NotNull(result.Summary);
        Assert.Equal(
            ["$.local.name: expected a string, found a number", "$.timestamp: expected an RFC 3339 time, found a string", "$.nodes[0]: expected an object, found a number",
             "$.nodes[1].host: expected an object, found an array", "$.nodes[1].health-endpoint.primary-address.ip: expected a string, found a number",
             "$.nodes[1].health-endpoint.primary-address.icmp: expected an object, found a string"],
            Issues());
        Assert.Equal("no host address in the report", Path("knode1", ProbePath.HostIcmp).Error);
    }

    [Theory]
    [InlineData("{\n\"nodes\": [\n{\"name\": ", "malformed health JSON at $ (line 3, byte ")]
    [InlineData("[]", "health JSON at $: expected an object")]
    [InlineData("{} {}", "malformed health JSON")]
    [InlineData("""{"local":{"name":"\ud800"}}""", "health JSON has text that is not valid Unicode")]
    public void Ingest_BrokenDocument_ErrorAndRowUntouched(string json, string error)
    {
        Ingest(Encoding.UTF8.GetString(HealthJson.Pair("fedora", Now)));

        var result = Ingest(json);

        Assert.Null(result.Summary);
        Assert.StartsWith(error, result.Error);
        var fedora = _store.Nodes().Single(n => n.Name == "fedora");
        Assert.True(fedora.Stale);
        Assert.Equal(ProbeState.Ok, Path("knode1", ProbePath.HostIcmp).State);
    }

    [Fact]
    public void Ingest_DeepNestingAndInvalidUtf8_Refused()
    {
        Assert.StartsWith("malformed health JSON", Ingest("{\"x\":" + new string('[', 100) + new string(']', 100) + "}").Error);
        Assert.Equal("health document is not valid UTF-8: byte 0xFF at offset 9", _store.Ingest("fedora", [.. "{\"local\":"u8, 0xFF, .. "}"u8]).Error);
    }

    [Fact]
    public void Ingest_ClusterPrefixedNames_MatchKubernetesNames()
    {
        Ingest(Encoding.UTF8.GetString(HealthJson.Report("kind-kind/fedora", Now, HealthJson.Peer("kind-kind/fedora", "192.168.31.100", "10.0.0.10"), HealthJson.Peer("kind-kind/knode1"))));

        Assert.Equal(["fedora", "knode1"], _store.Nodes().Select(n => n.Name));
        Assert.Empty(Issues());
    }

    [Fact]
    public void Ingest_ReportFromAnotherNode_Named()
    {
        Ingest(Encoding.UTF8.GetString(HealthJson.Pair("knode1", Now)));

        Assert.Contains("the report says it comes from 'knode1', but it was read from the agent of node 'fedora'", Issues());
    }

    public void Dispose() => _store.Dispose();
}
