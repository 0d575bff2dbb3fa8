using System.Globalization;
using System.Text.Json;
using CiliumDash.Simulator.Cluster;
using CiliumDash.Simulator.Documents;

namespace CiliumDash.Tests.Simulator.Documents;

public sealed class HealthStatusDocumentTests
{
    private const long Millisecond = 1_000_000;

    private static readonly JsonElement Captured = DocumentTestData.Parse(File.ReadAllText(
        DocumentTestData.FixturePath("health", "cilium-health-probe-1.18.0-k8s-master-n1-endpoint-unreachable.json")));

    [Theory]
    [InlineData(WireShape.Cilium112)]
    [InlineData(WireShape.Current)]
    public void Render_EveryNode_ListsEveryNodeOnceWithItsAddresses(WireShape shape)
    {
        var cluster = DocumentTestData.Cluster(shape, nodes: 5);
        foreach (var local in cluster.Nodes)
        {
            var doc = Health(cluster, local);

            Assert.Equal(local.Name, doc.GetProperty("local").GetProperty("name").GetString());
            var entries = doc.GetProperty("nodes").EnumerateArray().ToDictionary(n => n.GetProperty("name").GetString()!);
            Assert.Equal(cluster.Nodes.Select(n => n.Name).Order(), entries.Keys.Order());
            foreach (var target in cluster.Nodes)
            {
                var entry = entries[target.Name];
                Assert.Equal(target.InternalIp, entry.GetProperty("host").GetProperty("primary-address").GetProperty("ip").GetString());
                Assert.Equal(target.HealthIp, entry.GetProperty("health-endpoint").GetProperty("primary-address").GetProperty("ip").GetString());
                Assert.Equal(
                    entry.GetProperty("health-endpoint").GetProperty("primary-address").GetRawText().Replace("  ", "", StringComparison.Ordinal),
                    entry.GetProperty("endpoint").GetRawText().Replace("  ", "", StringComparison.Ordinal));
            }
        }
    }

    [Theory]
    [InlineData(WireShape.Cilium112)]
    [InlineData(WireShape.Current)]
    public void Render_HealthyLan_LatenciesAreNanosecondIntegersOfHundredsOfMicroseconds(WireShape shape)
    {
        var cluster = DocumentTestData.Cluster(shape, nodes: 4);
        var json = HealthStatusDocuments.Render(cluster, cluster.Nodes[1], DocumentTestData.Now);

        var probes = Probes(DocumentTestData.Parse(json)).ToList();

        Assert.Equal(4 * 3 * 2, probes.Count);
        foreach (var (_, _, probe) in probes)
        {
            var latency = probe.GetProperty("latency");
            Assert.DoesNotContain('.', latency.GetRawText());
            Assert.InRange(latency.GetInt64(), 50_000, 1_000_000);
            Assert.False(probe.TryGetProperty("status", out _));
        }
    }

    [Fact]
    public void Render_EndpointUnreachable_MirrorsTheCapturedFailure()
    {
        var cluster = DocumentTestData.Cluster(WireShape.Current, nodes: 3, unreachableEndpoints: ["knode1"]);
        var target = cluster.Nodes[1];
        var capturedFailure = Captured.GetProperty("nodes")[0].GetProperty("health-endpoint").GetProperty("primary-address");
        var capturedIp = capturedFailure.GetProperty("ip").GetString()!;

        foreach (var local in cluster.Nodes)
        {
            var entry = Entry(Health(cluster, local), target.Name);
            foreach (var path in new[] { entry.GetProperty("endpoint"), entry.GetProperty("health-endpoint").GetProperty("primary-address") })
            {
                foreach (var kind in new[] { "icmp", "http" })
                {
                    var expected = capturedFailure.GetProperty(kind);
                    var actual = path.GetProperty(kind);
                    Assert.Equal(Names(expected), Names(actual));
                    Assert.Equal(
                        expected.GetProperty("status").GetString()!.Replace(capturedIp, target.HealthIp, StringComparison.Ordinal),
                        actual.GetProperty("status").GetString());
                }
            }

            var host = entry.GetProperty("host").GetProperty("primary-address");
            Assert.True(host.GetProperty("icmp").GetProperty("latency").GetInt64() > 0);
            Assert.True(host.GetProperty("http").GetProperty("latency").GetInt64() > 0);
        }

        Assert.All(
            Probes(Health(cluster, cluster.Nodes[0])).Where(p => p.Node != target.Name),
            p => Assert.True(p.Probe.TryGetProperty("latency", out _)));
    }

    [Fact]
    public void Render_SlowLink_ProbesAcrossItTakeTensOfMilliseconds()
    {
        var cluster = DocumentTestData.Cluster(nodes: 3, slowLinks: ["knode2"]);

        var fromFedora = Probes(Health(cluster, cluster.Nodes[0])).ToList();

        Assert.All(fromFedora.Where(p => p.Node == "knode2"),
            p => Assert.InRange(p.Probe.GetProperty("latency").GetInt64(), 20 * Millisecond, 80 * Millisecond));
        Assert.All(fromFedora.Where(p => p.Node != "knode2"),
            p => Assert.InRange(p.Probe.GetProperty("latency").GetInt64(), 0, Millisecond));
    }

    [Fact]
    public void Render_Current_AddsProbeIntervalAndLastProbedLikeTheCapture()
    {
        var cluster = DocumentTestData.Cluster(WireShape.Current, nodes: 3);
        var doc = Health(cluster, cluster.Nodes[0]);

        Assert.Matches(@"^\d+m\d+\.\d+s$", doc.GetProperty("probeInterval").GetString()!);
        Assert.Equal(Names(Captured), Names(doc));
        var timestamp = Time(doc.GetProperty("timestamp"));
        foreach (var (_, _, probe) in Probes(doc))
        {
            Assert.InRange(Time(probe.GetProperty("lastProbed")), DocumentTestData.Start - TimeSpan.FromSeconds(1), timestamp);
        }
    }

    [Fact]
    public void Render_Cilium112_HasNoFieldsFrom118()
    {
        var cluster = DocumentTestData.Cluster();
        var json = HealthStatusDocuments.Render(cluster, cluster.Nodes[0], DocumentTestData.Now);

        Assert.DoesNotContain("lastProbed", json, StringComparison.Ordinal);
        Assert.DoesNotContain("probeInterval", json, StringComparison.Ordinal);
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$", DocumentTestData.Parse(json).GetProperty("timestamp").GetString()!);
    }

    [Theory]
    [InlineData(WireShape.Cilium112)]
    [InlineData(WireShape.Current)]
    public void Render_SameProbeRound_IsIdenticalAndTheNextRoundMoves(WireShape shape)
    {
        var first = DocumentTestData.Cluster(shape, nodes: 4, seed: 3);
        var second = DocumentTestData.Cluster(shape, nodes: 4, seed: 3);
        var node = first.Nodes[2];

        var doc = HealthStatusDocuments.Render(first, node, DocumentTestData.Now);

        Assert.Equal(doc, HealthStatusDocuments.Render(second, second.Nodes[2], DocumentTestData.Now));
        Assert.NotEqual(doc, HealthStatusDocuments.Render(first, node, DocumentTestData.Now + TimeSpan.FromMinutes(2)));
    }

    private static JsonElement Health(SimulatedCluster cluster, SimNode node) =>
        DocumentTestData.Parse(HealthStatusDocuments.Render(cluster, node, DocumentTestData.Now));

    private static JsonElement Entry(JsonElement doc, string name) =>
        doc.GetProperty("nodes").EnumerateArray().Single(n => n.GetProperty("name").GetString() == name);

    /// <summary>Every ConnectivityStatus of a document: (node, path, probe) for host, health-endpoint and endpoint.</summary>
    private static IEnumerable<(string Node, string Path, JsonElement Probe)> Probes(JsonElement doc)
    {
        foreach (var entry in doc.GetProperty("nodes").EnumerateArray())
        {
            var name = entry.GetProperty("name").GetString()!;
            var paths = new[]
            {
                ("host", entry.GetProperty("host").GetProperty("primary-address")),
                ("health-endpoint", entry.GetProperty("health-endpoint").GetProperty("primary-address")),
                ("endpoint", entry.GetProperty("endpoint")),
            };
            foreach (var (pathName, path) in paths)
            {
                yield return (name, pathName, path.GetProperty("icmp"));
                yield return (name, pathName, path.GetProperty("http"));
            }
        }
    }

    private static List<string> Names(JsonElement element) =>
        element.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToList();

    private static DateTimeOffset Time(JsonElement element) =>
        DateTimeOffset.Parse(element.GetString()!, CultureInfo.InvariantCulture);
}
