using CiliumDash.Simulator.Cluster;

namespace CiliumDash.Simulator.Kubernetes;

/// <summary>Renders the cilium.io/v2 custom resources: a CiliumEndpoint per managed pod and a CiliumNode per node.</summary>
internal static class CiliumRenderer
{
    public const string ApiVersion = "cilium.io/v2";

    public static byte[] Endpoint(SimPod pod, SimNode node, string resourceVersion, DateTimeOffset created) => KubeJson.Render(w =>
    {
        w.WriteStartObject();
        w.WriteString("apiVersion", ApiVersion);
        w.WriteString("kind", "CiliumEndpoint");
        KubeJson.WriteMetadata(w, "CiliumEndpoint", pod.Namespace, pod.Name, resourceVersion, created, pod.Labels,
            generation: 1, owner: ("v1", "Pod", pod.Name));
        w.WriteStartObject("status");
        w.WriteNumber("id", pod.EndpointId);
        w.WriteStartObject("identity");
        w.WriteNumber("id", pod.Identity);
        w.WriteStartArray("labels");
        foreach (var (key, value) in pod.Labels.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            w.WriteStringValue($"k8s:{key}={value}");
        }

        if (!pod.Labels.ContainsKey("io.kubernetes.pod.namespace"))
        {
            w.WriteStringValue($"k8s:io.kubernetes.pod.namespace={pod.Namespace}");
        }

        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteStartObject("networking");
        w.WriteStartArray("addressing");
        w.WriteStartObject();
        w.WriteString("ipv4", pod.Ip);
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteString("node", node.InternalIp);
        w.WriteEndObject();
        w.WriteStartObject("encryption");
        w.WriteEndObject();
        w.WriteString("state", "ready");
        w.WriteEndObject();
        w.WriteEndObject();
    });

    public static IReadOnlyDictionary<string, string> NodeLabels(SimNode node) => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["kubernetes.io/arch"] = "amd64",
        ["kubernetes.io/hostname"] = node.Name,
        ["kubernetes.io/os"] = "linux",
    };

    public static byte[] Node(SimNode node, string resourceVersion, DateTimeOffset created) => KubeJson.Render(w =>
    {
        w.WriteStartObject();
        w.WriteString("apiVersion", ApiVersion);
        w.WriteString("kind", "CiliumNode");
        KubeJson.WriteMetadata(w, "CiliumNode", null, node.Name, resourceVersion, created, NodeLabels(node),
            generation: 1, owner: ("v1", "Node", node.Name));
        w.WriteStartObject("spec");
        w.WriteStartArray("addresses");
        Address("InternalIP", node.InternalIp);
        Address("CiliumInternalIP", node.RouterIp);
        w.WriteEndArray();
        w.WriteStartObject("health");
        w.WriteString("ipv4", node.HealthIp);
        w.WriteEndObject();
        w.WriteStartObject("ipam");
        w.WriteStartArray("podCIDRs");
        w.WriteStringValue(node.PodCidr);
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteStartObject("encryption");
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteStartObject("status");
        w.WriteStartObject("ipam");
        w.WriteStartObject("operator-status");
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndObject();

        void Address(string type, string ip)
        {
            w.WriteStartObject();
            w.WriteString("type", type);
            w.WriteString("ip", ip);
            w.WriteEndObject();
        }
    });
}
