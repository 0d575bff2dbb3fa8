using CiliumDash.Events;
using CiliumDash.Shared;
using Microsoft.Extensions.Time.Testing;

namespace CiliumDash.Tests.Events;

public sealed class EventTrackerTests
{
    [Fact]
    public void Relist_AfterAGap_ReportsCreatedChangedAndDeletedButNotTheUnchanged()
    {
        using var store = new ClusterEventStore(new FakeTimeProvider(), 100);
        var tracker = new EventTracker(TrackedKind.Policy, store);
        tracker.Relist([Policy("same", "f1"), Policy("edited", "f1"), Policy("gone", "f1")]);
        Assert.Equal(0, store.Total);

        tracker.Relist([Policy("same", "f1"), Policy("edited", "f2"), Policy("new", "f1")]);

        var events = store.Query(new ClusterEventQuery(), AccessScope.All).Select(e => (e.Kind, e.Name)).Order().ToList();
        Assert.Equal([(ClusterEventKind.PolicyCreated, "new"), (ClusterEventKind.PolicyChanged, "edited"), (ClusterEventKind.PolicyDeleted, "gone")], events);
    }

    [Fact]
    public void Upsert_AgentPod_OnlyARisingRestartCountIsARestart()
    {
        using var store = new ClusterEventStore(new FakeTimeProvider(), 100);
        var tracker = new EventTracker(TrackedKind.AgentPod, store);
        tracker.Relist([Pod(0)]);

        tracker.Upsert(Pod(0));
        tracker.Upsert(Pod(3));
        tracker.Upsert(Pod(3));

        var e = Assert.Single(store.Query(new ClusterEventQuery(), AccessScope.All));
        Assert.Equal((ClusterEventKind.AgentRestart, "OOMKilled (exit code 137) (3 restarts)", "knode1"), (e.Kind, e.Detail, e.Node));
    }

    [Fact]
    public void Delete_Unknown_IsNoEvent()
    {
        using var store = new ClusterEventStore(new FakeTimeProvider(), 100);
        var tracker = new EventTracker(TrackedKind.Node, store);
        tracker.Relist([]);

        tracker.Delete(new Observed("never-seen", null, "never-seen", ""));

        Assert.Equal(0, store.Total);
    }

    private static Observed Policy(string name, string fingerprint) => new(name, "shop", null, fingerprint, Detail: "CiliumNetworkPolicy");

    private static Observed Pod(int restarts) => new("cilium-abcde", "kube-system", "knode1", "", Restarts: restarts, Detail: "OOMKilled (exit code 137)");
}
