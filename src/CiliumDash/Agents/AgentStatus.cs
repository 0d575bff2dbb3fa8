namespace CiliumDash.Agents;

/// <summary>
/// One agent's <c>StatusResponse</c> (GET /v1/healthz), mapped at the edge. Every section is nullable: an absent
/// section is "not reported" by that Cilium version, never a default value. Strings are passed through as the agent
/// spells them (Ok, Strict, DSR, ...).
/// </summary>
public sealed record AgentStatus
{
    public SubsystemStatus? Cilium { get; init; }
    public SubsystemStatus? Kvstore { get; init; }
    public KubernetesStatus? Kubernetes { get; init; }
    public SubsystemStatus? ContainerRuntime { get; init; }
    public SubsystemStatus? CniFile { get; init; }
    public SubsystemStatus? AuthCertificateProvider { get; init; }
    public ClusterStatus? Cluster { get; init; }
    public KubeProxyReplacementStatus? KubeProxyReplacement { get; init; }
    public IReadOnlyList<ControllerStatus>? Controllers { get; init; }
    public BpfMapStatus? BpfMaps { get; init; }
    public IpamStatus? Ipam { get; init; }
    public HubbleStatus? Hubble { get; init; }
    public SubsystemStatus? HubbleMetrics { get; init; }
    public MasqueradingStatus? Masquerading { get; init; }
    public RoutingStatus? Routing { get; init; }
    public EncryptionStatus? Encryption { get; init; }
    public ModeStatus? HostFirewall { get; init; }
    public ModeStatus? CniChaining { get; init; }
    public ModeStatus? ClockSource { get; init; }
    public BandwidthManagerStatus? BandwidthManager { get; init; }
    public NodeMonitorStatus? NodeMonitor { get; init; }
    public ProxyStatus? Proxy { get; init; }
    public IdentityRangeStatus? IdentityRange { get; init; }
    public ClusterMeshStatus? ClusterMesh { get; init; }
    public FeatureToggle? Srv6 { get; init; }
    public FeatureToggle? Ipv4BigTcp { get; init; }
    public FeatureToggle? Ipv6BigTcp { get; init; }
    public string? AttachMode { get; init; }
    public string? DatapathMode { get; init; }
    public IReadOnlyDictionary<string, string>? Stale { get; init; }

    /// <summary>Version number from the cilium message, e.g. "1.12.0" from "1.12.0 (v1.12.0-9447cd1)".</summary>
    public string? Version => Cilium?.Message is { Length: > 0 } m && char.IsDigit(m[0]) ? m.Split(' ', 2)[0] : null;

    /// <summary>Problems the document itself had (wrong types at a path); the rest was still read.</summary>
    public IReadOnlyList<string> ParseWarnings { get; init; } = [];
}

public sealed record SubsystemStatus(string? State, string? Message);

public sealed record KubernetesStatus(string? State, string? Message, IReadOnlyList<string> ApiVersions);

public sealed record ClusterStatus(SubsystemStatus? CiliumHealth, string? Self);

public sealed record ModeStatus(string? Mode, IReadOnlyList<string> Devices);

public sealed record ControllerStatus(
    string Name,
    Guid? Uuid,
    long SuccessCount,
    long FailureCount,
    long ConsecutiveFailureCount,
    string? LastFailureMessage,
    DateTimeOffset? LastSuccess,
    DateTimeOffset? LastFailure,
    string? Interval,
    bool? ErrorRetry,
    string? ErrorRetryBase)
{
    /// <summary>cilium-cli's rule: a controller with consecutive failures is failing.</summary>
    public bool Failing => ConsecutiveFailureCount > 0;
}

public sealed record BpfMapStatus(double? DynamicSizeRatio, IReadOnlyList<BpfMap> Maps);

public sealed record BpfMap(string Name, long Size);

public sealed record IpamStatus(string? Summary, IReadOnlyList<string> Ipv4, IReadOnlyList<string> Ipv6, IReadOnlyDictionary<string, string> Allocations);

public sealed record HubbleStatus(string? State, string? Message, long? CurrentFlows, long? MaxFlows, long? SeenFlows, string? Uptime, string? MetricsState);

public sealed record MasqueradingStatus(bool? Enabled, string? Mode, bool? Ipv4, bool? Ipv6, bool? IpMasqAgent, string? SnatExclusionCidrV4, string? SnatExclusionCidrV6);

/// <summary>Host routing from either the 1.12-1.15 <c>host-routing</c> object or the 1.16+ <c>routing</c> object.</summary>
public sealed record RoutingStatus(string? IntraHost, string? InterHost, string? TunnelProtocol, bool FromLegacyHostRouting);

public sealed record EncryptionStatus(string? Mode, string? Message, IReadOnlyList<string> WireguardInterfaces, long? IpsecKeysInUse, long? IpsecErrorCount)
{
    /// <summary>Per WireGuard interface: listen port and peer count (text: "cilium_wg0 (Pubkey: …, Port: 51871, Peers: 2)").</summary>
    public IReadOnlyList<WireguardInterface> Wireguard { get; init; } = [];

    public bool? NodeEncryption { get; init; }
}

public sealed record WireguardInterface(string Name, long? ListenPort, long? PeerCount, string? PublicKey);

/// <summary>A feature with an on/off and a few settings (SRv6 encap mode, BIG TCP GRO/GSO sizes).</summary>
public sealed record FeatureToggle(bool? Enabled, IReadOnlyDictionary<string, string> Settings);

public sealed record BandwidthManagerStatus(bool? Enabled, string? CongestionControl, IReadOnlyList<string> Devices);

public sealed record NodeMonitorStatus(long? Cpus, long? Npages, long? Pagesize, long? Lost, long? Unknown);

public sealed record ProxyStatus(string? Ip, string? PortRange, long? TotalRedirects, long? TotalPorts, string? EnvoyDeploymentMode)
{
    /// <summary>"name → proxy:port" per redirect (cilium status --verbose lists them).</summary>
    public IReadOnlyList<string> Redirects { get; init; } = [];
}

public sealed record IdentityRangeStatus(long? Min, long? Max);

public sealed record ClusterMeshStatus(IReadOnlyList<RemoteCluster> Clusters, long? GlobalServices);

public sealed record RemoteCluster(string Name, bool? Ready, bool? Connected, string? Status, long? Nodes, long? NumFailures)
{
    public long? Endpoints { get; init; }
    public long? Identities { get; init; }
    public long? SharedServices { get; init; }
    public DateTimeOffset? LastFailure { get; init; }
}

public sealed record KubeProxyReplacementStatus(
    string? Mode,
    IReadOnlyList<string> Devices,
    string? DirectRoutingDevice,
    bool? SocketLb,
    bool? SocketLbTracing,
    bool? SocketLbHostnsOnly,
    IReadOnlyList<string> SocketLbProtocols,
    bool? NodePort,
    string? NodePortMode,
    string? DsrMode,
    string? BackendSelection,
    long? MaglevTableSize,
    string? Acceleration,
    long? NodePortMin,
    long? NodePortMax,
    bool? HostPort,
    bool? ExternalIps,
    bool? SessionAffinity,
    bool? GracefulTermination,
    bool? Nat46X64)
{
    /// <summary>Device → its addresses, from <c>deviceList</c> (text: "enp1s0 192.168.31.100 (Direct Routing)").</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> DeviceAddresses { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>Supported <c>service.cilium.io/*</c> annotations (1.17+).</summary>
    public IReadOnlyList<string> Annotations { get; init; } = [];

    public IReadOnlyList<string> Nat46X64GatewayPrefixes { get; init; } = [];

    public bool? Nat46X64Service { get; init; }
}
