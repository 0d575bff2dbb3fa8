using System.Text.Json.Serialization;
using CiliumDash.Protocols.Json;

namespace CiliumDash.Protocols.Health;

/// <summary>
/// cilium-health's <c>HealthStatusResponse</c> (GET /v1beta/status; <c>cilium-health status -o json</c>): the last
/// probe round from one node to every node, itself included. Declared in the order cilium-health prints it.
/// </summary>
public sealed record HealthStatusResponse
{
    [JsonPropertyName(HealthWireNames.Local)]
    public SelfStatus? Local { get; init; }

    [JsonPropertyName(HealthWireNames.Nodes)]
    public IReadOnlyList<NodeStatus>? Nodes { get; init; }

    /// <summary>A Go duration ("1m36.566274746s"), 1.18+.</summary>
    [JsonPropertyName(HealthWireNames.ProbeInterval)]
    public string? ProbeInterval { get; init; }

    /// <summary>When the probe round ran.</summary>
    [JsonPropertyName(HealthWireNames.Timestamp)]
    [JsonConverter(typeof(SecondsTimeConverter))]
    public DateTimeOffset? Timestamp { get; init; }
}

public sealed record SelfStatus
{
    [JsonPropertyName(HealthWireNames.Name)]
    public string? Name { get; init; }
}

/// <summary>One probed node (cluster-prefixed name unless the cluster is <c>default</c>).</summary>
public sealed record NodeStatus
{
    /// <summary>Deprecated flat form of <see cref="HealthEndpoint"/>'s primary address; the only one very old agents print.</summary>
    [JsonPropertyName(HealthWireNames.Endpoint)]
    public PathStatus? Endpoint { get; init; }

    /// <summary>The node's health endpoint (a workload stand-in).</summary>
    [JsonPropertyName(HealthWireNames.HealthEndpoint)]
    public EndpointStatus? HealthEndpoint { get; init; }

    /// <summary>The node's own addresses.</summary>
    [JsonPropertyName(HealthWireNames.Host)]
    public EndpointStatus? Host { get; init; }

    [JsonPropertyName(HealthWireNames.Name)]
    public string? Name { get; init; }
}

/// <summary>A missing primary address counts as unreachable, as cilium-health counts it.</summary>
public sealed record EndpointStatus
{
    [JsonPropertyName(HealthWireNames.PrimaryAddress)]
    public PathStatus? PrimaryAddress { get; init; }

    [JsonPropertyName(HealthWireNames.SecondaryAddresses)]
    public IReadOnlyList<PathStatus>? SecondaryAddresses { get; init; }
}

/// <summary>One probed address.</summary>
public sealed record PathStatus
{
    /// <summary>HTTP GET /hello on port 4240.</summary>
    [JsonPropertyName(HealthWireNames.Http)]
    public ConnectivityStatus? Http { get; init; }

    [JsonPropertyName(HealthWireNames.Icmp)]
    public ConnectivityStatus? Icmp { get; init; }

    [JsonPropertyName(HealthWireNames.Ip)]
    public string? Ip { get; init; }
}

/// <summary>One probe: absent = not run yet; a non-empty status = failed; else a latency.</summary>
public sealed record ConnectivityStatus
{
    /// <summary>1.18+.</summary>
    [JsonPropertyName(HealthWireNames.LastProbed)]
    [JsonConverter(typeof(SecondsTimeConverter))]
    public DateTimeOffset? LastProbed { get; init; }

    /// <summary>Round-trip time in nanoseconds.</summary>
    [JsonPropertyName(HealthWireNames.Latency)]
    public long? Latency { get; init; }

    /// <summary>Why the probe failed ("Connection timed out"); empty or absent on success.</summary>
    [JsonPropertyName(HealthWireNames.Status)]
    public string? Status { get; init; }
}

/// <summary>
/// The wire names of <see cref="HealthStatusResponse"/>, for the models' attributes and for the dashboard's streaming
/// reader of large reports alike.
/// </summary>
public static class HealthWireNames
{
    public const string Local = "local";
    public const string Nodes = "nodes";
    public const string ProbeInterval = "probeInterval";
    public const string Timestamp = "timestamp";
    public const string Name = "name";
    public const string Endpoint = "endpoint";
    public const string HealthEndpoint = "health-endpoint";
    public const string Host = "host";
    public const string PrimaryAddress = "primary-address";
    public const string SecondaryAddresses = "secondary-addresses";
    public const string Http = "http";
    public const string Icmp = "icmp";
    public const string Ip = "ip";
    public const string LastProbed = "lastProbed";
    public const string Latency = "latency";
    public const string Status = "status";
}
