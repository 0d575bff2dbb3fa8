using CiliumDash.Protocols.Hubble;
using CiliumDash.ServiceMap;
using CiliumDash.Shared;
using CiliumDash.Tests.Builders;

namespace CiliumDash.Tests.ServiceMap;

/// <summary>The running aggregate against the window it follows, and the views of it (scope, filters, grouping).</summary>
public sealed class ServiceMapAggregateTests
{
    [Fact]
    public void Window_OldFlowsEvicted_LinksFollowTheWindowExactly()
    {
        using var map = new MapFixture(window: 3);
        for (var i = 0; i < 5; i++)
        {
            map.Flows.Add(FlowData.Flow(i, sourcePod: $"client{i}", destinationPod: "cart-5c7d9f8b6-xqzzt"));
        }

        var live = map.Query();
        var scanned = map.Query("since=2000-01-01T00:00:00Z");

        Assert.Equal(["workload:default/client2->workload:shop/cart", "workload:default/client3->workload:shop/cart", "workload:default/client4->workload:shop/cart"],
            live.Edges.Select(e => e.Id));
        Assert.Equal(3, live.Coverage.Flows);
        Assert.DoesNotContain(live.Nodes, n => n.Id == "workload:default/client0");

        // The running counts and a fresh count of the window's rows agree.
        Assert.Equal(scanned.Edges.Select(e => (e.Id, e.Flows)), live.Edges.Select(e => (e.Id, e.Flows)));
    }

    [Fact]
    public void Window_PeerLeavesAndReturns_SameNodeId()
    {
        using var map = new MapFixture(window: 1);
        map.Flows.Add(FlowData.Flow(0, sourcePod: "frontend-7d4b9c6f5-x2x9k"));
        var first = map.Query().Nodes.Select(n => n.Id).ToList();
        map.Flows.Add(FlowData.Flow(1, sourcePod: "other", destinationPod: "another"));
        map.Flows.Add(FlowData.Flow(2, sourcePod: "frontend-7d4b9c6f5-b8k2m"));

        Assert.Equal(first, map.Query().Nodes.Select(n => n.Id));
        Assert.Contains("workload:default/frontend", first);
    }

    [Fact]
    public void Flows_PolicyNames_ListedWithDirectionAndVerdict()
    {
        using var map = new MapFixture();
        var allowed = FlowData.Flow(0);
        allowed.EgressAllowedBy.Add(new Policy { Name = "allow-cart", Namespace = "default", Kind = "CiliumNetworkPolicy" });
        var denied = FlowData.Flow(1, verdict: "DROPPED", dropReason: "POLICY_DENY");
        denied.IngressDeniedBy.Add(new Policy { Name = "deny-frontend", Namespace = "shop", Kind = "CiliumNetworkPolicy" });
        map.Flows.Add(allowed);
        map.Flows.Add(denied);

        var edge = Assert.Single(map.Query().Edges);

        Assert.Equal(2, edge.Flows);
        Assert.Equal(MapEdgeStates.Denied, edge.State);
        Assert.Equal(
            [("allow-cart", "default", "egress", "allowed", 1L), ("deny-frontend", "shop", "ingress", "denied", 1L)],
            edge.Policies.Select(p => (p.Name, p.Namespace, p.Direction, p.Verdict, p.Flows)).OrderBy(p => p.Name));
        Assert.Equal(new Dictionary<string, long> { ["FORWARDED"] = 1, ["DROPPED"] = 1 }, edge.Verdicts);
    }

    [Fact]
    public void TeamScope_ShopTeam_SeesOnlyLinksTouchingShop()
    {
        using var map = new MapFixture();
        map.Flows.Add(FlowData.Flow(0));
        map.Flows.Add(FlowData.Flow(1, sourceNamespace: "ingress", sourcePod: "nginx", destinationNamespace: "default", destinationPod: "frontend"));
        map.Flows.Add(FlowData.Flow(2, sourceNamespace: "billing", sourcePod: "invoice", destinationNamespace: "billing", destinationPod: "db"));

        var shop = map.Query(scope: new AccessScope(new HashSet<string> { "shop" }));
        var nobody = map.Query(scope: new AccessScope(new HashSet<string>()));

        Assert.Equal(["workload:default/frontend->workload:shop/cart"], shop.Edges.Select(e => e.Id));
        Assert.Equal(["workload:default/frontend", "workload:shop/cart"], shop.Nodes.Select(n => n.Id));
        Assert.Equal(["default", "shop"], shop.Namespaces);
        Assert.Empty(nobody.Edges);
        Assert.Empty(nobody.Namespaces);
    }

    [Fact]
    public void Views_NamespaceFilterGroupingAndHiding_AllFromTheQuery()
    {
        using var map = new MapFixture();
        map.Flows.Add(FlowData.Flow(0, sourceLabels: ["k8s:app.kubernetes.io/name=web"]));
        map.Flows.Add(FlowData.Flow(1, sourcePod: "admin", sourceLabels: ["k8s:app.kubernetes.io/name=web"]));
        map.Flows.Add(FlowData.Flow(2, sourceNamespace: "kube-system", sourcePod: "coredns-5d78c9869d-tbq2x", sourceLabels: ["k8s:k8s-app=kube-dns"], destinationNamespace: "monitoring", destinationPod: "prometheus-0"));

        var byNamespace = map.Query("group-by=namespace");
        var byLabel = map.Query("group-by=app.kubernetes.io/name&namespace=shop");
        var quiet = map.Query("hide=kube-dns");

        Assert.Equal(["namespace:default->namespace:shop", "namespace:kube-system->namespace:monitoring"], byNamespace.Edges.Select(e => e.Id));
        Assert.Equal(2, byNamespace.Nodes.Single(n => n.Id == "namespace:default").Members);
        var web = Assert.Single(byLabel.Edges);
        Assert.Equal(("label:default/app.kubernetes.io/name=web", 2L), (web.Source, web.Flows));
        Assert.Equal("from-namespace=default&from-label=app.kubernetes.io%2Fname%3Dweb&to-namespace=shop&to-workload=cart", web.FlowsQuery);
        Assert.Contains("--from-label app.kubernetes.io/name=web", web.HubbleCommand, StringComparison.Ordinal);
        Assert.DoesNotContain(quiet.Nodes, n => n.Namespace == "kube-system");
        Assert.Equal(2, quiet.Edges.Count);
    }

    [Fact]
    public void Views_MoreNodesThanMax_NamespacesCollapseUnlessExpanded()
    {
        using var map = new MapFixture();
        for (var i = 0; i < 6; i++)
        {
            map.Flows.Add(FlowData.Flow(i, sourcePod: $"client{i}", destinationNamespace: i % 2 == 0 ? "shop" : "billing", destinationPod: $"server{i}"));
        }

        var grouped = map.Query("max-nodes=5");
        var expanded = map.Query("max-nodes=5&expand=default");

        Assert.True(grouped.AutoGrouped);
        Assert.Equal(["billing", "default", "shop"], grouped.CollapsedNamespaces);
        Assert.Equal(["namespace:billing", "namespace:default", "namespace:shop"], grouped.Nodes.Select(n => n.Id));
        Assert.Equal(6, grouped.Edges.Sum(e => e.Flows));
        Assert.Equal(6, expanded.Nodes.Count(n => n.Kind == MapNodeKinds.Workload));
        Assert.DoesNotContain("default", expanded.CollapsedNamespaces);
    }

    [Fact]
    public void Pods_LocalEndpoint_RecordsTheNodeItRunsOn()
    {
        using var map = new MapFixture();
        var flow = FlowData.Flow(0, node: "worker-1");
        flow.Source.ID = 1234;
        map.Flows.Add(flow);

        Assert.Equal([("frontend-7d4b9c6f5-x2x9k", "worker-1")], map.Map.Pods("workload:default/frontend"));
        Assert.Equal([("cart-5c7d9f8b6-abcde", "")], map.Map.Pods("workload:shop/cart"));
    }

    [Fact]
    public void Window_FlowsBeforeTheStore_SeededFromTheWindow()
    {
        using var flows = new CiliumDash.Flows.FlowStore(TimeProvider.System, 10);
        flows.Add(FlowData.Flow(0));
        using var store = new ServiceMapStore(flows);
        flows.Add(FlowData.Flow(1));

        Assert.Equal(2, Assert.Single(store.Query(ServiceMapQuery.Default, AccessScope.All).Edges).Flows);
    }

    [Theory]
    [InlineData("colour=red", "unknown service map parameter 'colour'")]
    [InlineData("since=yesterday", "since=\"yesterday\": expected an RFC 3339 time")]
    [InlineData("max-nodes=1", "max-nodes=\"1\": expected a whole number")]
    [InlineData("group-by=a%20b", "group-by=\"a b\": expected namespace, workload or a label key")]
    [InlineData("since=1m&until=2h", "since is after until")]
    public void Query_BadValue_MessageNamesTheParameter(string query, string message)
    {
        var (parsed, error) = ServiceMapQuery.TryParse(query, DateTimeOffset.UtcNow);

        Assert.Null(parsed);
        Assert.StartsWith(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Query_RoundTrip_SameQueryString()
    {
        const string text = "namespace=a&namespace=b&group-by=app&hide=health&hide=kube-dns&expand=a&since=2026-01-02T03%3A04%3A05.0000000Z&max-nodes=100";

        var query = ServiceMapQuery.TryParse(text, DateTimeOffset.UtcNow).Query!;

        Assert.Equal(text, query.ToQueryString());
        Assert.Equal(MapGrouping.Label, query.GroupBy);
        Assert.Equal(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), query.Since);
    }
}
