using FlowQuery = CiliumDash.Flows.Query.FlowQuery;
using CiliumDash.ServiceMap;
using FlowJsonLines = CiliumDash.Simulator.Relay.FlowJsonLines;
using CiliumDash.Tests.Protocols;

namespace CiliumDash.Tests.ServiceMap;

/// <summary>The map of real captured flows (Fixtures/flows, see SOURCES.md), checked against the flows themselves.</summary>
public sealed class ServiceMapFixtureTests
{
    private const string L3L4 = "hubble-otel-gke-2021-06-l3l4-10.jsonl";
    private const string Dns = "hubble-otel-gke-2021-10-l7-dns-5.jsonl";
    private const string Http = "hubble-otel-gke-2021-10-l7-http-5.jsonl";
    private const string Icmp = "hubble-otel-kind-2021-11-icmpv4-18.jsonl";
    private const string Dropped = "cilium-docs-2023-08-hubble-exporter-dropped-fieldmasked.jsonl";

    [Theory]
    [InlineData(L3L4)]
    [InlineData(Dropped)]
    public void CaptureWithoutReplies_EveryLink_CountsExactlyTheFlowsItsPairFilterMatches(string file)
    {
        using var map = MapFixture.Of(file);

        var graph = map.Query();

        Assert.Equal(Lines(file).Count, graph.Edges.Sum(e => e.Flows));
        Assert.All(graph.Edges, e => Assert.Equal(e.Flows, map.Flows.Query(FlowQuery.TryParse(e.FlowsQuery).Query!, 0, 100).Matched));
        Assert.All(graph.Edges, e => Assert.Equal(e.Flows, e.Verdicts.Values.Sum()));
    }

    [Fact]
    public void L3L4Capture_Peers_WorkloadsReservedAndWorldByCidr()
    {
        using var map = MapFixture.Of(L3L4);

        var graph = map.Query();

        Assert.Equal(
            ["cidr:35.246.31.0/24", "reserved:host", "workload:bookinfo/reviews-v1", "workload:istio-system/istio-galley", "workload:istio-system/istio-telemetry",
             "workload:istio-system/prometheus", "workload:kube-system/event-exporter-gke", "workload:kube-system/kube-dns"],
            graph.Nodes.Select(n => n.Id));
        var egress = Assert.Single(graph.Edges, e => e.Id == "workload:kube-system/event-exporter-gke->cidr:35.246.31.0/24");
        Assert.Equal([("TCP", 443)], egress.Ports.Select(p => (p.Protocol, p.Port)));
        Assert.Equal("reviews", graph.Nodes.Single(n => n.Id == "workload:bookinfo/reviews-v1").Labels["app"]);
        Assert.Equal(["bookinfo", "istio-system", "kube-system"], graph.Namespaces);
    }

    [Fact]
    public void DnsCapture_RepliesCountOnTheQueryingLink_WithRcodes()
    {
        using var map = MapFixture.Of(Dns);
        var flows = Lines(Dns);

        var edge = Assert.Single(map.Query().Edges);

        Assert.Equal(("workload:kube-system/node-local-dns", "workload:kube-system/kube-dns"), (edge.Source, edge.Target));
        Assert.Equal(flows.Count, edge.Flows);
        Assert.Equal([("TCP", 53)], edge.Ports.Select(p => (p.Protocol, p.Port)));
        Assert.Equal(flows.Count(f => f.Flow.L7.Type == CiliumDash.Protocols.Hubble.L7FlowType.Request), edge.Dns["query"]);
        Assert.Equal(flows.Count(f => f.Flow.L7.Type == CiliumDash.Protocols.Hubble.L7FlowType.Response && f.Flow.L7.Dns.Rcode == 3), edge.Dns["NXDOMAIN"]);

        // The pair's filter is the request direction; the replies are the reverse direction's reply flows.
        Assert.Equal(flows.Count(f => f.Flow.IsReply != true), map.Flows.Query(FlowQuery.TryParse(edge.FlowsQuery).Query!, 0, 100).Matched);
    }

    [Fact]
    public void HttpCapture_StatusClasses_CountedPerLink()
    {
        using var map = MapFixture.Of(Http);

        var edge = Assert.Single(map.Query().Edges, e => e.Target == "workload:kube-system/node-local-dns");

        Assert.Equal(3, edge.Flows);
        Assert.Equal(2, edge.Http["5xx"]);
        Assert.Equal(1, edge.Http["request"]);
    }

    [Fact]
    public void DroppedCapture_PolicyDenied_LinkIsDeniedWithItsReason()
    {
        using var map = MapFixture.Of(Dropped);

        var graph = map.Query();

        var denied = Assert.Single(graph.Edges, e => e.State == MapEdgeStates.Denied);
        Assert.Equal("workload:default/xwing->workload:default/deathstar", denied.Id);
        Assert.Equal(1, denied.DropReasons["POLICY_DENIED"]);
        Assert.Equal(1, denied.Denied);
        Assert.Equal([("TCP", 80)], denied.Ports.Select(p => (p.Protocol, p.Port)));

        // The other drop has empty (field-masked) endpoints: its two ends are told apart by address.
        var invalid = Assert.Single(graph.Edges, e => e.State == MapEdgeStates.Dropped);
        Assert.Equal(1, invalid.DropReasons["INVALID_SOURCE_IP"]);
        Assert.NotEqual(invalid.Source, invalid.Target);
        Assert.Contains("ip=ff02", invalid.FlowsQuery.Replace("%3A", ":", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void IcmpHealthCapture_ReservedIdentities_OwnNodes_AndHealthPresetHidesThem()
    {
        using var map = MapFixture.Of(Icmp);

        var graph = map.Query();
        var hidden = map.Query("hide=health");

        Assert.Equal(["reserved:health", "reserved:host", "reserved:remote-node"], graph.Nodes.Select(n => n.Id));
        Assert.All(graph.Nodes, n => Assert.Equal(MapNodeKinds.Reserved, n.Kind));
        Assert.Equal(Lines(Icmp).Count, graph.Edges.Sum(e => e.Flows));
        Assert.Empty(hidden.Edges);
        Assert.Empty(hidden.Nodes);
    }

    private static List<CiliumDash.Protocols.Hubble.ObserverApi.GetFlowsResponse> Lines(string file) =>
        File.ReadAllLines(FlowFixtures.PathOf(file)).Where(l => !string.IsNullOrWhiteSpace(l)).Select((l, i) => FlowJsonLines.ParseLine(l, i + 1)!).ToList();
}
