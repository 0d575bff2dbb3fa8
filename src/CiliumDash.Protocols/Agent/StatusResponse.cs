using System.Text.Json.Serialization;
using CiliumDash.Protocols.Json;

namespace CiliumDash.Protocols.Agent;

/// <summary>
/// The agent's <c>StatusResponse</c> (GET /v1/healthz; what <c>cilium-dbg status -o json</c> prints), Cilium 1.12 to
/// 1.19 in one shape: every property is optional, renamed fields have both names (<c>host-routing</c> up to 1.15,
/// <c>routing</c> from 1.16; <c>hubble.metrics</c> up to 1.17, <c>hubble-metrics</c> from 1.18), unknown ones are
/// ignored when read. Properties are declared in the order the agent prints them (Go field order), so a serialized
/// document reads like a real one; null is left out, as Go's <c>omitempty</c> does.
/// </summary>
public sealed record StatusResponse
{
    /// <summary><c>tc</c> | <c>tcx</c> (1.16+).</summary>
    [JsonPropertyName("attach-mode")]
    public string? AttachMode { get; init; }

    /// <summary>1.15+.</summary>
    [JsonPropertyName("auth-certificate-provider")]
    public Status? AuthCertificateProvider { get; init; }

    [JsonPropertyName("bandwidth-manager")]
    public BandwidthManager? BandwidthManager { get; init; }

    [JsonPropertyName("bpf-maps")]
    public BpfMapStatus? BpfMaps { get; init; }

    /// <summary>The agent's overall verdict; <c>msg</c> starts with the version ("1.18.0 (v1.18.0-274205f0)").</summary>
    [JsonPropertyName("cilium")]
    public Status? Cilium { get; init; }

    [JsonPropertyName("client-id")]
    public long? ClientId { get; init; }

    [JsonPropertyName("clock-source")]
    public ClockSource? ClockSource { get; init; }

    [JsonPropertyName("cluster")]
    public ClusterStatus? Cluster { get; init; }

    /// <summary>Absent when clustermesh is not configured.</summary>
    [JsonPropertyName("cluster-mesh")]
    public ClusterMeshStatus? ClusterMesh { get; init; }

    [JsonPropertyName("cni-chaining")]
    public CniChainingStatus? CniChaining { get; init; }

    /// <summary>1.13+.</summary>
    [JsonPropertyName("cni-file")]
    public Status? CniFile { get; init; }

    /// <summary>Up to 1.19.</summary>
    [JsonPropertyName("container-runtime")]
    public Status? ContainerRuntime { get; init; }

    [JsonPropertyName("controllers")]
    public IReadOnlyList<ControllerStatus>? Controllers { get; init; }

    /// <summary><c>veth</c> | <c>netkit</c> | <c>netkit-l2</c> (1.16+).</summary>
    [JsonPropertyName("datapath-mode")]
    public string? DatapathMode { get; init; }

    [JsonPropertyName("encryption")]
    public EncryptionStatus? Encryption { get; init; }

    [JsonPropertyName("host-firewall")]
    public HostFirewall? HostFirewall { get; init; }

    /// <summary>1.12–1.15; replaced by <see cref="Routing"/>.</summary>
    [JsonPropertyName("host-routing")]
    public HostRouting? HostRouting { get; init; }

    [JsonPropertyName("hubble")]
    public HubbleStatus? Hubble { get; init; }

    /// <summary>1.18+; before, <c>hubble.metrics</c>.</summary>
    [JsonPropertyName("hubble-metrics")]
    public Status? HubbleMetrics { get; init; }

    [JsonPropertyName("identity-range")]
    public IdentityRange? IdentityRange { get; init; }

    [JsonPropertyName("ipam")]
    public IpamStatus? Ipam { get; init; }

    /// <summary>1.14+.</summary>
    [JsonPropertyName("ipv4-big-tcp")]
    public BigTcp? Ipv4BigTcp { get; init; }

    /// <summary>1.13+ (only <c>enabled</c> in 1.13).</summary>
    [JsonPropertyName("ipv6-big-tcp")]
    public BigTcp? Ipv6BigTcp { get; init; }

    /// <summary>Present even when kube-proxy replacement is off.</summary>
    [JsonPropertyName("kube-proxy-replacement")]
    public KubeProxyReplacement? KubeProxyReplacement { get; init; }

    [JsonPropertyName("kubernetes")]
    public K8sStatus? Kubernetes { get; init; }

    [JsonPropertyName("kvstore")]
    public Status? Kvstore { get; init; }

    [JsonPropertyName("masquerading")]
    public Masquerading? Masquerading { get; init; }

    [JsonPropertyName("nodeMonitor")]
    public MonitorStatus? NodeMonitor { get; init; }

    [JsonPropertyName("proxy")]
    public ProxyStatus? Proxy { get; init; }

    /// <summary>1.16+.</summary>
    [JsonPropertyName("routing")]
    public Routing? Routing { get; init; }

    /// <summary>1.15+.</summary>
    [JsonPropertyName("srv6")]
    public Srv6? Srv6 { get; init; }

    /// <summary>Probe name → when it got stuck; non-empty turns <c>cilium.state</c> into Warning.</summary>
    [JsonPropertyName("stale")]
    public IReadOnlyDictionary<string, string>? Stale { get; init; }
}

/// <summary>A subsystem's <c>{msg, state}</c>; state is <c>Ok</c>, <c>Warning</c>, <c>Failure</c> or <c>Disabled</c>.</summary>
public sealed record Status
{
    [JsonPropertyName("msg")]
    [JsonConverter(typeof(SharedStringConverter))]
    public string? Msg { get; init; }

    [JsonPropertyName("state")]
    [JsonConverter(typeof(SharedStringConverter))]
    public string? State { get; init; }
}

public sealed record K8sStatus
{
    [JsonPropertyName("k8s-api-versions")]
    public IReadOnlyList<string>? K8sApiVersions { get; init; }

    [JsonPropertyName("msg")]
    public string? Msg { get; init; }

    [JsonPropertyName("state")]
    public string? State { get; init; }
}

public sealed record ClusterStatus
{
    /// <summary>The local cilium-health daemon (not the probes).</summary>
    [JsonPropertyName("ciliumHealth")]
    public Status? CiliumHealth { get; init; }

    /// <summary>Historic; current agents leave it empty (GET /v1/cluster/nodes has the list).</summary>
    [JsonPropertyName("nodes")]
    public IReadOnlyList<NodeElement>? Nodes { get; init; }

    /// <summary>This node's name, cluster-prefixed unless the cluster is <c>default</c>.</summary>
    [JsonPropertyName("self")]
    public string? Self { get; init; }
}

/// <summary>A node as the agent lists it; only its name is read here.</summary>
public sealed record NodeElement
{
    [JsonPropertyName("name")]
    public string? Name { get; init; }
}
