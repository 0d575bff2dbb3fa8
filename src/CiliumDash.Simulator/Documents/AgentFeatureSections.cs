using System.Text.Json;
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

    public static void WriteBpfMaps(Utf8JsonWriter writer, WireShape shape)
    {
        writer.WriteStartObject("bpf-maps");
        writer.WriteNumber("dynamic-size-ratio", 0.0025);
        writer.WriteStartArray("maps");
        foreach (var (name, size) in Maps(shape))
        {
            writer.WriteStartObject();
            writer.WriteString("name", name);
            writer.WriteNumber("size", size);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    public static void WriteKubernetes(Utf8JsonWriter writer, WireShape shape)
    {
        writer.WriteStartObject("kubernetes");
        writer.WriteStartArray("k8s-api-versions");
        foreach (var api in shape == WireShape.Cilium112 ? K8sApis112 : K8sApisCurrent)
        {
            writer.WriteStringValue(api);
        }

        writer.WriteEndArray();
        writer.WriteString("msg", shape == WireShape.Cilium112 ? "1.24 (v1.24.3) [linux/amd64]" : "1.32 (v1.32.7) [linux/amd64]");
        writer.WriteString("state", "Ok");
        writer.WriteEndObject();
    }

    /// <summary>
    /// Booleans that are false are left out, as Go's <c>omitempty</c> does: a disabled NAT46/64 is an empty object and
    /// "Socket LB Coverage: Full" is the absence of <c>bpfSocketLBHostnsOnly</c>.
    /// </summary>
    public static void WriteKubeProxyReplacement(Utf8JsonWriter writer, WireShape shape, SimNode node)
    {
        var legacy = shape == WireShape.Cilium112;
        writer.WriteStartObject("kube-proxy-replacement");
        writer.WriteStartArray("deviceList");
        writer.WriteStartObject();
        writer.WriteStartArray("ip");
        writer.WriteStringValue(node.InternalIp);
        writer.WriteEndArray();
        writer.WriteString("name", node.Device);
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteStartArray("devices");
        writer.WriteStringValue(node.Device);
        writer.WriteEndArray();
        writer.WriteString("directRoutingDevice", node.Device);

        writer.WriteStartObject("features");
        if (!legacy)
        {
            writer.WriteStartArray("annotations");
            foreach (var annotation in ServiceAnnotations)
            {
                writer.WriteStringValue(annotation);
            }

            writer.WriteEndArray();
        }

        Enabled(writer, "externalIPs");
        Enabled(writer, "gracefulTermination");
        Enabled(writer, "hostPort");
        writer.WriteStartObject("hostReachableServices");
        writer.WriteBoolean("enabled", true);
        writer.WriteStartArray("protocols");
        writer.WriteStringValue("TCP");
        writer.WriteStringValue("UDP");
        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteStartObject("nat46X64");
        if (!legacy)
        {
            writer.WriteStartObject("gateway");
            writer.WriteStartArray("prefixes");
            writer.WriteStringValue("64:ff9b::/96");
            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WriteStartObject("service");
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
        writer.WriteStartObject("nodePort");
        writer.WriteString("acceleration", "None");
        writer.WriteString("algorithm", "Maglev");
        if (!legacy)
        {
            writer.WriteString("dsrMode", "IP Option/Extension");
        }

        writer.WriteBoolean("enabled", true);
        writer.WriteNumber("lutSize", 16381);
        writer.WriteString("mode", "DSR");
        writer.WriteNumber("portMax", 32767);
        writer.WriteNumber("portMin", 30000);
        writer.WriteEndObject();
        Enabled(writer, "sessionAffinity");
        Enabled(writer, "socketLB");
        if (!legacy)
        {
            Enabled(writer, "socketLBTracing");
        }

        writer.WriteEndObject();
        writer.WriteString("mode", legacy ? "Strict" : "True");
        writer.WriteEndObject();
    }

    private static void Enabled(Utf8JsonWriter writer, string feature)
    {
        writer.WriteStartObject(feature);
        writer.WriteBoolean("enabled", true);
        writer.WriteEndObject();
    }
}
