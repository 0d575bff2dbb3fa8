namespace CiliumDash.Flows;

/// <summary>Plain-words hints beside Hubble's drop reason names (the name stays as Hubble spells it).</summary>
public static class DropReasons
{
    private static readonly Dictionary<string, string> Hints = new(StringComparer.Ordinal)
    {
        ["POLICY_DENIED"] = "no network policy allows this traffic (default deny for a selected endpoint)",
        ["POLICY_DENY"] = "an explicit deny rule in a network policy matched",
        ["AUTH_REQUIRED"] = "the policy requires mutual authentication that has not completed",
        ["CT_MAP_INSERTION_FAILED"] = "the connection tracking table is full (see the BPF map sizes)",
        ["SERVICE_BACKEND_NOT_FOUND"] = "the service has no backend to send this packet to",
        ["STALE_OR_UNROUTABLE_IP"] = "the address is not (or no longer) known to this node",
        ["INVALID_SOURCE_IP"] = "the source address does not belong to the sending endpoint",
        ["UNKNOWN_L3_TARGET_ADDRESS"] = "no route or endpoint for the destination address",
        ["FIB_LOOKUP_FAILED"] = "the kernel routing lookup found no route",
        ["NO_MAPPING_FOR_NAT_MASQUERADE"] = "no NAT mapping for this reply (masquerading)",
        ["UNSUPPORTED_L3_PROTOCOL"] = "the datapath does not handle this network protocol",
        ["UNKNOWN_L4_PROTOCOL"] = "the datapath does not handle this transport protocol",
        ["CT_MISSING_TCP_ACK_FLAG"] = "a TCP packet without ACK for a connection not seen starting",
        ["DENIED_BY_LB_SRC_RANGE_CHECK"] = "the client address is outside the service's loadBalancerSourceRanges",
        ["UNENCRYPTED_TRAFFIC"] = "encryption is required and the packet was not encrypted",
        ["TTL_EXCEEDED"] = "the packet's TTL ran out",
        ["DROP_RATE_LIMITED"] = "a rate limit dropped the packet",
        ["DROP_HOST_NOT_READY"] = "the node's datapath was not ready yet",
        ["DROP_EP_NOT_READY"] = "the endpoint's datapath was not ready yet",
        ["NO_EGRESS_GATEWAY"] = "no egress gateway is available for this traffic",
        ["MISSED_TAIL_CALL"] = "an internal datapath program was missing (often during an upgrade)",
    };

    public static string Describe(string reason) =>
        Hints.TryGetValue(reason ?? "", out var hint) ? hint : "see Cilium's drop reason list for " + reason;
}
