using CiliumDash.Cluster;
using static CiliumDash.Tests.Builders.ClusterData;
using CiliumDash.Agents;
using CiliumDash.Shared;

namespace CiliumDash.Tests.Cluster;

public sealed class ClusterSummaryBuilderTests
{
    private static ClusterSummary Build(ClusterWorkloads? workloads = null, params NodeSnapshot[] nodes) =>
        ClusterSummaryBuilder.Build(workloads ?? Workloads(), nodes.Length == 0 ? [Node("fedora"), Node("knode1")] : nodes, Now);

    private static string CiliumState(ClusterSummary s) => s.Components.Single(c => c.Name == "cilium").State;

    [Fact]
    public void Build_HealthyCluster_EverythingOk()
    {
        var summary = Build();

        Assert.Empty(summary.Errors);
        Assert.Empty(summary.Warnings);
        Assert.All(summary.Components.Where(c => c.Exists), c => Assert.Equal("OK", c.State));
        Assert.Equal((2, 2), (summary.NodesReady, summary.NodesTotal));
        Assert.Equal((12, 14), (summary.ManagedPods, summary.TotalPods));
    }

    [Fact]
    public void Build_DaemonSetNotReady_CiliumCliWording()
    {
        var summary = Build(Workloads(Workload(desired: 2, ready: 1, unavailable: 1)));

        var error = Assert.Single(summary.Errors);
        Assert.Equal("1 pods of DaemonSet cilium are not ready", error.Message);
        Assert.Empty(summary.Warnings);   // the unavailable pod is the not-ready one
        Assert.Equal("1 errors, 0 warnings", CiliumState(summary));
    }

    [Fact]
    public void Build_ReadyButUnavailable_Warning()
    {
        var summary = Build(Workloads(Workload(desired: 2, unavailable: 1)));

        Assert.Equal("1 pods of DaemonSet cilium are not available", Assert.Single(summary.Warnings).Message);
        Assert.Equal("0 errors, 1 warnings", CiliumState(summary));
    }

    [Fact]
    public void Build_RollingOut_SaysHowFar()
    {
        var summary = Build(Workloads(Workload(desired: 2, updated: 1)));

        Assert.Equal("daemonset cilium is rolling out - 1 out of 2 pods updated", Assert.Single(summary.Errors).Message);
    }

    [Fact]
    public void Build_RolloutNotStarted_SaysSo()
    {
        var summary = Build(Workloads(Workload(rolloutStarted: false)));

        Assert.Equal("daemonset cilium is updated but rollout has not started", Assert.Single(summary.Errors).Message);
    }

    [Fact]
    public void Build_CrashLoopBackOff_ContainerErrorOnThatNodeOnly()
    {
        var summary = Build(null, Node("fedora"), Node("knode1", error: "container cilium-agent is in CrashLoopBackOff", container: CrashLooping(exitCode: 2)));

        var error = Assert.Single(summary.Errors);
        Assert.Equal("knode1", error.Node);
        Assert.Equal("cilium-knode1", error.Pod);
        Assert.Equal("container cilium-agent is in CrashLoopBackOff, exited with code 2: failed to start: kube-apiserver unreachable", error.Message);
    }

    [Fact]
    public void Build_ContainerNotRunningWithoutReason_PointsToLogs()
    {
        var summary = Build(null, Node("fedora", container: new AgentContainerState("Pending", false, false, null, null, null, 0)));

        Assert.Equal("container cilium-agent is not running: try 'kubectl -n kube-system logs -c cilium-agent cilium-fedora'", Assert.Single(summary.Errors).Message);
    }

    [Fact]
    public void Build_ExecError_UnableToRetrieveStatus()
    {
        var summary = Build(null, Node("fedora"), Node("knode1", error: "timed out after 10s waiting for the agent to answer"));

        var error = Assert.Single(summary.Errors);
        Assert.Equal("unable to retrieve cilium status: timed out after 10s waiting for the agent to answer", error.Message);
        Assert.Equal("knode1", error.Node);
        Assert.Equal(1, summary.NodesReady);
    }

    [Fact]
    public void Build_WarningAndFailureSubsystems_SortedIntoWarningsAndErrors()
    {
        var summary = Build(null,
            Node("fedora", Status(kvstoreState: "Warning", kvstoreMessage: "etcd: 1/3 connected")),
            Node("knode1", Status(ciliumState: "Failure")));

        Assert.Equal("Kvstore: etcd: 1/3 connected", Assert.Single(summary.Warnings).Message);
        Assert.Equal("Cilium: 1.12.0 (v1.12.0-9447cd1)", Assert.Single(summary.Errors).Message);
        Assert.Equal(1, summary.NodesReady);
        Assert.Equal("1 errors, 1 warnings", CiliumState(summary));
    }

    [Fact]
    public void Build_FailingController_SinceAndCount()
    {
        var failing = Controller("ipcache-inject-labels", consecutiveFailures: 8, lastFailureMessage: "k8s cache not fully synced",
            lastFailure: Now - TimeSpan.FromSeconds(192));

        var summary = Build(null, Node("fedora", Status(controllers: [Controller("ok"), failing])));

        Assert.Equal("controller ipcache-inject-labels is failing since 3m12s (8x): k8s cache not fully synced", Assert.Single(summary.Errors).Message);
    }

    [Fact]
    public void Build_FailingControllerNeverFailedAt_SaysNever()
    {
        var summary = Build(null, Node("fedora", Status(controllers: [Controller("x", consecutiveFailures: 1, lastFailureMessage: "boom")])));

        Assert.Equal("controller x is failing since never (1x): boom", Assert.Single(summary.Errors).Message);
    }

    [Fact]
    public void Build_MissingComponent_DisabledWithoutErrors()
    {
        var summary = Build();

        var mesh = summary.Components.Single(c => c.Name == "clustermesh-apiserver");
        Assert.Equal("disabled", mesh.State);
        Assert.False(mesh.Exists);
        Assert.DoesNotContain(summary.Images, i => i.Component == "clustermesh-apiserver");
    }

    [Fact]
    public void Build_Images_CountedPerComponentSorted()
    {
        var summary = Build();

        Assert.Equal(["cilium", "cilium-operator", "hubble-relay"], summary.Images.Select(i => i.Component));
        Assert.Equal(new("cilium", "quay.io/cilium/cilium:v1.12.0", 2), summary.Images[0]);
    }

    [Fact]
    public void Build_NodeNeverRead_NotReady()
    {
        var summary = Build(null, Node("fedora"), Node("knode1", noStatus: true));

        Assert.Equal((1, 2), (summary.NodesReady, summary.NodesTotal));
    }

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(45, "45s")]
    [InlineData(192, "3m12s")]
    [InlineData(7500, "2h5m")]
    [InlineData(3 * 86400 + 3600, "3d1h")]
    [InlineData(-5, "0s")]
    public void Duration_GoShortForm(int seconds, string expected) =>
        Assert.Equal(expected, GoDurations.Format(TimeSpan.FromSeconds(seconds)));
}
