using System.Net;
using System.Text.Json;
using CiliumDash.Simulator.Cluster;

namespace CiliumDash.Simulator.Documents;

/// <summary>
/// Renders what <c>cilium-dbg status -o json</c> prints on a simulated node (GET /v1/healthz, not brief): a
/// <c>StatusResponse</c> with Cilium's wire names. Properties come in Go's declaration order and zero values are left
/// out (<c>omitempty</c>), as the real agent marshals them. Deterministic for a seed, a node and <c>now</c>.
/// </summary>
public static class AgentStatusDocuments
{
    private static readonly JsonEncodedText Controllers = JsonEncodedText.Encode("controllers");

    public static string Render(SimulatedCluster cluster, SimNode node, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(node);
        return JsonDocumentWriter.Write((cluster, node, now), static (writer, state) => Write(writer, state.cluster, state.node, state.now));
    }

    private static void Write(Utf8JsonWriter writer, SimulatedCluster cluster, SimNode node, DateTimeOffset now)
    {
        var shape = cluster.Options.Shape;
        var legacy = shape == WireShape.Cilium112;
        var inventory = NodeInventory.For(cluster, node);
        var random = WireFormat.NodeRandom(cluster.Options.Seed, node.Index, salt: 4);
        var version = $"{cluster.CiliumVersion} (v{cluster.CiliumVersion}-{cluster.CiliumGitSha})";

        writer.WriteStartObject();
        if (!legacy)
        {
            writer.WriteString("attach-mode", "tcx");
        }

        writer.WriteStartObject("bandwidth-manager");   // disabled: Go leaves out enabled=false and the rest
        writer.WriteEndObject();
        AgentFeatureSections.WriteBpfMaps(writer, shape);
        Status(writer, "cilium", "Ok", version);
        writer.WriteNumber("client-id", random.Next(1, int.MaxValue));
        writer.WriteStartObject("clock-source");
        writer.WriteString("mode", "ktime");
        writer.WriteEndObject();
        writer.WriteStartObject("cluster");
        Status(writer, "ciliumHealth", "Ok", null);
        writer.WriteString("self", node.Name);   // bare name: the cluster is "default"
        writer.WriteEndObject();
        writer.WriteStartObject("cni-chaining");
        writer.WriteString("mode", "none");
        writer.WriteEndObject();
        if (!legacy)
        {
            Status(writer, "cni-file", "Ok", "successfully wrote CNI configuration file to /host/etc/cni/net.d/05-cilium.conflist");
        }

        AgentControllers.Write(writer, Controllers, cluster, node, inventory, now);
        if (!legacy)
        {
            writer.WriteString("datapath-mode", "veth");
        }

        writer.WriteStartObject("encryption");
        writer.WriteString("mode", "Disabled");
        writer.WriteEndObject();
        writer.WriteStartObject("host-firewall");
        writer.WriteString("mode", "Disabled");
        writer.WriteEndObject();
        if (legacy)
        {
            writer.WriteStartObject("host-routing");
            writer.WriteString("mode", "BPF");
            writer.WriteEndObject();
        }

        WriteHubble(writer, cluster, node, now, random);
        if (!legacy)
        {
            Status(writer, "hubble-metrics", "Disabled", null);
        }

        writer.WriteStartObject("identity-range");
        writer.WriteNumber("max-identity", 65535);
        writer.WriteNumber("min-identity", 256);
        writer.WriteEndObject();
        WriteIpam(writer, node, inventory);
        if (!legacy)
        {
            BigTcp(writer, "ipv4-big-tcp");
            BigTcp(writer, "ipv6-big-tcp");
        }

        AgentFeatureSections.WriteKubeProxyReplacement(writer, shape, node);
        AgentFeatureSections.WriteKubernetes(writer, shape);
        if (legacy)
        {
            Status(writer, "kvstore", "Ok", "Disabled");
        }
        else
        {
            Status(writer, "kvstore", "Disabled", null);
        }

        writer.WriteStartObject("masquerading");   // masquerading off: only the (all-false) protocol object remains
        writer.WriteStartObject("enabledProtocols");
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteStartObject("nodeMonitor");
        writer.WriteNumber("cpus", node.Cpus);
        writer.WriteNumber("npages", 64);
        writer.WriteNumber("pagesize", 4096);
        writer.WriteEndObject();
        writer.WriteStartObject("proxy");   // no L7 policy: total-redirects and total-ports are 0 and left out
        if (!legacy)
        {
            writer.WriteString("envoy-deployment-mode", "external");
        }

        writer.WriteString("ip", node.RouterIp);
        writer.WriteString("port-range", "10000-20000");
        writer.WriteEndObject();
        if (!legacy)
        {
            writer.WriteStartObject("routing");   // native routing: tunnel-protocol is empty and left out
            writer.WriteString("inter-host-routing-mode", "Native");
            writer.WriteString("intra-host-routing-mode", "BPF");
            writer.WriteEndObject();
            writer.WriteStartObject("srv6");
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    private static void WriteHubble(Utf8JsonWriter writer, SimulatedCluster cluster, SimNode node, DateTimeOffset now, Random random)
    {
        var uptime = now > cluster.StartedAt ? now - cluster.StartedAt : TimeSpan.Zero;

        // Each node sees its share of the cluster's flows, unevenly (busier nodes host more pods).
        var perNode = cluster.Options.FlowsPerSecond / cluster.Nodes.Count * (0.7 + (0.6 * random.NextDouble()));
        var seen = (long)(perNode * uptime.TotalSeconds);
        writer.WriteStartObject("hubble");
        if (cluster.Options.Shape == WireShape.Cilium112)
        {
            Status(writer, "metrics", "Disabled", null);
        }

        writer.WriteStartObject("observer");
        if (seen > 0)
        {
            writer.WriteNumber("current-flows", Math.Min(seen, cluster.Options.MaxFlowsPerNode));
        }

        writer.WriteNumber("max-flows", cluster.Options.MaxFlowsPerNode);
        if (seen > 0)
        {
            writer.WriteNumber("seen-flows", seen);
        }

        writer.WriteString("uptime", WireFormat.GoDuration(uptime));
        writer.WriteEndObject();
        writer.WriteString("state", "Ok");
        writer.WriteEndObject();
    }

    /// <summary>Allocations: the router (cilium_host), the health endpoint and the node's managed pods.</summary>
    private static void WriteIpam(Utf8JsonWriter writer, SimNode node, NodeInventory inventory)
    {
        var allocations = new List<(string Ip, string Owner)>(inventory.Pods.Count + 2)
        {
            (node.RouterIp, "router"),
            (node.HealthIp, "health"),
        };
        foreach (var pod in inventory.Pods)
        {
            allocations.Add((pod.Ip, $"{pod.Namespace}/{pod.Name}"));
        }

        // Go marshals the allocations map with sorted keys; the ipv4 list follows the same order here.
        allocations.Sort(static (a, b) => string.CompareOrdinal(a.Ip, b.Ip));
        writer.WriteStartObject("ipam");
        writer.WriteStartObject("allocations");
        foreach (var (ip, owner) in allocations)
        {
            writer.WriteString(ip, owner);
        }

        writer.WriteEndObject();
        writer.WriteStartArray("ipv4");
        foreach (var (ip, _) in allocations)
        {
            writer.WriteStringValue(ip);
        }

        writer.WriteEndArray();
        writer.WriteString("status", $"IPv4: {allocations.Count}/{UsableAddresses(node.PodCidr)} allocated from {node.PodCidr}, ");
        writer.WriteEndObject();
    }

    /// <summary>Addresses the pool hands out: the CIDR minus network and broadcast (254 for a /24).</summary>
    private static long UsableAddresses(string cidr)
    {
        var slash = cidr.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || !IPAddress.TryParse(cidr.AsSpan(0, slash), out _) || !int.TryParse(cidr.AsSpan(slash + 1), out var bits) || bits is < 1 or > 30)
        {
            return 254;
        }

        return (1L << (32 - bits)) - 2;
    }

    private static void BigTcp(Utf8JsonWriter writer, string name)
    {
        writer.WriteStartObject(name);   // disabled; the agent still reports the kernel's default GRO/GSO sizes
        writer.WriteNumber("maxGRO", 65536);
        writer.WriteNumber("maxGSO", 65536);
        writer.WriteEndObject();
    }

    private static void Status(Utf8JsonWriter writer, string name, string state, string? msg)
    {
        writer.WriteStartObject(name);
        if (!string.IsNullOrEmpty(msg))
        {
            writer.WriteString("msg", msg);
        }

        writer.WriteString("state", state);
        writer.WriteEndObject();
    }
}
