using System.Text.Json;
using System.Text.Json.Serialization;
using CiliumDash.Protocols.Json;

namespace CiliumDash.Protocols.Agent;

public sealed record BandwidthManager
{
    /// <summary><c>cubic</c> | <c>bbr</c>.</summary>
    [JsonPropertyName("congestionControl")]
    public string? CongestionControl { get; init; }

    [JsonPropertyName("devices")]
    public IReadOnlyList<string>? Devices { get; init; }

    [JsonPropertyName("enabled")]
    public bool? Enabled { get; init; }
}

/// <summary>Configured BPF map sizes (maximum entries, not usage).</summary>
public sealed record BpfMapStatus
{
    [JsonPropertyName("dynamic-size-ratio")]
    public double? DynamicSizeRatio { get; init; }

    [JsonPropertyName("maps")]
    public IReadOnlyList<BpfMapProperties>? Maps { get; init; }
}

public sealed record BpfMapProperties
{
    /// <summary>Human-readable ("TCP connection tracking", "IP cache").</summary>
    [JsonPropertyName("name")]
    [JsonConverter(typeof(SharedStringConverter))]
    public string? Name { get; init; }

    [JsonPropertyName("size")]
    public long? Size { get; init; }
}

public sealed record ClockSource
{
    [JsonPropertyName("hertz")]
    public long? Hertz { get; init; }

    /// <summary><c>ktime</c> | <c>jiffies</c>.</summary>
    [JsonPropertyName("mode")]
    public string? Mode { get; init; }
}

public sealed record CniChainingStatus
{
    [JsonPropertyName("mode")]
    public string? Mode { get; init; }
}

public sealed record HostFirewall
{
    [JsonPropertyName("devices")]
    public IReadOnlyList<string>? Devices { get; init; }

    /// <summary><c>Disabled</c> | <c>Enabled</c>.</summary>
    [JsonPropertyName("mode")]
    public string? Mode { get; init; }
}

/// <summary>1.12–1.15.</summary>
public sealed record HostRouting
{
    /// <summary><c>BPF</c> | <c>Legacy</c>.</summary>
    [JsonPropertyName("mode")]
    public string? Mode { get; init; }
}

/// <summary>1.16+.</summary>
public sealed record Routing
{
    /// <summary><c>Native</c> | <c>Tunnel</c>.</summary>
    [JsonPropertyName("inter-host-routing-mode")]
    public string? InterHostRoutingMode { get; init; }

    /// <summary><c>BPF</c> | <c>Legacy</c>.</summary>
    [JsonPropertyName("intra-host-routing-mode")]
    public string? IntraHostRoutingMode { get; init; }

    [JsonPropertyName("tunnel-protocol")]
    public string? TunnelProtocol { get; init; }
}

/// <summary><c>ipv4-big-tcp</c> and <c>ipv6-big-tcp</c>.</summary>
public sealed record BigTcp
{
    [JsonPropertyName("enabled")]
    public bool? Enabled { get; init; }

    [JsonPropertyName("maxGRO")]
    public long? MaxGro { get; init; }

    [JsonPropertyName("maxGSO")]
    public long? MaxGso { get; init; }

    /// <summary>Settings a later version adds, kept as the agent wrote them.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Other { get; set; }
}

public sealed record Srv6
{
    [JsonPropertyName("enabled")]
    public bool? Enabled { get; init; }

    /// <summary><c>SRH</c> | <c>Reduced</c>.</summary>
    [JsonPropertyName("srv6EncapMode")]
    public string? Srv6EncapMode { get; init; }

    /// <summary>Settings a later version adds, kept as the agent wrote them.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Other { get; set; }
}

public sealed record IdentityRange
{
    [JsonPropertyName("max-identity")]
    public long? MaxIdentity { get; init; }

    [JsonPropertyName("min-identity")]
    public long? MinIdentity { get; init; }
}

public sealed record IpamStatus
{
    /// <summary>Address → owner (<c>router</c>, <c>health</c>, <c>namespace/pod</c>).</summary>
    [JsonPropertyName("allocations")]
    public IReadOnlyDictionary<string, string>? Allocations { get; init; }

    [JsonPropertyName("ipv4")]
    public IReadOnlyList<string>? Ipv4 { get; init; }

    [JsonPropertyName("ipv6")]
    public IReadOnlyList<string>? Ipv6 { get; init; }

    /// <summary>Summary, e.g. "IPv4: 5/254 allocated from 10.0.1.0/24, " (the trailing ", " is real).</summary>
    [JsonPropertyName("status")]
    public string? Status { get; init; }
}

public sealed record Masquerading
{
    [JsonPropertyName("enabled")]
    public bool? Enabled { get; init; }

    [JsonPropertyName("enabledProtocols")]
    public MasqueradingProtocols? EnabledProtocols { get; init; }

    [JsonPropertyName("ip-masq-agent")]
    public bool? IpMasqAgent { get; init; }

    /// <summary><c>BPF</c> | <c>iptables</c>.</summary>
    [JsonPropertyName("mode")]
    public string? Mode { get; init; }

    /// <summary>Obsolete name of <see cref="SnatExclusionCidrV4"/>.</summary>
    [JsonPropertyName("snat-exclusion-cidr")]
    public string? SnatExclusionCidr { get; init; }

    [JsonPropertyName("snat-exclusion-cidr-v4")]
    public string? SnatExclusionCidrV4 { get; init; }

    [JsonPropertyName("snat-exclusion-cidr-v6")]
    public string? SnatExclusionCidrV6 { get; init; }
}

public sealed record MasqueradingProtocols
{
    [JsonPropertyName("ipv4")]
    public bool? Ipv4 { get; init; }

    [JsonPropertyName("ipv6")]
    public bool? Ipv6 { get; init; }
}

public sealed record MonitorStatus
{
    [JsonPropertyName("cpus")]
    public long? Cpus { get; init; }

    [JsonPropertyName("lost")]
    public long? Lost { get; init; }

    [JsonPropertyName("npages")]
    public long? Npages { get; init; }

    [JsonPropertyName("pagesize")]
    public long? Pagesize { get; init; }

    [JsonPropertyName("unknown")]
    public long? Unknown { get; init; }
}

public sealed record ProxyStatus
{
    /// <summary><c>embedded</c> | <c>external</c> (1.14+).</summary>
    [JsonPropertyName("envoy-deployment-mode")]
    public string? EnvoyDeploymentMode { get; init; }

    [JsonPropertyName("ip")]
    public string? Ip { get; init; }

    [JsonPropertyName("port-range")]
    public string? PortRange { get; init; }

    [JsonPropertyName("redirects")]
    public IReadOnlyList<ProxyRedirect>? Redirects { get; init; }

    [JsonPropertyName("total-ports")]
    public long? TotalPorts { get; init; }

    [JsonPropertyName("total-redirects")]
    public long? TotalRedirects { get; init; }
}

public sealed record ProxyRedirect
{
    [JsonPropertyName("name")]
    public string? Name { get; init; }

    [JsonPropertyName("proxy")]
    public string? Proxy { get; init; }

    [JsonPropertyName("proxy-port")]
    public long? ProxyPort { get; init; }
}
