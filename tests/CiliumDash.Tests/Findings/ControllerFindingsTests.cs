using CiliumDash.Agents;
using CiliumDash.Findings;
using CiliumDash.Shared;
using static CiliumDash.Tests.Builders.ClusterData;

namespace CiliumDash.Tests.Findings;

/// <summary>Controller findings with the store's failure history: since from the episode, flapping; and team scoping.</summary>
public sealed class ControllerFindingsTests : IDisposable
{
    private readonly EngineFixture _f = new();

    public void Dispose() => _f.Dispose();

    private void Poll(string node, long failures)
    {
        var status = Status(controllers: [Controller("sync-to-k8s-ciliumendpoint (1)", failures, failures > 0 ? "i/o timeout" : null, _f.Time.GetUtcNow())]);
        // ControllerHistory takes the last success as the episode start: the builder's is 5 s before Now.
        _f.Cluster.ControllerHistory.Observe(node, status.Controllers!, _f.Time.GetUtcNow());
        _f.Node(Node(node, status));
    }

    [Fact]
    public void Derive_FailingController_SinceIsTheEpisodeStart()
    {
        _f.Time.Advance(TimeSpan.FromMinutes(3));
        Poll("knode1", 4);

        var finding = Assert.Single(_f.Derive());

        Assert.Equal(Now.AddSeconds(-5), finding.Since);
        Assert.Contains("CiliumEndpoint objects", finding.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Derive_FailedAndRecoveredThreeTimes_FlappingWhileHealthyAndMarkedWhileFailing()
    {
        for (var i = 0; i < 3; i++)
        {
            _f.Time.Advance(TimeSpan.FromMinutes(1));
            Poll("knode1", 2);
            _f.Time.Advance(TimeSpan.FromMinutes(1));
            Poll("knode1", 0);
        }

        var healthy = Assert.Single(_f.Derive());
        Assert.Equal(FindingKinds.ControllerFlapping, healthy.Kind);
        Assert.Equal(new FindingSubject { Node = "knode1", Controller = "sync-to-k8s-ciliumendpoint (1)" }, healthy.Subject);

        _f.Time.Advance(TimeSpan.FromMinutes(1));
        Poll("knode1", 1);
        var failing = Assert.Single(_f.Derive());
        Assert.Equal(FindingKinds.ControllerFailing, failing.Kind);
        Assert.Contains("(flapping)", failing.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void VisibleTo_FindingAboutNamespaces_OnlyTeamsThatSeeThem()
    {
        var cluster = new Finding("a", FindingSeverity.Warning, FindingKinds.HubbleLostEvents, new FindingSubject(), "s", null, [], Now);
        var scoped = cluster with { Id = "b", Namespaces = new HashSet<string> { "payments" } };
        var set = new FindingSet([cluster, scoped], 1, Now);

        Assert.Equal(["a", "b"], set.VisibleTo(AccessScope.All).Select(f => f.Id));
        Assert.Equal(["a", "b"], set.VisibleTo(new AccessScope(new HashSet<string> { "payments" })).Select(f => f.Id));
        Assert.Equal(["a"], set.VisibleTo(new AccessScope(new HashSet<string> { "shop" })).Select(f => f.Id));
    }
}
