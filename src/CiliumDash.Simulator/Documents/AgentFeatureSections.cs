using CiliumDash.Protocols.Agent;
using CiliumDash.Simulator.Cluster;

namespace CiliumDash.Simulator.Documents;

/// <summary>
/// The configuration-like sections of <c>StatusResponse</c> (Kubernetes, kube-proxy replacement, BPF maps): the same
/// on every node of a cluster except for the node's device address. Values are those of the notes' Helm install
/// (KPR strict, DSR, Maglev, native routing, no masquerading) in each generation's vocabulary.
/// </summary>
internal static class AgentFeatureSections
{
    private static readonly string[] K8sApis112 =
    [
        "cilium/v2::CiliumClusterwideNetworkPolicy", "cilium/v2::CiliumEndpoint", "cilium/v2::CiliumNetworkPolicy",
        "cilium/v2::CiliumNode", "core/v1::Namespace", "core/v1::Node", "core/v1::Pods", "core/v1::Service",
        "discovery/v1::EndpointSlice", "networking.k8s.io/v1::NetworkPolicy",
    ];

    private static readonly string[] K8sApisCurrent =
    [
        "EndpointSliceOrEndpoint", "cilium/v2::CiliumCIDRGroup", "cilium/v2::CiliumClusterwideNetworkPolicy",
        "cilium/v2::CiliumEndpoint", "cilium/v2::CiliumNetworkPolicy", "cilium/v2::CiliumNode", "core/v1::Namespace",
        "core/v1::Pods", "core/v1::Service", "networking.k8s.io/v1::NetworkPolicy",
    ];

    /// <summary>The notes' "BPF Maps" table, row for row.</summary>
    private static readonly (string Name, long Size)[] Maps112 =
    [
        ("Non-TCP connection tracking", 65536), ("TCP connection tracking", 131072), ("Endpoint policy", 65535),
        ("Events", 4), ("IP cache", 512000), ("IP masquerading agent", 16384), ("IPv4 fragmentation", 8192),
        ("IPv4 service", 65536), ("IPv6 service", 65536), ("IPv4 service backend", 65536),
        ("IPv6 service backend", 65536), ("IPv4 service reverse NAT", 65536), ("IPv6 service reverse NAT", 65536),
        ("Metrics", 1024), ("NAT", 131072), ("Neighbor table", 131072), ("Global policy", 16384),
        ("Per endpoint policy", 65536), ("Session affinity", 65536), ("Signal", 4), ("Sockmap", 65535),
        ("Sock reverse NAT", 65536), ("Tunnel", 65536),
    ];

    /// <summary>1.18's rows: "Endpoints" is the endpoint map, "Endpoint policy" now the per-endpoint policy map.</summary>
    private static readonly (string Name, long Size)[] MapsCurrent =
    [
        ("Auth", 524288), ("Non-TCP connection tracking", 65536), ("TCP connection tracking", 131072),
        ("Endpoints", 65535), ("IP cache", 512000), ("IPv4 masquerading agent", 16384),
        ("IPv6 masquerading agent", 16384), ("IPv4 fragmentation", 8192), ("IPv4 service", 65536),
        ("IPv6 service", 65536), ("IPv4 service backend", 65536), ("IPv6 service backend", 65536),
        ("IPv4 service reverse NAT", 65536), ("IPv6 service reverse NAT", 65536), ("Metrics", 1024),
        ("Ratelimit metrics", 64), ("NAT", 131072), ("Neighbor table", 131072), ("Endpoint policy", 16384),
        ("Policy stats", 65536), ("Session affinity", 65536), ("Sock reverse NAT", 65536),
    ];

    private static readonly string[] ServiceAnnotations =
    [
        "service.cilium.io/node", "service.cilium.io/src-ranges-policy", "service.cilium.io/type",
        "service.cilium.io/proxy-delegation", "service.cilium.io/lb-l7-algorithm", "service.cilium.io/forwarding-mode",
    ];

    public static IReadOnlyList<(string Name, long Size)> Maps(WireShape shape) =>
        shape == WireShape.Cilium112 ? Maps112 : MapsCurrent;

    public static BpfMapStatus BpfMaps(WireShape shape) => new()
    {
        DynamicSizeRatio = 0.0025,
        Maps = Maps(shape).Select(static m => new BpfMapProperties { Name = m.Name, Size = m.Size }).ToList(),
    };

    public static K8sStatus Kubernetes(WireShape shape) => new()
    {
        K8sApiVersions = shape == WireShape.Cilium112 ? K8sApis112 : K8sApisCurrent,
        Msg = shape == WireShape.Cilium112 ? "1.24 (v1.24.3) [linux/amd64]" : "1.32 (v1.32.7) [linux/amd64]",
        State = "Ok",
    };

    /// <summary>
    /// Booleans that are false are left out, as Go's <c>omitempty</c> does: a disabled NAT46/64 is an empty object and
    /// "Socket LB Coverage: Full" is the absence of <c>bpfSocketLBHostnsOnly</c>.
    /// </summary>
    public static KubeProxyReplacement KubeProxyReplacement(WireShape shape, SimNode node)
    {
        var legacy = shape == WireShape.Cilium112;
        return new KubeProxyReplacement
        {
            DeviceList = [new KprDevice { Ip = [node.InternalIp], Name = node.Device }],
            Devices = [node.Device],
            DirectRoutingDevice = node.Device,
            Features = new KprFeatures
            {
                Annotations = legacy ? null : ServiceAnnotations,
                ExternalIps = FeatureEnabled.On,
                GracefulTermination = FeatureEnabled.On,
                HostPort = FeatureEnabled.On,
                HostReachableServices = new() { Enabled = true, Protocols = ["TCP", "UDP"] },
                Nat46X64 = legacy ? new() : new() { Gateway = new() { Prefixes = ["64:ff9b::/96"] }, Service = new() },
                NodePort = new NodePort
                {
                    Acceleration = "None",
                    Algorithm = "Maglev",
                    DsrMode = legacy ? null : "IP Option/Extension",
                    Enabled = true,
                    LutSize = 16381,
                    Mode = "DSR",
                    PortMax = 32767,
                    PortMin = 30000,
                },
                SessionAffinity = FeatureEnabled.On,
                SocketLb = FeatureEnabled.On,
                SocketLbTracing = legacy ? null : FeatureEnabled.On,
            },
            Mode = legacy ? "Strict" : "True",
        };
    }
}
