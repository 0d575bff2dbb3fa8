namespace CiliumDash.Simulator.Cluster;

/// <summary>
/// Builds the nodes, pods and Cilium workloads of a simulated cluster. The default two nodes are the KVM cluster of
/// the original notes (fedora 192.168.31.100 and knode1 192.168.31.101, pod CIDRs 10.0.0.0/24 and 10.0.1.0/24).
/// </summary>
internal static class ClusterTopology
{
    private static readonly (string Ns, string Deployment, int Replicas, string App)[] Apps =
    [
        ("kube-system", "coredns", 2, "kube-dns"),
        ("default", "frontend", 2, "frontend"),
        ("shop", "cart", 2, "cart"),
        ("shop", "checkout", 1, "checkout"),
        ("shop", "payments", 1, "payments"),
        ("shop", "catalog", 2, "catalog"),
        ("monitoring", "prometheus", 1, "prometheus"),
        ("ingress-nginx", "ingress-nginx-controller", 1, "ingress-nginx"),
    ];

    public static IReadOnlyList<SimNode> BuildNodes(int count, Random random, IReadOnlyList<string>? names = null)
    {
        var nodes = new List<SimNode>(count);
        for (var i = 0; i < count; i++)
        {
            var name = names is not null ? names[i] : i == 0 ? "fedora" : count <= 9 ? $"knode{i}" : $"knode{i:D4}";
            var hostIp = $"192.168.{31 + (100 + i) / 256}.{(100 + i) % 256}";
            var third = i % 256;
            var second = i / 256;
            nodes.Add(new SimNode(
                Index: i,
                Name: name,
                InternalIp: hostIp,
                PodCidr: $"10.{second}.{third}.0/24",
                RouterIp: $"10.{second}.{third}.{78 + i % 100}",
                HealthIp: $"10.{second}.{third}.{201 + i % 50}",
                AgentPodName: "cilium-" + Suffix(random, 5),
                Device: "enp1s0",
                Cpus: 4,
                KernelVersion: "5.17.5-300.fc36.x86_64"));
        }

        return nodes;
    }

    public static IReadOnlyList<SimWorkload> BuildWorkloads(int nodeCount) =>
    [
        new("DaemonSet", "cilium", SimulatedCluster.CiliumNamespace, nodeCount, Labels("k8s-app", "cilium")),
        new("Deployment", "cilium-operator", SimulatedCluster.CiliumNamespace, Math.Min(2, nodeCount), Labels("name", "cilium-operator")),
        new("Deployment", "hubble-relay", SimulatedCluster.CiliumNamespace, 1, Labels("k8s-app", "hubble-relay")),
        new("Deployment", "hubble-ui", SimulatedCluster.CiliumNamespace, 1, Labels("k8s-app", "hubble-ui")),
    ];

    public static IReadOnlyList<SimPod> BuildPods(IReadOnlyList<SimNode> nodes, string ciliumVersion, Random random)
    {
        var pods = new List<SimPod>();
        var ns = SimulatedCluster.CiliumNamespace;
        var tag = $"v{ciliumVersion}";
        foreach (var node in nodes)
        {
            pods.Add(new SimPod(ns, node.AgentPodName, node.Name, node.InternalIp,
                Labels("k8s-app", "cilium"), "DaemonSet", "cilium", "cilium-agent",
                $"quay.io/cilium/cilium:{tag}", HostNetwork: true, EndpointId: 0, Identity: 0));
        }

        var operatorRs = "cilium-operator-" + Suffix(random, 10);
        for (var i = 0; i < Math.Min(2, nodes.Count); i++)
        {
            var node = nodes[i % nodes.Count];
            pods.Add(new SimPod(ns, $"{operatorRs}-{Suffix(random, 5)}", node.Name, node.InternalIp,
                Labels("name", "cilium-operator", "io.cilium/app", "operator"), "ReplicaSet", operatorRs, "cilium-operator",
                $"quay.io/cilium/operator-generic:{tag}", HostNetwork: true, EndpointId: 0, Identity: 0));
        }

        var endpointId = 1000;
        var identity = 10_000u;
        var podIndexOnNode = new int[nodes.Count];
        SimPod Managed(string podNs, string rs, string app, string container, string image, int nodeIndex, IReadOnlyDictionary<string, string> labels)
        {
            var node = nodes[nodeIndex];
            var octet = 11 + podIndexOnNode[nodeIndex]++ % 180;
            var prefix = node.PodCidr[..node.PodCidr.LastIndexOf('.')];
            return new SimPod(podNs, $"{rs}-{Suffix(random, 5)}", node.Name, $"{prefix}.{octet}", labels, "ReplicaSet", rs,
                container, image, HostNetwork: false, EndpointId: endpointId++, Identity: identity + (uint)app.Length);
        }

        var relayRs = "hubble-relay-" + Suffix(random, 10);
        pods.Add(Managed(ns, relayRs, "hubble-relay", "hubble-relay", $"quay.io/cilium/hubble-relay:{tag}", nodes.Count - 1,
            Labels("k8s-app", "hubble-relay", "app.kubernetes.io/name", "hubble-relay")));
        var uiRs = "hubble-ui-" + Suffix(random, 10);
        pods.Add(Managed(ns, uiRs, "hubble-ui", "frontend", "quay.io/cilium/hubble-ui:v0.9.0", nodes.Count - 1,
            Labels("k8s-app", "hubble-ui")));

        // Ordinary workloads: a fixed app mix per 8 nodes so that flows have realistic endpoints at any scale.
        var groups = Math.Max(1, nodes.Count / 8);
        for (var g = 0; g < groups; g++)
        {
            foreach (var (appNs, deployment, replicas, app) in Apps)
            {
                var name = groups == 1 ? deployment : $"{deployment}-{g}";
                var rs = $"{name}-{Suffix(random, 10)}";
                for (var r = 0; r < replicas; r++)
                {
                    var nodeIndex = (g * 8 + r + app.Length) % nodes.Count;
                    pods.Add(Managed(appNs, rs, app, app, $"registry.example/{app}:1.4.{r}", nodeIndex,
                        Labels("app", app, "io.kubernetes.pod.namespace", appNs)));
                }
            }
        }

        return pods;
    }

    private static Dictionary<string, string> Labels(params string[] kv)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < kv.Length; i += 2)
        {
            labels[kv[i]] = kv[i + 1];
        }

        return labels;
    }

    private static string Suffix(Random random, int length)
    {
        const string alphabet = "bcdfghjklmnpqrstvwxz2456789";
        return string.Create(length, random, static (span, r) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = alphabet[r.Next(alphabet.Length)];
            }
        });
    }
}
