using System.Net;
using CiliumDash.Protocols.Agent;
using CiliumDash.Protocols.Json;
using CiliumDash.Simulator.Cluster;

namespace CiliumDash.Simulator.Documents;

/// <summary>
/// Renders what <c>cilium-dbg status -o json</c> prints on a simulated node (GET /v1/healthz, not brief): a
/// <see cref="StatusResponse"/> serialized with the shared wire models, so its names are Cilium's and its properties
/// come in the agent's order. Zero values are left out (null), as Go's <c>omitempty</c> does. Deterministic for a seed,
/// a node and <c>now</c>.
/// </summary>
public static class AgentStatusDocuments
{
    public static string Render(SimulatedCluster cluster, SimNode node, DateTimeOffset now) =>
        JsonDocumentWriter.Write(Build(cluster, node, now), CiliumJson.Context.StatusResponse);

    /// <summary>The document as a model, before it is printed.</summary>
    public static StatusResponse Build(SimulatedCluster cluster, SimNode node, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(node);
        var shape = cluster.Options.Shape;
        var legacy = shape == WireShape.Cilium112;
        var inventory = NodeInventory.For(cluster, node);
        var random = WireFormat.NodeRandom(cluster.Options.Seed, node.Index, salt: 4);
        var version = $"{cluster.CiliumVersion} (v{cluster.CiliumVersion}-{cluster.CiliumGitSha})";
        return new StatusResponse
        {
            AttachMode = legacy ? null : "tcx",
            BandwidthManager = new(),   // disabled: Go leaves out enabled=false and the rest
            BpfMaps = AgentFeatureSections.BpfMaps(shape),
            Cilium = Status("Ok", version),
            ClientId = random.Next(1, int.MaxValue),
            ClockSource = new() { Mode = "ktime" },
            Cluster = new() { CiliumHealth = Status("Ok"), Self = node.Name },   // bare name: the cluster is "default"
            CniChaining = new() { Mode = "none" },
            CniFile = legacy ? null : Status("Ok", "successfully wrote CNI configuration file to /host/etc/cni/net.d/05-cilium.conflist"),
            Controllers = AgentControllers.Build(cluster, node, inventory, now),
            DatapathMode = legacy ? null : "veth",
            Encryption = new() { Mode = "Disabled" },
            HostFirewall = new() { Mode = "Disabled" },
            HostRouting = legacy ? new() { Mode = "BPF" } : null,
            Hubble = Hubble(cluster, now, random),
            HubbleMetrics = legacy ? null : Status("Disabled"),
            IdentityRange = new() { MaxIdentity = 65535, MinIdentity = 256 },
            Ipam = Ipam(node, inventory),
            Ipv4BigTcp = legacy ? null : BigTcp(),
            Ipv6BigTcp = legacy ? null : BigTcp(),
            KubeProxyReplacement = AgentFeatureSections.KubeProxyReplacement(shape, node),
            Kubernetes = AgentFeatureSections.Kubernetes(shape),
            Kvstore = legacy ? Status("Ok", "Disabled") : Status("Disabled"),
            Masquerading = new() { EnabledProtocols = new() },   // masquerading off: only the (all-false) protocol object remains
            NodeMonitor = new() { Cpus = node.Cpus, Npages = 64, Pagesize = 4096 },
            // No L7 policy: total-redirects and total-ports are 0 and left out.
            Proxy = new() { EnvoyDeploymentMode = legacy ? null : "external", Ip = node.RouterIp, PortRange = "10000-20000" },
            // Native routing: tunnel-protocol is empty and left out.
            Routing = legacy ? null : new() { InterHostRoutingMode = "Native", IntraHostRoutingMode = "BPF" },
            Srv6 = legacy ? null : new(),
        };
    }

    private static HubbleStatus Hubble(SimulatedCluster cluster, DateTimeOffset now, Random random)
    {
        var uptime = now > cluster.StartedAt ? now - cluster.StartedAt : TimeSpan.Zero;

        // Each node sees its share of the cluster's flows, unevenly (busier nodes host more pods).
        var perNode = cluster.Options.FlowsPerSecond / cluster.Nodes.Count * (0.7 + (0.6 * random.NextDouble()));
        var seen = (long)(perNode * uptime.TotalSeconds);
        return new HubbleStatus
        {
            Metrics = cluster.Options.Shape == WireShape.Cilium112 ? new() { State = "Disabled" } : null,
            Observer = new()
            {
                CurrentFlows = seen > 0 ? Math.Min(seen, cluster.Options.MaxFlowsPerNode) : null,
                MaxFlows = cluster.Options.MaxFlowsPerNode,
                SeenFlows = seen > 0 ? seen : null,
                Uptime = WireFormat.GoDuration(uptime),
            },
            State = "Ok",
        };
    }

    /// <summary>Allocations: the router (cilium_host), the health endpoint and the node's managed pods.</summary>
    private static IpamStatus Ipam(SimNode node, NodeInventory inventory)
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
        var byIp = new Dictionary<string, string>(allocations.Count, StringComparer.Ordinal);
        foreach (var (ip, owner) in allocations)
        {
            byIp[ip] = owner;
        }

        return new IpamStatus
        {
            Allocations = byIp,
            Ipv4 = allocations.ConvertAll(static a => a.Ip),
            Status = $"IPv4: {allocations.Count}/{UsableAddresses(node.PodCidr)} allocated from {node.PodCidr}, ",
        };
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

    /// <summary>Disabled; the agent still reports the kernel's default GRO/GSO sizes.</summary>
    private static BigTcp BigTcp() => new() { MaxGro = 65536, MaxGso = 65536 };

    private static Status Status(string state, string? msg = null) =>
        new() { Msg = string.IsNullOrEmpty(msg) ? null : msg, State = state };
}
