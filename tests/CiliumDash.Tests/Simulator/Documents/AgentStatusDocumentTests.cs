using System.Text.Json;
using System.Text.RegularExpressions;
using CiliumDash.Simulator.Cluster;
using CiliumDash.Simulator.Documents;

namespace CiliumDash.Tests.Simulator.Documents;

public sealed partial class AgentStatusDocumentTests
{
    private static readonly string Notes = File.ReadAllText(DocumentTestData.FixturePath("seed", "000_15be365313dd1455.txt"));

    [Fact]
    public void Render_Cilium112_ReproducesTheNotesConfiguration()
    {
        var cluster = DocumentTestData.Cluster();
        var doc = Status(cluster, cluster.Nodes[0]);

        Assert.Equal("Ok", doc.GetProperty("cilium").GetProperty("state").GetString());
        Assert.Equal("1.12.0 (v1.12.0-9447cd1)", doc.GetProperty("cilium").GetProperty("msg").GetString());
        Assert.Equal("Disabled", doc.GetProperty("kvstore").GetProperty("msg").GetString());
        Assert.Equal("1.24 (v1.24.3) [linux/amd64]", doc.GetProperty("kubernetes").GetProperty("msg").GetString());
        Assert.Equal(NotesKubernetesApis(), Strings(doc.GetProperty("kubernetes").GetProperty("k8s-api-versions")));
        var kpr = doc.GetProperty("kube-proxy-replacement");
        Assert.Equal("Strict", kpr.GetProperty("mode").GetString());
        Assert.Equal("enp1s0", kpr.GetProperty("directRoutingDevice").GetString());
        Assert.Equal(["192.168.31.100"], Strings(kpr.GetProperty("deviceList")[0].GetProperty("ip")));
        var nodePort = kpr.GetProperty("features").GetProperty("nodePort");
        Assert.Equal("DSR", nodePort.GetProperty("mode").GetString());
        Assert.Equal("Maglev", nodePort.GetProperty("algorithm").GetString());
        Assert.Equal(16381, nodePort.GetProperty("lutSize").GetInt64());
        Assert.Equal((30000, 32767), (nodePort.GetProperty("portMin").GetInt32(), nodePort.GetProperty("portMax").GetInt32()));
        Assert.Equal(["TCP", "UDP"], Strings(kpr.GetProperty("features").GetProperty("hostReachableServices").GetProperty("protocols")));
        Assert.Equal("BPF", doc.GetProperty("host-routing").GetProperty("mode").GetString());
        Assert.False(doc.GetProperty("masquerading").TryGetProperty("enabled", out _));   // omitempty false = "Disabled"
        Assert.Equal("ktime", doc.GetProperty("clock-source").GetProperty("mode").GetString());
        Assert.Equal((4, 64, 4096), (doc.GetProperty("nodeMonitor").GetProperty("cpus").GetInt32(),
            doc.GetProperty("nodeMonitor").GetProperty("npages").GetInt32(), doc.GetProperty("nodeMonitor").GetProperty("pagesize").GetInt32()));
        Assert.Equal("fedora", doc.GetProperty("cluster").GetProperty("self").GetString());
        Assert.Equal(cluster.Nodes[0].RouterIp, doc.GetProperty("proxy").GetProperty("ip").GetString());
        Assert.Equal("10000-20000", doc.GetProperty("proxy").GetProperty("port-range").GetString());
        Assert.Equal((256, 65535), (doc.GetProperty("identity-range").GetProperty("min-identity").GetInt32(),
            doc.GetProperty("identity-range").GetProperty("max-identity").GetInt32()));
        Assert.Equal(4095, doc.GetProperty("hubble").GetProperty("observer").GetProperty("max-flows").GetInt32());
        Assert.Equal("Disabled", doc.GetProperty("hubble").GetProperty("metrics").GetProperty("state").GetString());
        Assert.Equal("Disabled", doc.GetProperty("encryption").GetProperty("mode").GetString());
        Assert.False(doc.TryGetProperty("stale", out _));
        Assert.False(doc.TryGetProperty("routing", out _));
    }

    [Fact]
    public void Render_Cilium112_BpfMapsMatchTheNotesTable()
    {
        var cluster = DocumentTestData.Cluster();
        var maps = Status(cluster, cluster.Nodes[1]).GetProperty("bpf-maps");

        var rendered = maps.GetProperty("maps").EnumerateArray()
            .Select(m => (m.GetProperty("name").GetString()!, m.GetProperty("size").GetInt64()))
            .ToList();

        Assert.Equal(23, rendered.Count);
        Assert.Equal(NotesBpfMaps(), rendered);
        Assert.Equal(0.0025, maps.GetProperty("dynamic-size-ratio").GetDouble());
    }

    [Fact]
    public void Render_NodeWithOnePod_IpamLineReadsLikeTheNotes()
    {
        var cluster = DocumentTestData.Cluster(nodes: 24);
        var node = cluster.Nodes.First(n => cluster.Pods.Count(p => p.ManagedByCilium && p.NodeName == n.Name) == 1);
        var pod = cluster.Pods.Single(p => p.ManagedByCilium && p.NodeName == node.Name);

        var ipam = Status(cluster, node).GetProperty("ipam");

        Assert.Equal($"IPv4: 3/254 allocated from {node.PodCidr}, ", ipam.GetProperty("status").GetString());
        var allocations = ipam.GetProperty("allocations");
        Assert.Equal("router", allocations.GetProperty(node.RouterIp).GetString());
        Assert.Equal("health", allocations.GetProperty(node.HealthIp).GetString());
        Assert.Equal($"{pod.Namespace}/{pod.Name}", allocations.GetProperty(pod.Ip).GetString());
        Assert.Equal([pod.Ip, node.HealthIp, node.RouterIp], Strings(ipam.GetProperty("ipv4")).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(WireShape.Cilium112)]
    [InlineData(WireShape.Current)]
    public void Render_AnyNode_HasTheNotesControllersForItsEndpoints(WireShape shape)
    {
        var cluster = DocumentTestData.Cluster(shape, nodes: 3);
        foreach (var node in cluster.Nodes)
        {
            var names = Status(cluster, node).GetProperty("controllers").EnumerateArray()
                .Select(c => c.GetProperty("name").GetString()!).ToList();

            Assert.InRange(names.Count, 20, 60);
            Assert.Equal(names.Count, names.Distinct().Count());
            Assert.Contains("cilium-health-ep", names);
            Assert.Contains("ipcache-inject-labels", names);
            foreach (var pod in cluster.Pods.Where(p => p.ManagedByCilium && p.NodeName == node.Name))
            {
                Assert.Contains($"sync-to-k8s-ciliumendpoint ({pod.EndpointId})", names);
                Assert.Contains($"endpoint-{pod.EndpointId}-regeneration-recovery", names);
            }

            if (shape == WireShape.Cilium112)
            {
                Assert.Contains($"sync-node-with-ciliumnode ({node.Name})", names);
            }
        }
    }

    [Fact]
    public void Render_HealthyControllers_FollowTheOmitemptyAndTimestampConventions()
    {
        var cluster = DocumentTestData.Cluster();
        var controllers = Status(cluster, cluster.Nodes[0]).GetProperty("controllers").EnumerateArray().ToList();

        var never = controllers.Single(c => c.GetProperty("name").GetString() == "template-dir-watcher").GetProperty("status");
        Assert.False(never.TryGetProperty("success-count", out _));
        Assert.Equal("0001-01-01T00:00:00.000Z", never.GetProperty("last-success-timestamp").GetString());
        foreach (var controller in controllers)
        {
            var status = controller.GetProperty("status");
            Assert.True(Guid.TryParse(controller.GetProperty("uuid").GetString(), out _));
            Assert.False(status.TryGetProperty("consecutive-failure-count", out _));
            Assert.Matches(MillisTimestamp(), status.GetProperty("last-success-timestamp").GetString()!);
            Assert.Matches(MillisTimestamp(), status.GetProperty("last-failure-timestamp").GetString()!);
            if (controller.GetProperty("configuration").TryGetProperty("interval", out var interval))
            {
                Assert.Matches(GoDuration(), interval.GetString()!);
            }
        }
    }

    [Fact]
    public void Render_Current_SpeaksThe118Vocabulary()
    {
        var cluster = DocumentTestData.Cluster(WireShape.Current);
        var doc = Status(cluster, cluster.Nodes[0]);

        Assert.Equal("1.18.0 (v1.18.0-274205f0)", doc.GetProperty("cilium").GetProperty("msg").GetString());
        Assert.Equal("True", doc.GetProperty("kube-proxy-replacement").GetProperty("mode").GetString());
        var features = doc.GetProperty("kube-proxy-replacement").GetProperty("features");
        Assert.Equal("IP Option/Extension", features.GetProperty("nodePort").GetProperty("dsrMode").GetString());
        Assert.True(features.GetProperty("socketLBTracing").GetProperty("enabled").GetBoolean());
        Assert.NotEmpty(Strings(features.GetProperty("annotations")));
        Assert.Equal("BPF", doc.GetProperty("routing").GetProperty("intra-host-routing-mode").GetString());
        Assert.Equal("Native", doc.GetProperty("routing").GetProperty("inter-host-routing-mode").GetString());
        Assert.False(doc.TryGetProperty("host-routing", out _));
        Assert.Equal("Disabled", doc.GetProperty("hubble-metrics").GetProperty("state").GetString());
        Assert.False(doc.GetProperty("hubble").TryGetProperty("metrics", out _));
        Assert.Equal("tcx", doc.GetProperty("attach-mode").GetString());
        Assert.Equal("veth", doc.GetProperty("datapath-mode").GetString());
        Assert.Equal("Ok", doc.GetProperty("cni-file").GetProperty("state").GetString());
        Assert.Equal("1.32 (v1.32.7) [linux/amd64]", doc.GetProperty("kubernetes").GetProperty("msg").GetString());
        var mapNames = doc.GetProperty("bpf-maps").GetProperty("maps").EnumerateArray().Select(m => m.GetProperty("name").GetString()).ToList();
        Assert.Contains("Endpoints", mapNames);
        Assert.DoesNotContain("Per endpoint policy", mapNames);
    }

    [Theory]
    [InlineData(WireShape.Cilium112)]
    [InlineData(WireShape.Current)]
    public void Render_SameSeedNodeAndTime_IsIdentical(WireShape shape)
    {
        var first = DocumentTestData.Cluster(shape, nodes: 5, seed: 7);
        var second = DocumentTestData.Cluster(shape, nodes: 5, seed: 7);

        Assert.Equal(
            AgentStatusDocuments.Render(first, first.Nodes[3], DocumentTestData.Now),
            AgentStatusDocuments.Render(second, second.Nodes[3], DocumentTestData.Now));
    }

    [Fact]
    public void Render_LaterTimeOrOtherSeed_Differs()
    {
        var cluster = DocumentTestData.Cluster(seed: 7);
        var other = DocumentTestData.Cluster(seed: 8);
        var now = AgentStatusDocuments.Render(cluster, cluster.Nodes[0], DocumentTestData.Now);

        Assert.NotEqual(now, AgentStatusDocuments.Render(cluster, cluster.Nodes[0], DocumentTestData.Now + TimeSpan.FromSeconds(30)));
        Assert.NotEqual(now, AgentStatusDocuments.Render(other, other.Nodes[0], DocumentTestData.Now));
    }

    [Theory]
    [InlineData(WireShape.Cilium112)]
    [InlineData(WireShape.Current)]
    public void Render_FailingControllersFault_ReportsFailuresWhileCiliumStaysOk(WireShape shape)
    {
        var cluster = DocumentTestData.Cluster(shape, nodes: 3, failingControllers: ["knode1"]);

        var faulted = Status(cluster, cluster.Nodes[1]);
        var failing = Failing(faulted);

        Assert.InRange(failing.Count, 1, 3);
        Assert.Equal("Ok", faulted.GetProperty("cilium").GetProperty("state").GetString());
        var ipcache = Assert.Single(failing, c => c.GetProperty("name").GetString() == "ipcache-inject-labels").GetProperty("status");
        Assert.Equal(CapturedIpcacheFailureMessage(), ipcache.GetProperty("last-failure-msg").GetString());
        foreach (var status in failing.Select(c => c.GetProperty("status")))
        {
            Assert.True(status.GetProperty("failure-count").GetInt64() >= status.GetProperty("consecutive-failure-count").GetInt64());
            Assert.NotEmpty(status.GetProperty("last-failure-msg").GetString()!);
            var lastFailure = DateTimeOffset.Parse(status.GetProperty("last-failure-timestamp").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(lastFailure, DocumentTestData.Now - TimeSpan.FromSeconds(10), DocumentTestData.Now);
        }

        Assert.Empty(Failing(Status(cluster, cluster.Nodes[0])));
        Assert.Empty(Failing(Status(cluster, cluster.Nodes[2])));
    }

    [Fact]
    public void Render_FaultSwitchedOn_KeepsControllerIdentities()
    {
        var healthy = DocumentTestData.Cluster();
        var faulted = DocumentTestData.Cluster(failingControllers: ["fedora"]);

        Assert.Equal(Uuids(Status(healthy, healthy.Nodes[0])), Uuids(Status(faulted, faulted.Nodes[0])));
    }

    private static JsonElement Status(SimulatedCluster cluster, SimNode node) =>
        DocumentTestData.Parse(AgentStatusDocuments.Render(cluster, node, DocumentTestData.Now));

    private static List<JsonElement> Failing(JsonElement doc) =>
        doc.GetProperty("controllers").EnumerateArray()
            .Where(c => c.GetProperty("status").TryGetProperty("consecutive-failure-count", out var n) && n.GetInt64() > 0)
            .ToList();

    private static List<string> Uuids(JsonElement doc) =>
        doc.GetProperty("controllers").EnumerateArray().Select(c => c.GetProperty("uuid").GetString()!).ToList();

    private static List<string> Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToList();

    /// <summary>The notes' "Kubernetes APIs:" line is a JSON array.</summary>
    private static List<string> NotesKubernetesApis()
    {
        var line = Notes.Split('\n').First(l => l.StartsWith("Kubernetes APIs:", StringComparison.Ordinal));
        return JsonSerializer.Deserialize<List<string>>(line["Kubernetes APIs:".Length..].Trim())!;
    }

    /// <summary>The rows of the notes' verbose "BPF Maps" table (name, then size, separated by 2+ spaces).</summary>
    private static List<(string, long)> NotesBpfMaps() =>
        Notes.Split('\n')
            .SkipWhile(l => !l.StartsWith("BPF Maps:", StringComparison.Ordinal))
            .Skip(2)
            .TakeWhile(l => l.StartsWith("  ", StringComparison.Ordinal))
            .Select(l => MapRow().Match(l))
            .Select(m => (m.Groups[1].Value, long.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture)))
            .ToList();

    /// <summary>The message of the failing ipcache-inject-labels row in cilium/cilium#22601.</summary>
    private static string CapturedIpcacheFailureMessage()
    {
        var excerpt = File.ReadAllText(DocumentTestData.FixturePath("status-text", "cilium-status-verbose-excerpt-issue22601-failing-controller.txt"));
        var row = excerpt.Split('\n').Single(l => l.Contains("ipcache-inject-labels", StringComparison.Ordinal));
        return FailingRow().Match(row).Groups[1].Value.Trim();
    }

    [GeneratedRegex(@"^\s+(\S.*?)\s{2,}(\d+)\s*$")]
    private static partial Regex MapRow();

    [GeneratedRegex(@"ago\s+\d+\s+(.+)$")]
    private static partial Regex FailingRow();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")]
    private static partial Regex MillisTimestamp();

    [GeneratedRegex(@"^(\d+h)?(\d+m)?\d+(\.\d+)?s$")]
    private static partial Regex GoDuration();
}
