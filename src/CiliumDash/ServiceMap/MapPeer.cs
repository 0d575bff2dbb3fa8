namespace CiliumDash.ServiceMap;

/// <summary>The node kinds of the map (API words; add, never rename).</summary>
public static class MapNodeKinds
{
    /// <summary>Pods of one workload (Deployment, DaemonSet, StatefulSet...; a bare pod is its own workload).</summary>
    public const string Workload = "workload";

    /// <summary>A Cilium reserved identity: world, host, kube-apiserver, remote-node, health, init, unmanaged, ingress.</summary>
    public const string Reserved = "reserved";

    /// <summary>Traffic outside the cluster, grouped by DNS name or by CIDR.</summary>
    public const string External = "external";

    /// <summary>All workloads of a namespace, as one node (group-by namespace or a collapsed namespace).</summary>
    public const string Namespace = "namespace";

    /// <summary>The workloads of a namespace that share one value of the chosen label key.</summary>
    public const string Label = "label";

    /// <summary>An endpoint Hubble did not identify (no namespace, no reserved label).</summary>
    public const string Unknown = "unknown";
}

/// <summary>
/// One node of the map at its finest grain (a workload, a reserved identity, an external name or CIDR), with a stable
/// id built from what it is (<c>workload:ns/name</c>, <c>reserved:world</c>, <c>dns:api.example.com</c>,
/// <c>cidr:203.0.113.0/24</c>), never from when it was seen. <see cref="Filter"/> is the hubble filter flags that select
/// it (without the <c>from-</c>/<c>to-</c> prefix).
/// </summary>
public sealed class MapPeer
{
    private readonly Dictionary<(string Pod, string Node), int> _pods = [];

    internal MapPeer(string id, string kind, string ns, string name, IReadOnlyDictionary<string, string> labels, IReadOnlyList<KeyValuePair<string, string>> filter)
    {
        Id = id;
        Kind = kind;
        Namespace = ns;
        Name = name;
        Labels = labels;
        Filter = filter;
    }

    public string Id { get; }

    public string Kind { get; }

    /// <summary>"" for nodes outside namespaces (reserved, external).</summary>
    public string Namespace { get; }

    public string Name { get; }

    /// <summary>The Kubernetes labels of the first endpoint seen (<c>k8s:</c> source, policy-internal ones left out).</summary>
    public IReadOnlyDictionary<string, string> Labels { get; }

    /// <summary>Hubble filter flags (name, value) that select this node's flows, e.g. (namespace, app) and (workload, api).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Filter { get; }

    /// <summary>Rows of the aggregate that name this peer (either end); the aggregate forgets it at zero.</summary>
    internal int References { get; set; }

    /// <summary>Pods seen for this workload and the node each was observed on, while flows of theirs are in the aggregate.</summary>
    public IReadOnlyList<(string Pod, string Node)> Pods
    {
        get
        {
            lock (_pods)
            {
                return [.. _pods.Keys.Order()];
            }
        }
    }

    internal void AddPod(string pod, string node, int count)
    {
        lock (_pods)
        {
            var key = (pod, node);
            var now = _pods.GetValueOrDefault(key) + count;
            if (now <= 0)
            {
                _pods.Remove(key);
            }
            else
            {
                _pods[key] = now;
            }
        }
    }
}
