using System.Text.Json;
using CiliumDash.Events;
using CiliumDash.Shared;
using Microsoft.Extensions.Time.Testing;

namespace CiliumDash.Tests.Events;

public sealed class ClusterEventStoreTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 4, 3, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Add_BeyondCapacity_KeepsTheNewestInTimeOrder()
    {
        var time = new FakeTimeProvider(T0);
        using var store = new ClusterEventStore(time, 3);
        for (var i = 0; i < 5; i++)
        {
            store.Add(ClusterEventKind.PolicyChanged, T0 - TimeSpan.FromMinutes(i), null, "shop", $"p{i}", "CiliumNetworkPolicy");
        }

        var kept = store.Query(new ClusterEventQuery(), AccessScope.All);

        Assert.Equal(["p4", "p3", "p2"], kept.Select(e => e.Name));
        Assert.Equal(5, store.Total);
        Assert.Equal(T0 - TimeSpan.FromMinutes(2), store.OldestKept);
    }

    [Fact]
    public void After_ACursor_ReturnsOnlyLaterEventsStillKept()
    {
        using var store = new ClusterEventStore(new FakeTimeProvider(T0), 3);
        for (var i = 1; i <= 5; i++)
        {
            store.Add(ClusterEventKind.NodeJoined, null, $"n{i}", null, $"n{i}", "node registered");
        }

        Assert.Equal([3L, 4L, 5L], store.After(0).Select(e => e.Sequence));
        Assert.Equal([5L], store.After(4).Select(e => e.Sequence));
        Assert.Empty(store.After(5));
    }

    [Fact]
    public void Add_TimeInTheFuture_IsTakenAsNow()
    {
        var time = new FakeTimeProvider(T0);
        using var store = new ClusterEventStore(time, 10);

        var e = store.Add(ClusterEventKind.NodeJoined, T0 + TimeSpan.FromDays(365), "n1", null, "n1", "node registered");

        Assert.Equal(T0, e.Time);
    }

    [Fact]
    public void Query_Scope_HidesOtherTeamsPoliciesButNotClusterWideEvents()
    {
        using var store = new ClusterEventStore(new FakeTimeProvider(T0), 10);
        store.Add(ClusterEventKind.PolicyCreated, null, null, "shop", "shop-policy", "CiliumNetworkPolicy");
        store.Add(ClusterEventKind.PolicyDeleted, null, null, "default", "default-policy", "NetworkPolicy");
        store.Add(ClusterEventKind.PolicyCreated, null, null, null, "clusterwide", "CiliumClusterwideNetworkPolicy");
        store.Add(ClusterEventKind.AgentRestart, null, "knode1", "kube-system", "cilium-abcde", "OOMKilled (exit code 137)");
        store.Add(ClusterEventKind.CiliumVersionChanged, null, null, "kube-system", "cilium", "v1.17.0 → v1.18.0");

        var shop = store.Query(new ClusterEventQuery(), new AccessScope(new HashSet<string> { "shop" })).Select(e => e.Name);
        var none = store.Query(new ClusterEventQuery(), new AccessScope(new HashSet<string>())).Select(e => e.Name);

        Assert.Equal(["shop-policy", "clusterwide", "cilium-abcde", "cilium"], shop);
        Assert.Equal(["clusterwide", "cilium-abcde", "cilium"], none);
    }

    [Fact]
    public void Query_Filters_AllMustMatchAndLimitKeepsTheNewest()
    {
        var time = new FakeTimeProvider(T0);
        using var store = new ClusterEventStore(time, 10);
        store.Add(ClusterEventKind.AgentRestart, T0 - TimeSpan.FromHours(2), "knode1", "kube-system", "old", "Error (exit code 1)");
        store.Add(ClusterEventKind.AgentRestart, T0 - TimeSpan.FromMinutes(5), "knode1", "kube-system", "a", "Error (exit code 1)");
        store.Add(ClusterEventKind.AgentRestart, T0 - TimeSpan.FromMinutes(4), "knode2", "kube-system", "b", "Error (exit code 1)");
        store.Add(ClusterEventKind.NodeLeft, T0 - TimeSpan.FromMinutes(3), "knode1", null, "knode1", "node deleted");
        store.Add(ClusterEventKind.AgentRestart, T0 - TimeSpan.FromMinutes(2), "knode1", "kube-system", "c", "Error (exit code 1)");

        var q = new ClusterEventQuery(Since: T0 - TimeSpan.FromHours(1), Node: "knode1", Kinds: new HashSet<ClusterEventKind> { ClusterEventKind.AgentRestart });

        Assert.Equal(["a", "c"], store.Query(q, AccessScope.All).Select(e => e.Name));
        Assert.Equal(["c"], store.Query(q with { Limit = 1 }, AccessScope.All).Select(e => e.Name));
    }

    [Fact]
    public void Create_HostileTexts_AreCutToTheirBounds()
    {
        var e = ClusterEvent.Create(1, ClusterEventKind.PolicyCreated, T0, new string('n', 300), new string('s', 300), "a\u202E" + new string('x', 400),
            new string('d', 2000));

        Assert.Equal((ClusterEvent.MaxName, ClusterEvent.MaxName, ClusterEvent.MaxName, ClusterEvent.MaxDetail),
            (e.Node!.Length, e.Namespace!.Length, e.Name.Length, e.Detail.Length));
        Assert.EndsWith("…", e.Name, StringComparison.Ordinal);
        Assert.StartsWith("a\u202E", e.Name, StringComparison.Ordinal);
    }

    [Fact]
    public void Bound_CutBetweenSurrogates_KeepsThePairWhole()
    {
        var text = new string('x', 9) + "😀" + "tail";

        var cut = ClusterEvent.Bound(text, 11);

        Assert.Equal(new string('x', 9) + "…", cut);
    }

    [Fact]
    public void SpecFingerprint_KeyOrder_DoesNotCountAsAChange()
    {
        using var a = JsonDocument.Parse("""{"endpointSelector":{"matchLabels":{"app":"cart"}},"ingress":[{"toPorts":[{"ports":[{"port":"80","protocol":"TCP"}]}]}]}""");
        using var b = JsonDocument.Parse("""{"ingress":[{"toPorts":[{"ports":[{"protocol":"TCP","port":"80"}]}]}],"endpointSelector":{"matchLabels":{"app":"cart"}}}""");
        using var c = JsonDocument.Parse("""{"ingress":[{"toPorts":[{"ports":[{"protocol":"TCP","port":"81"}]}]}],"endpointSelector":{"matchLabels":{"app":"cart"}}}""");

        Assert.Equal(SpecFingerprint.Of(a.RootElement, null), SpecFingerprint.Of(b.RootElement, null));
        Assert.NotEqual(SpecFingerprint.Of(a.RootElement, null), SpecFingerprint.Of(c.RootElement, null));
        Assert.NotEqual(SpecFingerprint.Of(a.RootElement, null), SpecFingerprint.Of(null, a.RootElement));
    }
}
