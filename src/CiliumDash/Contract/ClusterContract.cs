namespace CiliumDash.Contract;

// The REST contract of the cluster, node, controller and BPF map views (design.md: add fields, never rename). These
// records are what the read model answers and what REST, the hub and the pages render; their property names are the
// JSON names (camelCase), pinned by tests/CiliumDash.Tests/Contract/openapi.v1.json.

/// <summary><c>GET /api/v1/cluster</c> and the hub's <c>cluster</c> topic: what <c>cilium status</c> prints, cluster-wide.</summary>
public sealed record ClusterDto(
    string Source,
    bool Simulated,
    NodeCountsDto Nodes,
    IReadOnlyList<ComponentDto> Components,
    ClusterPodsDto ClusterPods,
    IReadOnlyList<ImageDto> Images,
    IReadOnlyList<ProblemDto> Errors,
    IReadOnlyList<ProblemDto> Warnings,
    SourceDto Relay,
    SourceDto Agents)
{
    /// <summary>"OK" when some node reports remote clusters, else "disabled" (the ClusterMesh line of the status box).</summary>
    public string ClusterMesh { get; init; } = "disabled";

    /// <summary>The newest read of any node; null before the first.</summary>
    public DateTimeOffset? LastUpdated { get; init; }
}

public sealed record NodeCountsDto(int Total, int Ready);

/// <summary>A component line of the status box: <c>OK</c>, <c>N errors, M warnings</c> or <c>disabled</c>.</summary>
public sealed record ComponentDto(string Name, string Kind, string State, int Desired, int Ready, int Available, int Unavailable)
{
    /// <summary>False for a component that is not deployed (state <c>disabled</c>).</summary>
    public bool Exists { get; init; }

    /// <summary>Pods per phase (Running, Pending, ...).</summary>
    public IReadOnlyDictionary<string, int> PodPhases { get; init; } = new Dictionary<string, int>();
}

public sealed record ClusterPodsDto(int Managed, int Total);

public sealed record ImageDto(string Component, string Image, int Count);

/// <summary>One line of cilium-cli's Errors/Warnings block, with where it comes from.</summary>
public sealed record ProblemDto(string Component, string? Node, string? Pod, string Message);

/// <summary>A data source's own health (design.md: every source reports it).</summary>
public sealed record SourceDto(string State, string? LastError, DateTimeOffset? LastSuccess, string Target)
{
    /// <summary>The relay only: why its stream looks stuck while connected (only duplicates arrive); null otherwise.</summary>
    public string? Warning { get; init; }
}

/// <summary>An element of <c>GET /api/v1/nodes</c> and of the hub's <c>nodes</c> topic.</summary>
public sealed record NodeRowDto(
    string Name,
    string State,
    string? CiliumVersion,
    DateTimeOffset? LastUpdated,
    bool Stale,
    string? Error,
    string? AgentPod,
    ControllerCountsDto Controllers)
{
    /// <summary><c>kube-proxy-replacement.mode</c> as the agent spells it; null when not reported.</summary>
    public string? KubeProxyReplacementMode { get; init; }

    /// <summary>This node's own cilium-health report ("N/M reachable"); null when not read.</summary>
    public HealthCountsDto? Health { get; init; }

    /// <summary>The worst severity of the findings about this node (as subject or as a pair's peer); null when none.</summary>
    public string? Severity { get; init; }

    /// <summary>How many findings concern this node.</summary>
    public int Problems { get; init; }
}

/// <summary><c>reported</c> is false when the agent listed no controllers section (then both counts are 0).</summary>
public sealed record ControllerCountsDto(int Total, int Failing)
{
    public bool Reported { get; init; }
}

public sealed record HealthCountsDto(int Reachable, int Total);

/// <summary>An element of <c>GET /api/v1/controllers</c> and of the hub's <c>controllers</c> topic: a controller failing now.</summary>
public sealed record FailingControllerDto(
    string Node,
    string Name,
    long ConsecutiveFailureCount,
    long FailureCount,
    long SuccessCount,
    string? LastFailureMessage,
    DateTimeOffset? LastSuccess,
    DateTimeOffset? LastFailure)
{
    /// <summary>Start of the failure episode the dashboard saw, else the agent's last success; null when unknown.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Failed and recovered at least 3 times within the last hour.</summary>
    public bool Flapping { get; init; }

    /// <summary>How many nodes have this controller failing now (the list is sorted by it, then by the streak).</summary>
    public int NodesWithSameFailure { get; init; }
}

/// <summary>An element of <c>GET /api/v1/bpf-maps</c> and of the hub's <c>bpfMaps</c> topic.</summary>
public sealed record NodeBpfMapsDto(string Node, double? DynamicSizeRatio, IReadOnlyList<BpfMapDto> Maps);

public sealed record BpfMapDto(string Name, long Size);

/// <summary><c>GET /api/v1/nodes/{name}</c>: one node's agent status (docs/api.md names where each field comes from).</summary>
public sealed record NodeDetailDto
{
    public required string Name { get; init; }
    public required string State { get; init; }
    public string? CiliumVersion { get; init; }
    public DateTimeOffset? LastUpdated { get; init; }
    public DateTimeOffset? LastAttempt { get; init; }
    public bool Stale { get; init; }
    public string? Error { get; init; }
    public string? HealthError { get; init; }
    public string? AgentPod { get; init; }
    public ContainerDto? Container { get; init; }
    public KubeProxyReplacementDto? KubeProxyReplacement { get; init; }
    /// <summary>The agent's controllers, failing first, then by name (as <c>cilium status --verbose</c> lists them).</summary>
    public IReadOnlyList<ControllerDto>? Controllers { get; init; }

    /// <summary>How many of <see cref="Controllers"/> are failing (cilium-cli's rule: consecutive failures).</summary>
    public int FailingControllers { get; init; }

    public NodeBpfMapsDetailDto? BpfMaps { get; init; }
    public IpamDto? Ipam { get; init; }
    public HubbleDto? Hubble { get; init; }
    public SubsystemDto? HubbleMetrics { get; init; }
    public SubsystemDto? Cilium { get; init; }
    public SubsystemDto? Kvstore { get; init; }
    public KubernetesDto? Kubernetes { get; init; }
    public ClusterSectionDto? Cluster { get; init; }
    public MasqueradingDto? Masquerading { get; init; }
    public RoutingDto? Routing { get; init; }
    public EncryptionDto? Encryption { get; init; }
    public ModeDto? HostFirewall { get; init; }
    public ModeDto? CniChaining { get; init; }
    public ModeDto? ClockSource { get; init; }
    public BandwidthManagerDto? BandwidthManager { get; init; }
    public NodeMonitorDto? NodeMonitor { get; init; }
    public ProxyDto? Proxy { get; init; }
    public IdentityRangeDto? IdentityRange { get; init; }
    public ClusterMeshDto? ClusterMesh { get; init; }
    public SubsystemDto? ContainerRuntime { get; init; }
    public SubsystemDto? CniFile { get; init; }
    public SubsystemDto? AuthCertificateProvider { get; init; }
    public FeatureToggleDto? Srv6 { get; init; }
    public FeatureToggleDto? Ipv4BigTcp { get; init; }
    public FeatureToggleDto? Ipv6BigTcp { get; init; }
    public string? AttachMode { get; init; }
    public string? DatapathMode { get; init; }

    /// <summary>The agent's own map of stale status probes (probe → since); <c>stale</c> is the node-level flag.</summary>
    public IReadOnlyDictionary<string, string>? StaleProbes { get; init; }

    public IReadOnlyList<string>? ParseWarnings { get; init; }
    public NodeHealthDto? Health { get; init; }

    public required MapPressureDetailDto MapPressure { get; init; }

    /// <summary>Everything wrong with the node, in cilium-cli's words plus what only the dashboard checks; severe ones first as found.</summary>
    public IReadOnlyList<NodeProblemDto> Problems { get; init; } = [];
}

public sealed record NodeProblemDto(string Text, bool Severe);

public sealed record ContainerDto(string PodPhase, bool Running, bool Ready, string? WaitingReason, int? LastExitCode, string? Message, int RestartCount);

public sealed record SubsystemDto(string? State, string? Message);

public sealed record KubernetesDto(string? State, string? Message, IReadOnlyList<string> ApiVersions);

public sealed record ClusterSectionDto(SubsystemDto? CiliumHealth, string? Self);

public sealed record ModeDto(string? Mode, IReadOnlyList<string> Devices);

public sealed record ControllerDto(
    string Name,
    bool Failing,
    long ConsecutiveFailureCount,
    long FailureCount,
    long SuccessCount,
    string? LastFailureMessage,
    DateTimeOffset? LastSuccess,
    DateTimeOffset? LastFailure,
    string? Interval,
    Guid? Uuid,
    bool? ErrorRetry,
    string? ErrorRetryBase);

/// <summary>Configured map sizes, with the fill levels of <see cref="NodeDetailDto.MapPressure"/> (null when not read).</summary>
public sealed record NodeBpfMapsDetailDto(double? DynamicSizeRatio, IReadOnlyList<BpfMapDto> Maps, IReadOnlyList<MapPressureDto>? Pressure, string? PressureError);

/// <summary>
/// The last read of the agent's <c>cilium_bpf_map_pressure</c> metric (<c>cilium-dbg metrics list</c>): fill levels
/// fullest first, or null with <see cref="Error"/> saying why (null too before the first read).
/// </summary>
public sealed record MapPressureDetailDto(IReadOnlyList<MapPressureDto>? Maps, DateTimeOffset? ReadAt, IReadOnlyList<string> Warnings, string? Error);

/// <summary>
/// A map's fill level (used / configured entries); a ratio that is not a finite number is sent as its text (NaN,
/// Infinity). <c>level</c>: <c>high</c> over 80 %, <c>elevated</c> over 60 %, else <c>normal</c>.
/// </summary>
public sealed record MapPressureDto(
    string Map,
    [property: System.Text.Json.Serialization.JsonNumberHandling(System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals)] double Ratio)
{
    public string Level { get; init; } = "normal";
}

public sealed record IpamDto(string? Summary, IReadOnlyList<string> Ipv4, IReadOnlyList<string> Ipv6, IReadOnlyDictionary<string, string> Allocations);

public sealed record HubbleDto(string? State, string? Message, long? CurrentFlows, long? MaxFlows, long? SeenFlows, string? Uptime, string? MetricsState);

public sealed record MasqueradingDto(bool? Enabled, string? Mode, bool? Ipv4, bool? Ipv6, bool? IpMasqAgent, string? SnatExclusionCidrV4, string? SnatExclusionCidrV6);

public sealed record RoutingDto(string? IntraHost, string? InterHost, string? TunnelProtocol, bool FromLegacyHostRouting);

public sealed record EncryptionDto(
    string? Mode,
    string? Message,
    IReadOnlyList<string> WireguardInterfaces,
    long? IpsecKeysInUse,
    long? IpsecErrorCount,
    IReadOnlyList<WireguardInterfaceDto> Wireguard,
    bool? NodeEncryption);

public sealed record WireguardInterfaceDto(string Name, long? ListenPort, long? PeerCount, string? PublicKey);

public sealed record FeatureToggleDto(bool? Enabled, IReadOnlyDictionary<string, string> Settings);

public sealed record BandwidthManagerDto(bool? Enabled, string? CongestionControl, IReadOnlyList<string> Devices);

public sealed record NodeMonitorDto(long? Cpus, long? Npages, long? Pagesize, long? Lost, long? Unknown);

public sealed record ProxyDto(string? Ip, string? PortRange, long? TotalRedirects, long? TotalPorts, string? EnvoyDeploymentMode, IReadOnlyList<string> Redirects);

public sealed record IdentityRangeDto(long? Min, long? Max);

public sealed record ClusterMeshDto(IReadOnlyList<RemoteClusterDto> Clusters, long? GlobalServices);

public sealed record RemoteClusterDto(
    string Name,
    bool? Ready,
    bool? Connected,
    string? Status,
    long? Nodes,
    long? NumFailures,
    long? Endpoints,
    long? Identities,
    long? SharedServices,
    DateTimeOffset? LastFailure);

public sealed record KubeProxyReplacementDto(
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
    bool? Nat46X64,
    IReadOnlyDictionary<string, IReadOnlyList<string>> DeviceAddresses,
    IReadOnlyList<string> Annotations,
    IReadOnlyList<string> Nat46X64GatewayPrefixes,
    bool? Nat46X64Service);

public sealed record NodeHealthDto(string? LocalNode, DateTimeOffset? Timestamp, string? ProbeInterval, int Reachable, int Total);
