using CiliumDash.Simulator.Cluster;
using CiliumDash.Simulator.Documents;

namespace CiliumDash.Tests.Simulator.Documents;

/// <summary>
/// Every property the simulated agents print must be one of Cilium's wire names
/// (/work/shared/reference/cilium-agent-api.md §3–4). Paths: "a.b" nested, "[]" array items, "*" map keys.
/// A container path (e.g. "hubble") is allowed when some allowed leaf lies under it.
/// </summary>
public sealed class WireNameAllowListTests
{
    private static readonly HashSet<string> StatusMaps = ["ipam.allocations", "stale", "encryption.ipsec.xfrm-errors"];

    private static readonly HashSet<string> StatusResponse =
    [
        "attach-mode", "auth-certificate-provider.state", "auth-certificate-provider.msg",
        "bandwidth-manager.enabled", "bandwidth-manager.devices[]", "bandwidth-manager.congestionControl",
        "bpf-maps.dynamic-size-ratio", "bpf-maps.maps[].name", "bpf-maps.maps[].size",
        "cilium.state", "cilium.msg", "client-id", "clock-source.mode", "clock-source.hertz",
        "cluster.ciliumHealth.state", "cluster.ciliumHealth.msg", "cluster.self", "cluster.nodes[]",
        "cluster-mesh.clusters[]", "cluster-mesh.num-global-services",
        "cni-chaining.mode", "cni-file.state", "cni-file.msg", "configured-datapath-mode",
        "container-runtime.state", "container-runtime.msg",
        "controllers[].name", "controllers[].uuid", "controllers[].configuration.error-retry",
        "controllers[].configuration.error-retry-base", "controllers[].configuration.interval",
        "controllers[].status.success-count", "controllers[].status.failure-count",
        "controllers[].status.consecutive-failure-count", "controllers[].status.last-failure-msg",
        "controllers[].status.last-success-timestamp", "controllers[].status.last-failure-timestamp",
        "datapath-mode", "encryption.mode", "encryption.msg", "encryption.wireguard.interfaces[]",
        "encryption.ipsec.decrypt-interfaces[]", "encryption.ipsec.error-count", "encryption.ipsec.keys-in-use",
        "encryption.ipsec.max-seq-number", "encryption.ipsec.xfrm-errors.*",
        "host-firewall.mode", "host-firewall.devices[]", "host-routing.mode",
        "hubble.state", "hubble.msg", "hubble.observer.current-flows", "hubble.observer.max-flows",
        "hubble.observer.seen-flows", "hubble.observer.uptime", "hubble.metrics.state",
        "hubble-metrics.state", "hubble-metrics.msg",
        "identity-range.min-identity", "identity-range.max-identity",
        "ipam.status", "ipam.ipv4[]", "ipam.ipv6[]", "ipam.allocations.*",
        "ipv4-big-tcp.enabled", "ipv4-big-tcp.maxGRO", "ipv4-big-tcp.maxGSO",
        "ipv6-big-tcp.enabled", "ipv6-big-tcp.maxGRO", "ipv6-big-tcp.maxGSO",
        "kube-proxy-replacement.mode", "kube-proxy-replacement.devices[]", "kube-proxy-replacement.deviceList[].name",
        "kube-proxy-replacement.deviceList[].ip[]", "kube-proxy-replacement.directRoutingDevice",
        "kube-proxy-replacement.features.nodePort.enabled", "kube-proxy-replacement.features.nodePort.mode",
        "kube-proxy-replacement.features.nodePort.dsrMode", "kube-proxy-replacement.features.nodePort.algorithm",
        "kube-proxy-replacement.features.nodePort.lutSize", "kube-proxy-replacement.features.nodePort.acceleration",
        "kube-proxy-replacement.features.nodePort.portMin", "kube-proxy-replacement.features.nodePort.portMax",
        "kube-proxy-replacement.features.hostPort.enabled", "kube-proxy-replacement.features.externalIPs.enabled",
        "kube-proxy-replacement.features.socketLB.enabled", "kube-proxy-replacement.features.socketLBTracing.enabled",
        "kube-proxy-replacement.features.bpfSocketLBHostnsOnly",
        "kube-proxy-replacement.features.sessionAffinity.enabled",
        "kube-proxy-replacement.features.gracefulTermination.enabled",
        "kube-proxy-replacement.features.hostReachableServices.enabled",
        "kube-proxy-replacement.features.hostReachableServices.protocols[]",
        "kube-proxy-replacement.features.nat46X64.enabled", "kube-proxy-replacement.features.nat46X64.service.enabled",
        "kube-proxy-replacement.features.nat46X64.gateway.enabled",
        "kube-proxy-replacement.features.nat46X64.gateway.prefixes[]", "kube-proxy-replacement.features.annotations[]",
        "kubernetes.state", "kubernetes.msg", "kubernetes.k8s-api-versions[]", "kvstore.state", "kvstore.msg",
        "masquerading.enabled", "masquerading.enabledProtocols.ipv4", "masquerading.enabledProtocols.ipv6",
        "masquerading.mode", "masquerading.ip-masq-agent", "masquerading.snat-exclusion-cidr",
        "masquerading.snat-exclusion-cidr-v4", "masquerading.snat-exclusion-cidr-v6",
        "nodeMonitor.cpus", "nodeMonitor.npages", "nodeMonitor.pagesize", "nodeMonitor.lost", "nodeMonitor.unknown",
        "proxy.ip", "proxy.port-range", "proxy.total-redirects", "proxy.total-ports", "proxy.redirects[].name",
        "proxy.redirects[].proxy", "proxy.redirects[].proxy-port", "proxy.envoy-deployment-mode",
        "routing.intra-host-routing-mode", "routing.inter-host-routing-mode", "routing.tunnel-protocol",
        "srv6.enabled", "srv6.srv6EncapMode", "stale.*",
    ];

    private static readonly HashSet<string> HealthStatusResponse = BuildHealthAllowList();

    [Theory]
    [InlineData(WireShape.Cilium112)]
    [InlineData(WireShape.Current)]
    public void StatusDocument_AllFaultsOn_UsesOnlyCiliumWireNames(WireShape shape)
    {
        var cluster = DocumentTestData.AllFaults(shape);
        var unknown = cluster.Nodes
            .SelectMany(node => DocumentTestData.PropertyPaths(
                DocumentTestData.Parse(AgentStatusDocuments.Render(cluster, node, DocumentTestData.Now)), StatusMaps))
            .Where(path => !Allowed(path, StatusResponse))
            .ToHashSet();

        Assert.Empty(unknown);
    }

    [Theory]
    [InlineData(WireShape.Cilium112)]
    [InlineData(WireShape.Current)]
    public void HealthDocument_AllFaultsOn_UsesOnlyCiliumWireNames(WireShape shape)
    {
        var cluster = DocumentTestData.AllFaults(shape);
        var unknown = cluster.Nodes
            .SelectMany(node => DocumentTestData.PropertyPaths(
                DocumentTestData.Parse(HealthStatusDocuments.Render(cluster, node, DocumentTestData.Now)), new HashSet<string>()))
            .Where(path => !Allowed(path, HealthStatusResponse))
            .ToHashSet();

        Assert.Empty(unknown);
    }

    [Fact]
    public void AllowListCheck_NameNotFromReference_IsRejected()
    {
        var paths = DocumentTestData.PropertyPaths(DocumentTestData.Parse("""{"kube-proxy-replacement":{"node-port":{}}}"""), StatusMaps);

        Assert.Contains(paths, path => !Allowed(path, StatusResponse));
    }

    private static bool Allowed(string path, HashSet<string> allowList) =>
        allowList.Contains(path)
        || allowList.Contains(path + "[]")
        || allowList.Any(allowed => allowed.StartsWith(path + ".", StringComparison.Ordinal)
            || allowed.StartsWith(path + "[]", StringComparison.Ordinal));

    private static HashSet<string> BuildHealthAllowList()
    {
        string[] connectivity = ["latency", "status", "lastProbed"];
        var pathStatus = new List<string> { "ip" };
        pathStatus.AddRange(connectivity.SelectMany(c => new[] { $"icmp.{c}", $"http.{c}" }));
        var allowed = new HashSet<string> { "local.name", "timestamp", "probeInterval", "nodes[].name" };
        foreach (var leaf in pathStatus)
        {
            allowed.Add($"nodes[].endpoint.{leaf}");
            foreach (var path in new[] { "host", "health-endpoint" })
            {
                allowed.Add($"nodes[].{path}.primary-address.{leaf}");
                allowed.Add($"nodes[].{path}.secondary-addresses[].{leaf}");
            }
        }

        return allowed;
    }
}
