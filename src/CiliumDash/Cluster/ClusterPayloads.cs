using CiliumDash.Flows;
using CiliumDash.Shared;
using CiliumDash.Agents;

namespace CiliumDash.Cluster;

/// <summary>
/// The JSON shapes of the cluster state, shared by the REST API, the SignalR hub and the embeds so that a script
/// sees the same fields wherever it reads them (design.md's contract: add fields, never rename).
/// </summary>
public static class ClusterPayloads
{
    public static object Cluster(ClusterStore store, FlowStore flows, ClusterConnection connection, TimeProvider time)
    {
        var nodes = store.Nodes;
        var summary = ClusterSummaryBuilder.Build(store.Workloads, nodes, time.GetUtcNow());
        var relay = flows.Relay;
        var info = connection.Current;
        return new
        {
            source = info?.Description ?? "connecting",
            simulated = info?.Simulated ?? false,
            nodes = new { total = summary.NodesTotal, ready = summary.NodesReady },
            components = summary.Components.Select(c => new { c.Name, c.Kind, c.State, c.Desired, c.Ready, c.Available, c.Unavailable }),
            clusterPods = new { managed = summary.ManagedPods, total = summary.TotalPods },
            images = summary.Images.Select(i => new { i.Component, i.Image, i.Count }),
            errors = summary.Errors,
            warnings = summary.Warnings,
            relay = new { state = relay.State.ToString(), relay.LastError, relay.LastSuccess, target = relay.Target, warning = flows.StreamWarning?.Message },
            agents = new { state = store.AgentSource.State.ToString(), store.AgentSource.LastError, store.AgentSource.LastSuccess, target = store.AgentSource.Target },
        };
    }

    public static object NodeRow(NodeSnapshot n) => new
    {
        n.Name,
        n.State,
        ciliumVersion = n.Status?.Version,
        n.LastUpdated,
        n.Stale,
        n.Error,
        agentPod = n.AgentPod,
        controllers = new { total = n.Status?.Controllers?.Count ?? 0, failing = n.FailingControllers },
    };

    public static object NodeDetail(NodeSnapshot n)
    {
        var s = n.Status;
        return new
        {
            n.Name,
            n.State,
            ciliumVersion = s?.Version,
            n.LastUpdated,
            n.LastAttempt,
            n.Stale,
            n.Error,
            n.HealthError,
            agentPod = n.AgentPod,
            container = n.Container,
            kubeProxyReplacement = s?.KubeProxyReplacement,
            controllers = s?.Controllers?.Select(c => new
            {
                c.Name,
                c.Failing,
                c.ConsecutiveFailureCount,
                c.FailureCount,
                c.SuccessCount,
                c.LastFailureMessage,
                c.LastSuccess,
                c.LastFailure,
                c.Interval,
                c.Uuid,
                c.ErrorRetry,
                c.ErrorRetryBase,
            }),
            bpfMaps = s?.BpfMaps is { } b ? new { dynamicSizeRatio = b.DynamicSizeRatio, maps = b.Maps, pressure = Pressure(n), pressureError = n.MapPressureError } : null,
            ipam = s?.Ipam,
            hubble = s?.Hubble,
            hubbleMetrics = s?.HubbleMetrics,
            cilium = s?.Cilium,
            kvstore = s?.Kvstore,
            kubernetes = s?.Kubernetes,
            cluster = s?.Cluster,
            masquerading = s?.Masquerading,
            routing = s?.Routing,
            encryption = s?.Encryption,
            hostFirewall = s?.HostFirewall,
            cniChaining = s?.CniChaining,
            clockSource = s?.ClockSource,
            bandwidthManager = s?.BandwidthManager,
            nodeMonitor = s?.NodeMonitor,
            proxy = s?.Proxy,
            identityRange = s?.IdentityRange,
            clusterMesh = s?.ClusterMesh,
            containerRuntime = s?.ContainerRuntime,
            cniFile = s?.CniFile,
            authCertificateProvider = s?.AuthCertificateProvider,
            srv6 = s?.Srv6,
            ipv4BigTcp = s?.Ipv4BigTcp,
            ipv6BigTcp = s?.Ipv6BigTcp,
            attachMode = s?.AttachMode,
            datapathMode = s?.DatapathMode,
            // the agent's own map of stale probes; "stale" is the node-level flag of the contract
            staleProbes = s?.Stale,
            parseWarnings = s?.ParseWarnings,
            health = n.Health is { } h ? new { h.LocalNode, h.Timestamp, h.ProbeInterval, reachable = h.Reachable, total = h.Total } : null,
        };
    }

    /// <summary>Controllers failing right now, on every node: the <c>controllers</c> topic.</summary>
    public static object FailingControllers(IEnumerable<NodeSnapshot> nodes) =>
        nodes.SelectMany(n => (n.Status?.Controllers ?? []).Where(c => c.Failing).Select(c => new
        {
            node = n.Name,
            c.Name,
            c.ConsecutiveFailureCount,
            c.FailureCount,
            c.SuccessCount,
            c.LastFailureMessage,
            c.LastSuccess,
            c.LastFailure,
        })).ToList();

    /// <summary>Each node's configured BPF map sizes: the <c>bpfMaps</c> topic.</summary>
    public static object BpfMaps(IEnumerable<NodeSnapshot> nodes) =>
        nodes.Where(n => n.Status?.BpfMaps is not null).Select(n => new
        {
            node = n.Name,
            dynamicSizeRatio = n.Status!.BpfMaps!.DynamicSizeRatio,
            maps = n.Status.BpfMaps.Maps,
        }).ToList();

    // JSON has no NaN or infinity: such ratios go out as the text the agent's value prints as.
    private static IEnumerable<object>? Pressure(NodeSnapshot n) =>
        n.MapPressure?.Maps.Select(m => new { map = m.MapName, ratio = double.IsFinite(m.Ratio) ? (object)m.Ratio : m.Ratio.ToString(System.Globalization.CultureInfo.InvariantCulture) });
}
