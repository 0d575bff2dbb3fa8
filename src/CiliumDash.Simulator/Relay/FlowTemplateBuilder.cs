using CiliumDash.Protocols.Hubble;
using CiliumDash.Simulator.Cluster;

namespace CiliumDash.Simulator.Relay;

/// <summary>
/// Builds the catalogue of flow templates for a generated cluster: TCP conversations along the shop's service graph,
/// DNS to coredns, Prometheus scrapes, kubelet probes from the host, health ICMP between nodes, relay to agents,
/// world ingress/egress, policy-verdict events, and a small share of drops, audits and socket-LB translations.
/// </summary>
internal sealed partial class FlowTemplateBuilder
{
    private const int TraceEvent = 4;
    private const int DropEvent = 1;
    private const int PolicyVerdictEvent = 5;
    private const int TraceSockEvent = 7;
    private const int L7Event = 129;

    private readonly Dictionary<string, int> _rings;
    private readonly List<FlowTemplate> _templates = [];
    private readonly Dictionary<string, Endpoint> _endpoints = new(StringComparer.Ordinal);

    private FlowTemplateBuilder(IReadOnlyDictionary<string, int> rings) =>
        _rings = new Dictionary<string, int>(rings, StringComparer.Ordinal);

    public static IReadOnlyList<FlowTemplate> Build(SimulatedCluster cluster, IReadOnlyDictionary<string, int> rings)
    {
        var builder = new FlowTemplateBuilder(rings);
        builder.AddAll(cluster);
        return builder._templates;
    }

    private void AddAll(SimulatedCluster cluster)
    {
        var managed = cluster.Pods.Where(p => p.ManagedByCilium).ToList();
        var byApp = managed.GroupBy(App).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        List<SimPod> Pods(string app) => byApp.GetValueOrDefault(app) ?? [];

        // Pods of the same 8-node group talk to each other; deployment names carry the group suffix ("cart-3").
        foreach (var group in managed.GroupBy(GroupOf))
        {
            var g = group.ToList();
            List<SimPod> In(string app) => g.Where(p => App(p) == app).ToList();
            Edges(In("ingress-nginx"), In("frontend"), 8080, 6, Http("GET", "/"));
            Edges(In("frontend"), In("cart"), 8080, 8, Http("GET", "/api/cart"), policy: "allow-frontend-to-cart");
            Edges(In("frontend"), In("catalog"), 8080, 8, Http("GET", "/api/products"), policy: "allow-frontend-to-catalog");
            Edges(In("cart"), In("catalog"), 8080, 4, null, policy: "allow-cart-to-catalog");
            Edges(In("checkout"), In("cart"), 8080, 3, Http("POST", "/api/cart/checkout"));
            Edges(In("checkout"), In("payments"), 8443, 3, null, policy: "allow-checkout-to-payments");
            Edges(In("catalog"), In("payments"), 8443, 1, null, audit: true);
            Edges(In("frontend"), In("payments"), 8443, 1, null, drop: DropReason.PolicyDenied);
            var dns = In("kube-dns");
            foreach (var pod in g.Where(p => App(p) != "kube-dns"))
            {
                var target = dns.Count > 0 ? dns[(int)(FlowIds.Hash(pod.Name) % (ulong)dns.Count)] : null;
                if (target is not null)
                {
                    Dns(pod, target, ServiceHost(g, pod));
                }
            }

            foreach (var prom in In("prometheus"))
            {
                foreach (var target in g.Where(p => p != prom && App(p) is not "kube-dns"))
                {
                    Tcp(PodPeer(prom), PodPeer(target), 9090, 1, Http("GET", "/metrics"));
                }
            }
        }

        foreach (var pod in managed)
        {
            Tcp(HostPeer(cluster, pod.NodeName), PodPeer(pod), 8080, 1, Http("GET", "/healthz"), noService: true);
        }

        foreach (var ingress in Pods("ingress-nginx"))
        {
            Tcp(WorldPeer("203.0.113.24", []), PodPeer(ingress), 443, 6, null, noService: true);
            Tcp(WorldPeer("198.51.100.7", []), PodPeer(ingress), 443, 1, null, drop: DropReason.CtMapInsertionFailed, noService: true);
        }

        foreach (var payments in Pods("payments"))
        {
            Tcp(PodPeer(payments), WorldPeer("192.0.2.80", ["api.payments.example"]), 443, 3, null);
            Tcp(PodPeer(payments), WorldPeer("10.0.250.9", []), 443, 1, null, drop: DropReason.StaleOrUnroutableIp);
        }

        foreach (var relay in Pods("hubble-relay"))
        {
            foreach (var node in cluster.Nodes)
            {
                var peer = node.Name == relay.NodeName ? HostPeer(cluster, node.Name) : RemoteNodePeer(node);
                Tcp(PodPeer(relay), peer with { Ip = node.InternalIp }, 4244, 1, null);
            }
        }

        foreach (var ui in Pods("hubble-ui"))
        {
            foreach (var relay in Pods("hubble-relay"))
            {
                Tcp(PodPeer(ui), PodPeer(relay), 4245, 2, null, translate: true);
            }
        }

        // cilium-health: each node pings the health endpoints of a few neighbours (not all N² pairs).
        for (var i = 0; i < cluster.Nodes.Count; i++)
        {
            for (var k = 1; k <= Math.Min(2, cluster.Nodes.Count - 1); k++)
            {
                var from = cluster.Nodes[i];
                var to = cluster.Nodes[(i + k) % cluster.Nodes.Count];
                Icmp(RemoteNodePeer(from), HealthPeer(to), 1);
            }
        }
    }

    private static string App(SimPod pod) => pod.Labels.GetValueOrDefault("app") ?? pod.Labels.GetValueOrDefault("k8s-app") ?? pod.Name;

    private static string GroupOf(SimPod pod)
    {
        var workload = pod.WorkloadName;
        var dash = workload.LastIndexOf('-');
        return dash > 0 && int.TryParse(workload.AsSpan(dash + 1), out var g) ? g.ToString() : "0";
    }

    private static string ServiceHost(List<SimPod> group, SimPod client)
    {
        var server = group.FirstOrDefault(p => App(p) == (App(client) == "frontend" ? "cart" : "catalog")) ?? client;
        return $"{server.WorkloadName}.{server.Namespace}.svc.cluster.local.";
    }

    private Peer PodPeer(SimPod pod)
    {
        if (!_endpoints.TryGetValue(pod.Name, out var endpoint))
        {
            var labels = pod.Labels.Select(kv => $"k8s:{kv.Key}={kv.Value}").ToList();
            labels.Add($"k8s:io.cilium.k8s.policy.cluster={SimulatedCluster.ClusterName}");
            labels.Add($"k8s:io.cilium.k8s.policy.serviceaccount={pod.WorkloadName}");
            if (!pod.Labels.ContainsKey("io.kubernetes.pod.namespace"))
            {
                labels.Add($"k8s:io.kubernetes.pod.namespace={pod.Namespace}");
            }

            labels.Sort(StringComparer.Ordinal);
            endpoint = new Endpoint
            {
                ID = (uint)pod.EndpointId, Identity = pod.Identity, Namespace = pod.Namespace, PodName = pod.Name,
                Labels = { labels }, Workloads = { new Workload { Name = pod.WorkloadName, Kind = pod.WorkloadKind } },
            };
            _endpoints[pod.Name] = endpoint;
        }

        var serviceName = App(pod) == "kube-dns" ? "kube-dns" : pod.WorkloadName;
        return new Peer(endpoint, pod.Ip, pod.NodeName, new Service { Name = serviceName, Namespace = pod.Namespace }, [],
            $"{serviceName}.{pod.Namespace}:8080", $"lxc{FlowIds.Mix((ulong)pod.EndpointId):x12}"[..15]);
    }

    private static Peer HostPeer(SimulatedCluster cluster, string node) =>
        Reserved(1, "reserved:host", cluster.Nodes.First(n => n.Name == node).RouterIp, node: null);

    private static Peer RemoteNodePeer(SimNode node) => Reserved(6, "reserved:remote-node", node.InternalIp, node: null);

    private static Peer HealthPeer(SimNode node) =>
        Reserved(4, "reserved:health", node.HealthIp, node.Name) with { Interface = "lxc_health" };

    private static Peer WorldPeer(string ip, string[] names) => Reserved(2, "reserved:world", ip, node: null) with { Names = names };

    private static Peer Reserved(uint identity, string label, string ip, string? node) =>
        new(new Endpoint { Identity = identity, Labels = { label }, ID = identity == 4 ? 132u : 0 }, ip, node, null, [], ip, "");

    /// <summary>A stable ClusterIP in 10.96.0.0/16 for a service name, used in DNS answers.</summary>
    private static string ServiceIp(string host)
    {
        var h = FlowIds.Hash(host);
        return $"10.96.{h % 250}.{(h >> 8) % 250 + 2}";
    }
}
