using System.Text.Json;
using CiliumDash.Agents;
using CiliumDash.Protocols.Agent;
using CiliumDash.Protocols.Health;
using CiliumDash.Protocols.Json;
using CiliumDash.Simulator.Cluster;
using CiliumDash.Simulator.Documents;
using CiliumDash.Tests.Simulator.Documents;

namespace CiliumDash.Tests.Protocols;

/// <summary>
/// The wire models against what Cilium prints: the real captures deserialize and use only names the models declare,
/// and the simulator's documents (serialized from the models) read back into the same models unchanged.
/// </summary>
public sealed class WireModelTests
{
    private static string Fixture(params string[] parts) => File.ReadAllText(DocumentTestData.FixturePath(parts));

    [Theory]
    [InlineData(WireShape.Cilium112)]
    [InlineData(WireShape.Current)]
    public void StatusDocument_AllFaultsOn_RoundTripsThroughTheModel(WireShape shape)
    {
        var cluster = DocumentTestData.AllFaults(shape);
        foreach (var node in cluster.Nodes)
        {
            var printed = AgentStatusDocuments.Render(cluster, node, DocumentTestData.Now);

            var model = JsonSerializer.Deserialize(printed, CiliumJson.Context.StatusResponse)!;

            Assert.Equal(printed, JsonDocumentWriter.Write(model, CiliumJson.Context.StatusResponse));
            Assert.Equal(node.Name, model.Cluster!.Self);
        }
    }

    [Theory]
    [InlineData(WireShape.Cilium112)]
    [InlineData(WireShape.Current)]
    public void HealthDocument_AllFaultsOn_RoundTripsThroughTheModel(WireShape shape)
    {
        var cluster = DocumentTestData.AllFaults(shape);
        foreach (var node in cluster.Nodes)
        {
            var printed = HealthStatusDocuments.Render(cluster, node, DocumentTestData.Now);

            var model = JsonSerializer.Deserialize(printed, CiliumJson.Context.HealthStatusResponse)!;

            Assert.Equal(printed, JsonDocumentWriter.Write(model, CiliumJson.Context.HealthStatusResponse));
            Assert.Equal(cluster.Nodes.Count, model.Nodes!.Count);
        }
    }

    [Theory]
    [InlineData(WireShape.Cilium112)]
    [InlineData(WireShape.Current)]
    public void SimulatedDocuments_AllFaultsOn_UseOnlyTheModelsNames(WireShape shape)
    {
        var cluster = DocumentTestData.AllFaults(shape);
        var status = cluster.Nodes.SelectMany(node => Paths(AgentStatusDocuments.Render(cluster, node, DocumentTestData.Now), WireModelPaths.StatusResponse));
        var health = cluster.Nodes.SelectMany(node => Paths(HealthStatusDocuments.Render(cluster, node, DocumentTestData.Now), WireModelPaths.HealthStatusResponse));

        Assert.Empty(WireModelPaths.Unknown(status, WireModelPaths.StatusResponse));
        Assert.Empty(WireModelPaths.Unknown(health, WireModelPaths.HealthStatusResponse));
    }

    [Fact]
    public void RealHealthCapture_Deserializes_EveryNameKnownAndEveryValueRead()
    {
        var json = Fixture("health", "cilium-health-probe-1.18.0-k8s-master-n1-endpoint-unreachable.json");

        var model = JsonSerializer.Deserialize(json, CiliumJson.Context.HealthStatusResponse)!;

        Assert.Empty(WireModelPaths.Unknown(Paths(json, WireModelPaths.HealthStatusResponse), WireModelPaths.HealthStatusResponse));
        Assert.Equal("k8s-master-n1", model.Local!.Name);
        Assert.Equal("1m36.566274746s", model.ProbeInterval);
        Assert.Equal(new DateTimeOffset(2025, 8, 3, 14, 23, 49, TimeSpan.Zero), model.Timestamp);
        var worker = model.Nodes!.Single(n => n.Name == "k8s-worker-n1");
        Assert.Equal("Connection timed out", worker.HealthEndpoint!.PrimaryAddress!.Icmp!.Status);
        Assert.Equal(worker.Endpoint, worker.HealthEndpoint.PrimaryAddress);
        Assert.Equal(988255, worker.Host!.PrimaryAddress!.Http!.Latency);
        Assert.Equal(new DateTimeOffset(2025, 8, 3, 14, 22, 47, TimeSpan.Zero), worker.Endpoint!.Http!.LastProbed);
        Assert.Empty(worker.Host.SecondaryAddresses!);
    }

    [Fact]
    public void RealHealthCapture_Reserialized_ReadsTheSame()
    {
        var json = Fixture("health", "cilium-health-probe-1.18.0-k8s-master-n1-endpoint-unreachable.json");
        var model = JsonSerializer.Deserialize(json, CiliumJson.Context.HealthStatusResponse)!;

        var again = JsonDocumentWriter.Write(model, CiliumJson.Context.HealthStatusResponse);

        // cilium-health prints the same names in the same order and format: only the trailing newline differs.
        Assert.Equal(json.TrimEnd('\n'), again);
    }

    [Fact]
    public void RealBriefHealthz_Deserializes_AndParses()
    {
        var json = Fixture("healthz", "healthz-brief-2020-issue12924.json");

        var model = JsonSerializer.Deserialize(json, CiliumJson.Context.StatusResponse)!;
        var status = AgentStatusParser.Parse(System.Text.Encoding.UTF8.GetBytes(json)).Value!;

        Assert.Empty(WireModelPaths.Unknown(Paths(json, WireModelPaths.StatusResponse), WireModelPaths.StatusResponse));
        Assert.Equal(("Ok", "OK"), (model.Cilium!.State, model.Cilium.Msg));
        Assert.Null(model.Cluster!.Nodes);
        Assert.Equal("Ok", status.Cluster!.CiliumHealth!.State);
        Assert.Null(status.Version);   // agents before 1.10 wrote "OK" where the version now is
        Assert.Empty(status.ParseWarnings);
    }

    [Fact]
    public void Models_DeclareBothNamesOfEveryRenamedField()
    {
        string[] renamed =
        [
            "host-routing.mode", "routing.intra-host-routing-mode", "routing.inter-host-routing-mode", "routing.tunnel-protocol",
            "hubble.metrics.state", "hubble-metrics.state", "masquerading.snat-exclusion-cidr", "masquerading.snat-exclusion-cidr-v4",
            "kube-proxy-replacement.features.hostReachableServices.enabled", "kube-proxy-replacement.features.socketLB.enabled",
            "kube-proxy-replacement.devices", "kube-proxy-replacement.deviceList[].name", "cluster-mesh.num-global-services",
        ];
        string[] health = ["nodes[].endpoint.icmp.latency", "nodes[].health-endpoint.primary-address.icmp.lastProbed", "probeInterval"];

        Assert.All(renamed, path => Assert.Contains(path, WireModelPaths.StatusResponse));
        Assert.All(health, path => Assert.Contains(path, WireModelPaths.HealthStatusResponse));
    }

    [Fact]
    public void UnknownNameCheck_NameNotInTheModels_IsReported()
    {
        var paths = Paths("""{"kube-proxy-replacement":{"node-port":{}},"cilium":{"state":"Ok"}}""", WireModelPaths.StatusResponse);

        Assert.Equal(["kube-proxy-replacement.node-port"], WireModelPaths.Unknown(paths, WireModelPaths.StatusResponse));
    }

    [Fact]
    public void Times_WrittenAsCiliumPrintsThem()
    {
        var controller = new ControllerRunStatus { LastFailureTimestamp = WireTime.Never, LastSuccessTimestamp = new DateTimeOffset(2025, 8, 3, 14, 22, 13, 921, TimeSpan.FromHours(2)) };
        var probe = new ConnectivityStatus { LastProbed = new DateTimeOffset(2025, 8, 3, 14, 22, 47, TimeSpan.Zero).AddTicks(5_000_000) };

        Assert.Equal("""{"last-failure-timestamp":"0001-01-01T00:00:00.000Z","last-success-timestamp":"2025-08-03T12:22:13.921Z"}""",
            JsonSerializer.Serialize(controller, CiliumJson.Context.ControllerRunStatus));
        Assert.Equal("""{"lastProbed":"2025-08-03T14:22:47.5Z"}""", JsonSerializer.Serialize(probe, CiliumJson.Context.ConnectivityStatus));
    }

    private static SortedSet<string> Paths(string json, IReadOnlySet<string> model) =>
        DocumentTestData.PropertyPaths(DocumentTestData.Parse(json), WireModelPaths.Maps(model));
}
