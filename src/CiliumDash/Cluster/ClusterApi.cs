using CiliumDash.Agents;
using CiliumDash.Connectivity;
using CiliumDash.Flows;
using CiliumDash.Hosting;

namespace CiliumDash.Cluster;

/// <summary><c>/api/v1/cluster</c> and <c>/api/v1/nodes</c>: contract shapes from design.md (add fields, never rename).</summary>
public static class ClusterApi
{
    public static IEndpointRouteBuilder MapClusterApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1");
        api.MapGet("/cluster", (ClusterStore store, FlowStore flows, ClusterConnection connection, TimeProvider time) => Cluster(store, flows, connection, time));
        api.MapGet("/nodes", (ClusterStore store) => store.Nodes.Select(NodeRow));
        api.MapGet("/nodes/{name}", (string name, ClusterStore store) =>
            store.GetNode(name) is { } node ? Results.Ok(NodeDetail(node)) : Results.Problem($"node '{name}' is not known to the dashboard", statusCode: 404));
        return app;
    }

    private static object Cluster(ClusterStore store, FlowStore flows, ClusterConnection connection, TimeProvider time)
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
            relay = new { state = relay.State.ToString(), relay.LastError, relay.LastSuccess, target = relay.Target },
            agents = new { state = store.AgentSource.State.ToString(), store.AgentSource.LastError, store.AgentSource.LastSuccess, target = store.AgentSource.Target },
        };
    }

    private static object NodeRow(NodeSnapshot n) => new
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

    /// <summary>Fill ratios as reported; JSON has no NaN or infinity, so those are given as strings rather than dropped.</summary>
    private static IEnumerable<object>? Pressure(NodeSnapshot n) =>
        n.MapPressure?.Maps.Select(m => new { map = m.MapName, ratio = double.IsFinite(m.Ratio) ? (object)m.Ratio : m.Ratio.ToString(System.Globalization.CultureInfo.InvariantCulture) });

    private static object NodeDetail(NodeSnapshot n)
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
            attachMode = s?.AttachMode,
            datapathMode = s?.DatapathMode,
            // the agent's own map of stale probes; "stale" is the node-level flag of the contract
            staleProbes = s?.Stale,
            parseWarnings = s?.ParseWarnings,
            health = n.Health is { } h ? new { h.LocalNode, h.Timestamp, h.ProbeInterval, reachable = h.Reachable, total = h.Peers.Count } : null,
        };
    }
}
