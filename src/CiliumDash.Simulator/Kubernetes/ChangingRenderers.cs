using System.Text.Json;

namespace CiliumDash.Simulator.Kubernetes;

/// <summary>The three kinds of network policy the stand-in serves.</summary>
public enum PolicyKind
{
    /// <summary>cilium.io/v2 CiliumNetworkPolicy (namespaced).</summary>
    CiliumNetworkPolicy,

    /// <summary>cilium.io/v2 CiliumClusterwideNetworkPolicy (cluster-scoped).</summary>
    CiliumClusterwideNetworkPolicy,

    /// <summary>networking.k8s.io/v1 NetworkPolicy (namespaced).</summary>
    NetworkPolicy,
}

/// <summary>A network policy as the simulator keeps it: who it selects, who may reach them, on which port.</summary>
/// <param name="Namespace">null for a CiliumClusterwideNetworkPolicy.</param>
public sealed record SimPolicy(PolicyKind Kind, string? Namespace, string Name, string App, string FromApp, int Port,
    IReadOnlyDictionary<string, string> Labels, DateTimeOffset Created);

/// <summary>A Kubernetes Node of the simulated cluster.</summary>
internal sealed record SimNodeObject(string Name, string InternalIp, string PodCidr, string KernelVersion, DateTimeOffset Created)
{
    /// <summary><c>status.capacity.memory</c>; null leaves capacity out.</summary>
    public string? Memory { get; init; }
}

/// <summary>Renders the kinds that change while the cluster runs: v1 Nodes and the three network policy kinds.</summary>
internal static class ChangingRenderers
{
    public const string NodesResource = "nodes";

    public static (string ApiVersion, string Resource, string Group) Type(PolicyKind kind) => kind switch
    {
        PolicyKind.CiliumNetworkPolicy => (CiliumRenderer.ApiVersion, "ciliumnetworkpolicies", "cilium.io"),
        PolicyKind.CiliumClusterwideNetworkPolicy => (CiliumRenderer.ApiVersion, "ciliumclusterwidenetworkpolicies", "cilium.io"),
        _ => ("networking.k8s.io/v1", "networkpolicies", "networking.k8s.io"),
    };

    public static KubeObject Policy(SimPolicy p, string resourceVersion)
    {
        var (apiVersion, _, _) = Type(p.Kind);
        var json = KubeJson.Render(w =>
        {
            w.WriteStartObject();
            w.WriteString("apiVersion", apiVersion);
            w.WriteString("kind", p.Kind.ToString());
            KubeJson.WriteMetadata(w, p.Kind.ToString(), p.Namespace, p.Name, resourceVersion, p.Created, p.Labels, generation: 1);
            w.WriteStartObject("spec");
            if (p.Kind == PolicyKind.NetworkPolicy)
            {
                WriteNetworkPolicySpec(w, p);
            }
            else
            {
                WriteCiliumSpec(w, p);
            }

            w.WriteEndObject();
            w.WriteEndObject();
        });
        return new KubeObject(p.Namespace, p.Name, p.Labels, null, resourceVersion, json);
    }

    /// <summary>
    /// 8 GB nodes: dynamic map sizing at the default ratio gives them the minimum sizes the simulated agents report,
    /// so simulated map sizes follow memory as a real cluster's would.
    /// </summary>
    public const string MemoryCapacity = "8130700Ki";

    public static KubeObject Node(SimNodeObject n, string resourceVersion)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["kubernetes.io/arch"] = "amd64",
            ["kubernetes.io/hostname"] = n.Name,
            ["kubernetes.io/os"] = "linux",
        };
        var json = KubeJson.Render(w =>
        {
            w.WriteStartObject();
            w.WriteString("kind", "Node");
            w.WriteString("apiVersion", "v1");
            KubeJson.WriteMetadata(w, "Node", null, n.Name, resourceVersion, n.Created, labels);
            w.WriteStartObject("spec");
            w.WriteString("podCIDR", n.PodCidr);
            w.WriteStartArray("podCIDRs");
            w.WriteStringValue(n.PodCidr);
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteStartObject("status");
            if (n.Memory is { } memory)
            {
                w.WriteStartObject("capacity");
                w.WriteString("cpu", "4");
                w.WriteString("memory", memory);
                w.WriteString("pods", "110");
                w.WriteEndObject();
            }

            w.WriteStartArray("addresses");
            w.WriteStartObject();
            w.WriteString("type", "InternalIP");
            w.WriteString("address", n.InternalIp);
            w.WriteEndObject();
            w.WriteStartObject();
            w.WriteString("type", "Hostname");
            w.WriteString("address", n.Name);
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteStartArray("conditions");
            w.WriteStartObject();
            w.WriteString("type", "Ready");
            w.WriteString("status", "True");
            w.WriteString("reason", "KubeletReady");
            w.WriteString("message", "kubelet is posting ready status");
            w.WriteString("lastTransitionTime", KubeJson.Time(n.Created));
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteStartObject("nodeInfo");
            w.WriteString("kernelVersion", n.KernelVersion);
            w.WriteString("kubeletVersion", "v1.32.4");
            w.WriteString("containerRuntimeVersion", "containerd://1.7.27");
            w.WriteString("operatingSystem", "linux");
            w.WriteString("architecture", "amd64");
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
        });
        return new KubeObject(null, n.Name, labels, null, resourceVersion, json);
    }

    /// <summary>The object's JSON with its metadata.resourceVersion replaced (a DELETED event carries the deletion's version).</summary>
    public static KubeObject Restamp(KubeObject o, string resourceVersion)
    {
        using var doc = JsonDocument.Parse(o.Json);
        var json = KubeJson.Render(w => CopyWithVersion(w, doc.RootElement, resourceVersion, depth: 0));
        return o with { ResourceVersion = resourceVersion, Json = json };
    }

    private static void CopyWithVersion(Utf8JsonWriter w, JsonElement e, string version, int depth)
    {
        w.WriteStartObject();
        foreach (var p in e.EnumerateObject())
        {
            if (depth == 0 && p.Name == "metadata")
            {
                w.WritePropertyName(p.Name);
                CopyWithVersion(w, p.Value, version, depth + 1);
            }
            else if (depth == 1 && p.Name == "resourceVersion")
            {
                w.WriteString(p.Name, version);
            }
            else
            {
                p.WriteTo(w);
            }
        }

        w.WriteEndObject();
    }

    private static void WriteCiliumSpec(Utf8JsonWriter w, SimPolicy p)
    {
        w.WriteStartObject("endpointSelector");
        w.WriteStartObject("matchLabels");
        w.WriteString("app", p.App);
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteStartArray("ingress");
        w.WriteStartObject();
        w.WriteStartArray("fromEndpoints");
        w.WriteStartObject();
        w.WriteStartObject("matchLabels");
        w.WriteString("app", p.FromApp);
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteStartArray("toPorts");
        w.WriteStartObject();
        w.WriteStartArray("ports");
        w.WriteStartObject();
        w.WriteString("port", p.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        w.WriteString("protocol", "TCP");
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndArray();
    }

    private static void WriteNetworkPolicySpec(Utf8JsonWriter w, SimPolicy p)
    {
        w.WriteStartObject("podSelector");
        w.WriteStartObject("matchLabels");
        w.WriteString("app", p.App);
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteStartArray("policyTypes");
        w.WriteStringValue("Ingress");
        w.WriteEndArray();
        w.WriteStartArray("ingress");
        w.WriteStartObject();
        w.WriteStartArray("from");
        w.WriteStartObject();
        w.WriteStartObject("podSelector");
        w.WriteStartObject("matchLabels");
        w.WriteString("app", p.FromApp);
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteStartArray("ports");
        w.WriteStartObject();
        w.WriteNumber("port", p.Port);
        w.WriteString("protocol", "TCP");
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndArray();
    }
}
