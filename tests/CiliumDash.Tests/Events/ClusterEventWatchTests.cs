using CiliumDash.Events;
using CiliumDash.Testing;
using CiliumDash.Simulator.Kubernetes;

namespace CiliumDash.Tests.Events;

/// <summary>The event watches against the simulator's Kubernetes stand-in: every change becomes the right event.</summary>
public sealed class ClusterEventWatchTests
{
    [Fact]
    public async Task Watch_PolicyLifecycle_CreatedChangedDeletedAndNothingForLabels()
    {
        await using var h = await EventsWatchHarness.StartAsync();
        await h.StartWatchingAsync();
        Assert.Empty(h.Events());   // what existed before the first list is not news

        h.Cluster.Changes.ApplyPolicy(PolicyKind.CiliumNetworkPolicy, "shop", "cart-from-frontend", "cart", "frontend", 8080);
        var created = await h.AwaitEvent(ClusterEventKind.PolicyCreated, "cart-from-frontend");
        Assert.Equal(("shop", "CiliumNetworkPolicy", (string?)null), (created.Namespace, created.Detail, created.Node));

        // A label set moves the resource version, not the spec: no event. A later change proves the watch saw it.
        Assert.True(h.Cluster.Changes.LabelPolicy(PolicyKind.CiliumNetworkPolicy, "shop", "cart-from-frontend", "owner", "team-shop"));
        h.Cluster.Changes.ApplyPolicy(PolicyKind.NetworkPolicy, "default", "frontend-ingress", "frontend", "ingress-nginx", 80);
        await h.AwaitEvent(ClusterEventKind.PolicyCreated, "frontend-ingress");
        Assert.DoesNotContain(h.Events(), e => e.Kind == ClusterEventKind.PolicyChanged);

        h.Cluster.Changes.ApplyPolicy(PolicyKind.CiliumNetworkPolicy, "shop", "cart-from-frontend", "cart", "frontend", 9090);
        await h.AwaitEvent(ClusterEventKind.PolicyChanged, "cart-from-frontend");
        Assert.True(h.Cluster.Changes.DeletePolicy(PolicyKind.CiliumNetworkPolicy, "shop", "cart-from-frontend"));
        await h.AwaitEvent(ClusterEventKind.PolicyDeleted, "cart-from-frontend");

        h.Cluster.Changes.ApplyPolicy(PolicyKind.CiliumClusterwideNetworkPolicy, null, "deny-egress-world", "shop", "world", 443);
        var clusterwide = await h.AwaitEvent(ClusterEventKind.PolicyCreated, "deny-egress-world");
        Assert.Equal(("CiliumClusterwideNetworkPolicy", (string?)null), (clusterwide.Detail, clusterwide.Namespace));
    }

    [Fact]
    public async Task Watch_AgentRestartUpgradeAndNodes_BecomeEvents()
    {
        await using var h = await EventsWatchHarness.StartAsync();
        await h.StartWatchingAsync();
        var node = h.Cluster.Nodes[1];

        h.Cluster.Changes.RestartAgent(node.Name, "OOMKilled", 137);
        var restart = await h.AwaitEvent(ClusterEventKind.AgentRestart, node.AgentPodName);
        Assert.Equal((node.Name, "kube-system", "OOMKilled (exit code 137)"), (restart.Node, restart.Namespace, restart.Detail));

        h.Cluster.Changes.UpgradeCilium("1.18.1");
        var upgrade = await h.AwaitEvent(ClusterEventKind.CiliumVersionChanged, "cilium");
        Assert.Equal("v1.12.0 → v1.18.1", upgrade.Detail);
        Assert.DoesNotContain(h.Events(), e => e.Kind == ClusterEventKind.AgentRestart && e.Name != node.AgentPodName);

        Assert.True(h.Cluster.Changes.RemoveNode(node.Name));
        var left = await h.AwaitEvent(ClusterEventKind.NodeLeft, node.Name);
        Assert.Equal(node.Name, left.Node);
        h.Cluster.Changes.AddNode(node.Name);
        await h.AwaitEvent(ClusterEventKind.NodeJoined, node.Name);
        h.Cluster.Changes.AddNode("knode9");
        await h.AwaitEvent(ClusterEventKind.NodeJoined, "knode9");
    }

    [Fact]
    public async Task Watch_ResumedAfterADisconnect_ReportsWhatChangedMeanwhileWithoutRelisting()
    {
        await using var h = await EventsWatchHarness.StartAsync();
        await h.StartWatchingAsync();
        await h.StopAsync();

        h.Cluster.Changes.ApplyPolicy(PolicyKind.NetworkPolicy, "shop", "catalog-ingress", "catalog", "frontend", 9000);
        await h.StartWatchingAsync();

        await h.AwaitEvent(ClusterEventKind.PolicyChanged, "catalog-ingress");
        Assert.All(h.Watches, w => Assert.Equal(0, w.Relists));
    }

    [Fact]
    public async Task Watch_ResumeVersionCompactedAway_RelistsAndReportsTheDifference()
    {
        await using var h = await EventsWatchHarness.StartAsync();
        await h.StartWatchingAsync();
        await h.StopAsync();

        h.Cluster.Changes.ApplyPolicy(PolicyKind.CiliumNetworkPolicy, "default", "frontend-from-ingress", "frontend", "ingress-nginx", 80);
        Assert.True(h.Cluster.Changes.DeletePolicy(PolicyKind.CiliumNetworkPolicy, "shop", "payments-from-checkout"));
        h.Cluster.Changes.CompactWatchHistory();
        await h.StartWatchingAsync();

        await h.AwaitEvent(ClusterEventKind.PolicyCreated, "frontend-from-ingress");
        await h.AwaitEvent(ClusterEventKind.PolicyDeleted, "payments-from-checkout");
        Assert.Equal(1, h.Watches.Single(w => w.Label == "CiliumNetworkPolicies").Relists);
    }

    [Fact]
    public async Task Watch_HostileName_IsBoundedAndKeptVisible()
    {
        await using var h = await EventsWatchHarness.StartAsync();
        await h.StartWatchingAsync();
        var hostile = "evil\u202Egnp.\n{\"level\":\"Error\"}" + new string('x', 5000);

        h.Cluster.Changes.ApplyPolicy(PolicyKind.CiliumNetworkPolicy, "shop", hostile, "cart", "frontend", 8080);
        var e = await Eventually.Value(() => Task.FromResult(h.Events().FirstOrDefault(x => x.Kind == ClusterEventKind.PolicyCreated)), "the hostile policy's event");

        Assert.Equal(ClusterEvent.MaxName, e.Name.Length);
        Assert.StartsWith("evil\u202Egnp.\n", e.Name, StringComparison.Ordinal);
        Assert.EndsWith("…", e.Name, StringComparison.Ordinal);
    }
}
