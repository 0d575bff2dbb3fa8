using CiliumDash.Agents;
using CiliumDash.Cluster;

namespace CiliumDash.Tests.Builders;

/// <summary>Store data for summary and page tests: a healthy default, changed only where a test says.</summary>
internal static class ClusterData
{
    public static readonly DateTimeOffset Now = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);

    public static ComponentWorkload Workload(
        string name = "cilium",
        string kind = "DaemonSet",
        bool exists = true,
        int desired = 2,
        int? ready = null,
        int? available = null,
        int unavailable = 0,
        int? updated = null,
        bool rolloutStarted = true,
        string image = "quay.io/cilium/cilium:v1.12.0") =>
        new(name, kind, exists, desired, ready ?? desired, available ?? desired, unavailable, updated ?? desired, rolloutStarted,
            new Dictionary<string, int> { ["Running"] = desired },
            exists ? new Dictionary<string, int> { [image] = desired } : new Dictionary<string, int>());

    /// <summary>cilium-cli's component set: agent DaemonSet, operator, relay, and clustermesh-apiserver not installed.</summary>
    public static ClusterWorkloads Workloads(ComponentWorkload? cilium = null, int managedPods = 12, int totalPods = 14) =>
        new([
            cilium ?? Workload(),
            Workload("cilium-operator", "Deployment", image: "quay.io/cilium/operator-generic:v1.12.0"),
            Workload("hubble-relay", "Deployment", desired: 1, image: "quay.io/cilium/hubble-relay:v1.12.0"),
            Workload("clustermesh-apiserver", "Deployment", exists: false, desired: 0),
        ], managedPods, totalPods, Now);

    public static AgentStatus Status(
        string ciliumState = "Ok",
        string version = "1.12.0",
        string? kvstoreState = null,
        string? kvstoreMessage = null,
        string kprMode = "Strict",
        IReadOnlyList<ControllerStatus>? controllers = null) => new()
        {
            Cilium = new SubsystemStatus(ciliumState, $"{version} (v{version}-9447cd1)"),
            Kvstore = kvstoreState is null ? null : new SubsystemStatus(kvstoreState, kvstoreMessage),
            KubeProxyReplacement = Kpr(kprMode),
            Controllers = controllers ?? [Controller("sync-to-k8s-ciliumendpoint (1)"), Controller("ipcache-inject-labels")],
        };

    public static ControllerStatus Controller(
        string name,
        long consecutiveFailures = 0,
        string? lastFailureMessage = null,
        DateTimeOffset? lastFailure = null) =>
        new(name, null, 10, consecutiveFailures, consecutiveFailures, lastFailureMessage, Now.AddSeconds(-5), lastFailure, "10s", true, "2s");

    public static NodeSnapshot Node(
        string name = "fedora",
        AgentStatus? status = null,
        bool noStatus = false,
        string? error = null,
        AgentContainerState? container = null,
        DateTimeOffset? lastUpdated = null,
        MapPressure? mapPressure = null,
        string? mapPressureError = null) =>
        new(name, $"cilium-{name}", container ?? Running(), noStatus ? null : status ?? Status(), null,
            noStatus ? null : lastUpdated ?? Now.AddSeconds(-3), Now, error, null)
        {
            MapPressure = mapPressure,
            MapPressureError = mapPressureError,
        };

    /// <summary>A metrics read 20 s ago with these fill ratios.</summary>
    public static MapPressure Pressure(params (string Map, double Ratio)[] maps) => new(maps, Now.AddSeconds(-20), []);

    public static AgentContainerState Running() => new("Running", true, true, null, null, null, 0);

    public static AgentContainerState CrashLooping(int exitCode = 1, string? message = "failed to start: kube-apiserver unreachable") =>
        new("Running", false, false, "CrashLoopBackOff", exitCode, message, 7);

    private static KubeProxyReplacementStatus Kpr(string mode) =>
        new(mode, ["enp1s0"], "enp1s0", true, null, null, [], true, "DSR", null, "Maglev", 16381, "Disabled", 30000, 32767, true, true, true, true, null);
}
