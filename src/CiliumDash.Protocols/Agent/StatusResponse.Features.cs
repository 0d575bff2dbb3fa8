using System.Text.Json.Serialization;
using CiliumDash.Protocols.Json;

namespace CiliumDash.Protocols.Agent;

/// <summary>
/// <c>kube-proxy-replacement</c>. Note the mixed naming inside (camelCase <c>deviceList</c>, <c>nodePort</c>,
/// <c>lutSize</c>). <c>mode</c>: Disabled/Strict/Probe/Partial (1.12–1.15), True/False (1.14+).
/// </summary>
public sealed record KubeProxyReplacement
{
    [JsonPropertyName("deviceList")]
    public IReadOnlyList<KprDevice>? DeviceList { get; init; }

    [JsonPropertyName("devices")]
    public IReadOnlyList<string>? Devices { get; init; }

    [JsonPropertyName("directRoutingDevice")]
    public string? DirectRoutingDevice { get; init; }

    [JsonPropertyName("features")]
    public KprFeatures? Features { get; init; }

    [JsonPropertyName("mode")]
    public string? Mode { get; init; }
}

public sealed record KprDevice
{
    [JsonPropertyName("ip")]
    public IReadOnlyList<string>? Ip { get; init; }

    [JsonPropertyName("name")]
    public string? Name { get; init; }
}

public sealed record KprFeatures
{
    /// <summary>Supported <c>service.cilium.io/*</c> annotations (1.17+).</summary>
    [JsonPropertyName("annotations")]
    public IReadOnlyList<string>? Annotations { get; init; }

    /// <summary>1.14+; absent (false) = "Socket LB Coverage: Full".</summary>
    [JsonPropertyName("bpfSocketLBHostnsOnly")]
    public bool? BpfSocketLbHostnsOnly { get; init; }

    [JsonPropertyName("externalIPs")]
    public FeatureEnabled? ExternalIps { get; init; }

    [JsonPropertyName("gracefulTermination")]
    public FeatureEnabled? GracefulTermination { get; init; }

    [JsonPropertyName("hostPort")]
    public FeatureEnabled? HostPort { get; init; }

    /// <summary>The older name of socket LB, still in the model.</summary>
    [JsonPropertyName("hostReachableServices")]
    public HostReachableServices? HostReachableServices { get; init; }

    [JsonPropertyName("nat46X64")]
    public Nat46X64? Nat46X64 { get; init; }

    [JsonPropertyName("nodePort")]
    public NodePort? NodePort { get; init; }

    [JsonPropertyName("sessionAffinity")]
    public FeatureEnabled? SessionAffinity { get; init; }

    [JsonPropertyName("socketLB")]
    public FeatureEnabled? SocketLb { get; init; }

    /// <summary>1.13+.</summary>
    [JsonPropertyName("socketLBTracing")]
    public FeatureEnabled? SocketLbTracing { get; init; }
}

/// <summary>A feature object holding only <c>enabled</c> (false is left out, so a disabled one is <c>{}</c>).</summary>
public sealed record FeatureEnabled
{
    public static readonly FeatureEnabled On = new() { Enabled = true };

    [JsonPropertyName("enabled")]
    public bool? Enabled { get; init; }
}

public sealed record HostReachableServices
{
    [JsonPropertyName("enabled")]
    public bool? Enabled { get; init; }

    [JsonPropertyName("protocols")]
    public IReadOnlyList<string>? Protocols { get; init; }
}

public sealed record Nat46X64
{
    [JsonPropertyName("enabled")]
    public bool? Enabled { get; init; }

    /// <summary>1.13+.</summary>
    [JsonPropertyName("gateway")]
    public Nat46X64Gateway? Gateway { get; init; }

    /// <summary>1.13+.</summary>
    [JsonPropertyName("service")]
    public FeatureEnabled? Service { get; init; }
}

public sealed record Nat46X64Gateway
{
    [JsonPropertyName("enabled")]
    public bool? Enabled { get; init; }

    [JsonPropertyName("prefixes")]
    public IReadOnlyList<string>? Prefixes { get; init; }
}

public sealed record NodePort
{
    /// <summary>XDP: <c>None</c> | <c>Native</c> | <c>Generic</c> | <c>Best-Effort</c> (1.15+).</summary>
    [JsonPropertyName("acceleration")]
    public string? Acceleration { get; init; }

    /// <summary>Backend selection: <c>Random</c> | <c>Maglev</c>.</summary>
    [JsonPropertyName("algorithm")]
    public string? Algorithm { get; init; }

    /// <summary><c>IP Option/Extension</c> | <c>IPIP</c> | <c>Geneve</c> (1.15+).</summary>
    [JsonPropertyName("dsrMode")]
    public string? DsrMode { get; init; }

    [JsonPropertyName("enabled")]
    public bool? Enabled { get; init; }

    /// <summary>Maglev table size (e.g. 16381).</summary>
    [JsonPropertyName("lutSize")]
    public long? LutSize { get; init; }

    /// <summary><c>SNAT</c> | <c>DSR</c> | <c>Hybrid</c>.</summary>
    [JsonPropertyName("mode")]
    public string? Mode { get; init; }

    [JsonPropertyName("portMax")]
    public long? PortMax { get; init; }

    [JsonPropertyName("portMin")]
    public long? PortMin { get; init; }
}

/// <summary>One entry of <c>controllers</c>.</summary>
public sealed record ControllerStatus
{
    [JsonPropertyName("configuration")]
    public ControllerConfiguration? Configuration { get; init; }

    [JsonPropertyName("name")]
    [JsonConverter(typeof(SharedStringConverter))]
    public string? Name { get; init; }

    [JsonPropertyName("status")]
    public ControllerRunStatus? Status { get; init; }

    [JsonPropertyName("uuid")]
    public Guid? Uuid { get; init; }
}

public sealed record ControllerConfiguration
{
    [JsonPropertyName("error-retry")]
    public bool? ErrorRetry { get; init; }

    /// <summary>A Go duration ("2s").</summary>
    [JsonPropertyName("error-retry-base")]
    [JsonConverter(typeof(SharedStringConverter))]
    public string? ErrorRetryBase { get; init; }

    /// <summary>A Go duration ("5m0s"); absent for one-shot controllers.</summary>
    [JsonPropertyName("interval")]
    [JsonConverter(typeof(SharedStringConverter))]
    public string? Interval { get; init; }
}

/// <summary>A controller's counts (0 is left out) and times (<see cref="WireTime.Never"/> = never).</summary>
public sealed record ControllerRunStatus
{
    /// <summary>Over 0 = failing, as cilium-cli counts it.</summary>
    [JsonPropertyName("consecutive-failure-count")]
    public long? ConsecutiveFailureCount { get; init; }

    [JsonPropertyName("failure-count")]
    public long? FailureCount { get; init; }

    [JsonPropertyName("last-failure-msg")]
    public string? LastFailureMsg { get; init; }

    [JsonPropertyName("last-failure-timestamp")]
    [JsonConverter(typeof(MillisTimeConverter))]
    public DateTimeOffset? LastFailureTimestamp { get; init; }

    [JsonPropertyName("last-success-timestamp")]
    [JsonConverter(typeof(MillisTimeConverter))]
    public DateTimeOffset? LastSuccessTimestamp { get; init; }

    [JsonPropertyName("success-count")]
    public long? SuccessCount { get; init; }
}
