using CiliumDash.Agents;
using CiliumDash.Findings;
using CiliumDash.Flows;
using CiliumDash.Shared;
using CiliumDash.Tests.Builders;
using static CiliumDash.Tests.Builders.ClusterData;

namespace CiliumDash.Tests.Findings;

/// <summary>The engine over real stores on a fake clock: ids, first-seen times, clearing, order, and the signal.</summary>
public sealed class FindingsEngineTests : IDisposable
{
    private readonly EngineFixture _f = new();

    public void Dispose() => _f.Dispose();

    private static NodeSnapshot FailingController(string node, long failures = 3) =>
        Node(node, Status(controllers: [Controller("ipcache-inject-labels", failures, "k8s cache not fully synced", Now.AddSeconds(-1))]));

    [Fact]
    public void Derive_HealthyNodes_NoFindings()
    {
        _f.Node(Node("fedora"));
        _f.Node(Node("knode1"));

        Assert.Empty(_f.Derive());
    }

    [Fact]
    public void Derive_SameFaultLater_SameIdAndSince()
    {
        _f.Node(FailingController("knode1"));
        var first = Assert.Single(_f.Derive());

        _f.Time.Advance(TimeSpan.FromMinutes(5));
        _f.Node(FailingController("knode1", failures: 30));
        var later = Assert.Single(_f.Derive());

        Assert.Equal(FindingKinds.ControllerFailing, later.Kind);
        Assert.Equal(first.Id, later.Id);
        Assert.Equal(first.Since, later.Since);
        Assert.Equal(Now, later.Since);
        Assert.Equal(new FindingSubject { Node = "knode1", Controller = "ipcache-inject-labels" }, later.Subject);
        Assert.NotNull(later.Hint);
    }

    [Fact]
    public void Derive_FaultClearsAndReturns_GoneThenNewSince()
    {
        _f.Node(FailingController("knode1"));
        var first = Assert.Single(_f.Derive());

        _f.Time.Advance(TimeSpan.FromMinutes(1));
        _f.Node(Node("knode1"));
        Assert.Empty(_f.Derive());

        _f.Time.Advance(TimeSpan.FromMinutes(1));
        _f.Node(FailingController("knode1"));
        var again = Assert.Single(_f.Derive());

        Assert.Equal(first.Id, again.Id);
        Assert.Equal(Now.AddMinutes(2), again.Since);
    }

    [Fact]
    public void IdOf_KindAndSubject_DeterministicAndDistinct()
    {
        var a = FindingsEngine.IdOf(FindingKinds.MapPressure, new FindingSubject { Node = "fedora", Map = "cilium_ct4_global" });

        Assert.Equal(a, FindingsEngine.IdOf(FindingKinds.MapPressure, new FindingSubject { Node = "fedora", Map = "cilium_ct4_global" }));
        Assert.NotEqual(a, FindingsEngine.IdOf(FindingKinds.MapPressure, new FindingSubject { Node = "knode1", Map = "cilium_ct4_global" }));
        Assert.NotEqual(a, FindingsEngine.IdOf(FindingKinds.MapPressure, new FindingSubject { Node = "fedora", Component = "cilium_ct4_global" }));
        Assert.StartsWith("map-pressure-", a, StringComparison.Ordinal);
    }

    [Fact]
    public void Derive_MixedSeverities_WorstFirstAndNodeTallies()
    {
        _f.Node(Node("fedora", mapPressure: Pressure(("cilium_ct4_global", 0.97), ("cilium_lb4_backends_v2", 0.85))));
        _f.Node(FailingController("knode1"));
        _f.Node(Node("knode2", error: "timed out after 10s waiting for the agent to answer", noStatus: true));

        var findings = _f.Derive();

        Assert.Equal([FindingSeverity.Critical, FindingSeverity.Critical, FindingSeverity.Warning, FindingSeverity.Warning], findings.Select(f => f.Severity));
        Assert.Equal(FindingKinds.AgentUnreadable, findings[0].Kind);
        Assert.Equal("cilium_ct4_global", findings[1].Subject.Map);
        var set = _f.Engine.Current;
        Assert.Equal(new NodeFindings(FindingSeverity.Critical, 2), set.ForNode("fedora"));
        Assert.Equal(new NodeFindings(FindingSeverity.Warning, 1), set.ForNode("knode1"));
        Assert.Null(set.ForNode("knode3"));
        Assert.Contains("bpf-lb-map-max", findings[2].Hint, StringComparison.Ordinal);
        Assert.Contains("bpf-ct-global-tcp-max", findings[1].Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Derive_StaleNode_WarningWithTheReadError()
    {
        _f.Node(Node("fedora", error: "exit code 1: connection refused"));

        var finding = Assert.Single(_f.Derive());

        Assert.Equal(FindingKinds.AgentStale, finding.Kind);
        Assert.Equal(FindingSeverity.Warning, finding.Severity);
        Assert.Contains(finding.Evidence, e => e.Value == "exit code 1: connection refused");
    }

    [Fact]
    public void Derive_LostEvents_HeldWhileGrowingThenClear()
    {
        _f.Flows.AddLost(new LostEventRecord(Now, "knode1", "PERF_EVENT_RING_BUFFER", 40));
        var finding = Assert.Single(_f.Derive());
        Assert.Equal(FindingKinds.HubbleLostEvents, finding.Kind);
        Assert.Contains("monitorAggregation", finding.Hint, StringComparison.Ordinal);

        _f.Time.Advance(TimeSpan.FromMinutes(5));
        _f.Flows.AddLost(new LostEventRecord(Now, "knode1", "PERF_EVENT_RING_BUFFER", 2));
        Assert.Equal(Now, Assert.Single(_f.Derive()).Since);

        _f.Time.Advance(LostEventsWindowAndASecond());
        Assert.Empty(_f.Derive());
    }

    [Fact]
    public void Start_StoreChanges_DerivedAfterTheSignalAndChangedFires()
    {
        var changes = 0;
        using var subscription = _f.Engine.Changed.Subscribe(() => changes++);
        _f.Engine.Start();
        _f.Time.Advance(TimeSpan.FromSeconds(2));
        var before = _f.Engine.Derivations;

        _f.Node(FailingController("fedora"));
        _f.Time.Advance(TimeSpan.FromSeconds(2));

        Assert.True(_f.Engine.Derivations > before);
        Assert.Equal("fedora", Assert.Single(_f.Engine.Current.All).Subject.Node);
        Assert.True(changes > 0);
    }

    [Fact]
    public void Derive_ReadOnlyProfile_InfoOnly()
    {
        _f.Cluster.ExecDisabled = true;

        var finding = Assert.Single(_f.Derive());

        Assert.Equal(FindingSeverity.Info, finding.Severity);
        Assert.Equal(FindingKinds.ExecDisabled, finding.Kind);
    }

    [Fact]
    public void Derive_SourcesDown_CriticalFirstWithTheirErrors()
    {
        _f.Node(Node("fedora"));
        _f.Cluster.SetAgentSource(_f.Cluster.AgentSource with { State = SourceState.Reconnecting, LastError = "Kubernetes API https://10.0.0.1:6443 not reachable: connection refused", LastErrorAt = Now });
        _f.Flows.SetServerStatus(new RelayServerStatus(10, 100, 10, TimeSpan.FromMinutes(1), 1, 1, ["knode1"], "1.12.0", 0, [], Now));

        var findings = _f.Derive();

        Assert.Equal(FindingKinds.SourceDown, findings[0].Kind);
        Assert.Equal(FindingSeverity.Critical, findings[0].Severity);
        Assert.Equal(Now, findings[0].Since);
        Assert.Contains("connection refused", findings[0].Evidence[0].Value, StringComparison.Ordinal);
        var relay = Assert.Single(findings, f => f.Kind == FindingKinds.RelayNodeUnavailable);
        Assert.Equal(new FindingSubject { Node = "knode1", Component = "hubble-relay" }, relay.Subject);
        Assert.Contains("4244", relay.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Derive_DaemonSetPodsNotReady_WorkloadNotReadyInCiliumCliWords()
    {
        _f.Cluster.SetWorkloads(Workloads(Workload(desired: 3, ready: 2, unavailable: 1)));

        var finding = Assert.Single(_f.Derive());

        Assert.Equal(FindingKinds.WorkloadNotReady, finding.Kind);
        Assert.Equal(FindingSeverity.Critical, finding.Severity);
        Assert.Equal("1 pods of DaemonSet cilium are not ready", finding.Summary);
        Assert.Equal(new FindingSubject { Component = "cilium" }, finding.Subject);
    }

    private static TimeSpan LostEventsWindowAndASecond() => CiliumDash.Findings.Rules.LostEventsTracker.Window + TimeSpan.FromSeconds(1);
}
