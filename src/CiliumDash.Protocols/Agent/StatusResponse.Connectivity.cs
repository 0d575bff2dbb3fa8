using System.Text.Json.Serialization;
using CiliumDash.Protocols.Json;

namespace CiliumDash.Protocols.Agent;

public sealed record HubbleStatus
{
    /// <summary>1.12–1.17; moved to the top-level <c>hubble-metrics</c> in 1.18.</summary>
    [JsonPropertyName("metrics")]
    public HubbleStatusMetrics? Metrics { get; init; }

    [JsonPropertyName("msg")]
    public string? Msg { get; init; }

    [JsonPropertyName("observer")]
    public HubbleObserver? Observer { get; init; }

    [JsonPropertyName("state")]
    public string? State { get; init; }
}

public sealed record HubbleStatusMetrics
{
    [JsonPropertyName("state")]
    public string? State { get; init; }
}

public sealed record HubbleObserver
{
    [JsonPropertyName("current-flows")]
    public long? CurrentFlows { get; init; }

    [JsonPropertyName("max-flows")]
    public long? MaxFlows { get; init; }

    [JsonPropertyName("seen-flows")]
    public long? SeenFlows { get; init; }

    /// <summary>A Go duration ("1h2m3.45s").</summary>
    [JsonPropertyName("uptime")]
    public string? Uptime { get; init; }
}

public sealed record EncryptionStatus
{
    /// <summary>1.15+.</summary>
    [JsonPropertyName("ipsec")]
    public IpsecStatus? Ipsec { get; init; }

    /// <summary><c>Disabled</c> | <c>IPsec</c> | <c>Wireguard</c> (+ <c>Ztunnel</c> in 1.19).</summary>
    [JsonPropertyName("mode")]
    public string? Mode { get; init; }

    [JsonPropertyName("msg")]
    public string? Msg { get; init; }

    [JsonPropertyName("wireguard")]
    public WireguardStatus? Wireguard { get; init; }
}

public sealed record IpsecStatus
{
    [JsonPropertyName("decrypt-interfaces")]
    public IReadOnlyList<string>? DecryptInterfaces { get; init; }

    [JsonPropertyName("error-count")]
    public long? ErrorCount { get; init; }

    [JsonPropertyName("keys-in-use")]
    public long? KeysInUse { get; init; }

    [JsonPropertyName("max-seq-number")]
    public string? MaxSeqNumber { get; init; }

    [JsonPropertyName("xfrm-errors")]
    public IReadOnlyDictionary<string, long>? XfrmErrors { get; init; }
}

public sealed record WireguardStatus
{
    [JsonPropertyName("interfaces")]
    public IReadOnlyList<WireguardInterface>? Interfaces { get; init; }

    /// <summary>1.14+.</summary>
    [JsonPropertyName("node-encryption")]
    public bool? NodeEncryption { get; init; }
}

public sealed record WireguardInterface
{
    [JsonPropertyName("listen-port")]
    public long? ListenPort { get; init; }

    [JsonPropertyName("name")]
    public string? Name { get; init; }

    [JsonPropertyName("peer-count")]
    public long? PeerCount { get; init; }

    [JsonPropertyName("public-key")]
    public string? PublicKey { get; init; }
}

public sealed record ClusterMeshStatus
{
    [JsonPropertyName("clusters")]
    public IReadOnlyList<RemoteCluster>? Clusters { get; init; }

    /// <summary>Removed in 1.19.</summary>
    [JsonPropertyName("num-global-services")]
    public long? NumGlobalServices { get; init; }
}

public sealed record RemoteCluster
{
    /// <summary>1.14+.</summary>
    [JsonPropertyName("connected")]
    public bool? Connected { get; init; }

    [JsonPropertyName("last-failure")]
    [JsonConverter(typeof(MillisTimeConverter))]
    public DateTimeOffset? LastFailure { get; init; }

    [JsonPropertyName("name")]
    public string? Name { get; init; }

    /// <summary>1.14+.</summary>
    [JsonPropertyName("num-endpoints")]
    public long? NumEndpoints { get; init; }

    [JsonPropertyName("num-failures")]
    public long? NumFailures { get; init; }

    [JsonPropertyName("num-identities")]
    public long? NumIdentities { get; init; }

    [JsonPropertyName("num-nodes")]
    public long? NumNodes { get; init; }

    [JsonPropertyName("num-shared-services")]
    public long? NumSharedServices { get; init; }

    [JsonPropertyName("ready")]
    public bool? Ready { get; init; }

    [JsonPropertyName("status")]
    public string? Status { get; init; }
}
