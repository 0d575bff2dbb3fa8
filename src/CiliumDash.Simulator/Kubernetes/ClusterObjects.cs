using CiliumDash.Simulator.Cluster;

namespace CiliumDash.Simulator.Kubernetes;

/// <summary>
/// The simulated cluster seen as Kubernetes objects. Pod JSON is cached per pod and re-rendered only when its resource
/// version changes (an agent entering or leaving CrashLoopBackOff); CiliumEndpoints and CiliumNodes never change;
/// hubble-relay's EndpointSlice follows the relay-down fault.
/// </summary>
internal sealed class ClusterObjects
{
    private readonly SimulatedCluster _cluster;
    private readonly Dictionary<string, SimNode> _nodesByName;
    private readonly Dictionary<(string Ns, string Name), int> _podIndex = [];
    private readonly KubeObject?[] _podCache;
    private readonly Lazy<KubeObject[]> _endpoints;
    private readonly Lazy<KubeObject[]> _ciliumNodes;
    private int _activeExecs;

    public ClusterObjects(SimulatedCluster cluster)
    {
        _cluster = cluster;
        Versions = new ResourceVersions(cluster.Faults);
        _nodesByName = cluster.Nodes.ToDictionary(n => n.Name, StringComparer.Ordinal);
        for (var i = 0; i < cluster.Pods.Count; i++)
        {
            _podIndex[(cluster.Pods[i].Namespace, cluster.Pods[i].Name)] = i;
        }

        _podCache = new KubeObject?[cluster.Pods.Count];
        _endpoints = new(() => [.. cluster.Pods.Where(p => p.ManagedByCilium).Select(RenderEndpoint)]);
        _ciliumNodes = new(() => [.. cluster.Nodes.Select(RenderCiliumNode)]);
        cluster.Changes.AgentPodsChanged += Versions.Bump;
    }

    public SimulatedCluster Cluster => _cluster;

    public ResourceVersions Versions { get; }

    /// <summary>Exec sessions whose WebSocket is still being served (tests use it to prove cancelled execs end).</summary>
    public int ActiveExecs => Volatile.Read(ref _activeExecs);

    public void ExecStarted() => Interlocked.Increment(ref _activeExecs);

    public void ExecEnded() => Interlocked.Decrement(ref _activeExecs);

    public IEnumerable<KubeObject> Pods(string? ns)
    {
        Versions.Refresh();
        for (var i = 0; i < _podCache.Length; i++)
        {
            if ((ns is null || _cluster.Pods[i].Namespace == ns) && !IsOnRemovedNode(i))
            {
                yield return Pod(i);
            }
        }
    }

    public KubeObject? Pod(string ns, string name)
    {
        Versions.Refresh();
        return _podIndex.TryGetValue((ns, name), out var i) && !IsOnRemovedNode(i) ? Pod(i) : null;
    }

    public SimPod? FindPod(string ns, string name) => _podIndex.TryGetValue((ns, name), out var i) ? _cluster.Pods[i] : null;

    /// <summary>The agent pods on these nodes (after a fault flip).</summary>
    public IEnumerable<KubeObject> AgentPods(IEnumerable<string> nodeNames) =>
        nodeNames
            .Select(n => _nodesByName.GetValueOrDefault(n))
            .OfType<SimNode>()
            .Select(n => Pod(SimulatedCluster.CiliumNamespace, n.AgentPodName))
            .OfType<KubeObject>();

    public bool IsCrashLooping(SimPod pod) =>
        pod.Namespace == SimulatedCluster.CiliumNamespace && _cluster.FindNodeByAgentPod(pod.Name) is { } node
        && _cluster.Faults.CrashLoopingNodes.Contains(node.Name);

    public IEnumerable<KubeObject> Endpoints(string? ns) => _endpoints.Value.Where(e => ns is null || e.Namespace == ns);

    public IReadOnlyList<KubeObject> CiliumNodes => _ciliumNodes.Value;

    /// <summary>hubble-relay's EndpointSlice (in Cilium's namespace), rendered per request: its readiness follows the relay-down fault.</summary>
    public IEnumerable<KubeObject> EndpointSlices(string? ns)
    {
        var relay = _cluster.Pods.FirstOrDefault(p => p.Namespace == SimulatedCluster.CiliumNamespace && p.WorkloadName == EndpointSliceRenderer.RelayService);
        if (relay is null || (ns is not null && ns != relay.Namespace))
        {
            yield break;
        }

        var version = Versions.RelayVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var name = EndpointSliceRenderer.RelayService + "-" + relay.Name[^5..];
        var labels = new Dictionary<string, string>(StringComparer.Ordinal) { ["kubernetes.io/service-name"] = EndpointSliceRenderer.RelayService };
        var json = EndpointSliceRenderer.Render(relay, !_cluster.Faults.RelayDown, name, version, Created);
        yield return new KubeObject(relay.Namespace, name, labels, null, version, json);
    }

    public IEnumerable<KubeObject> Workloads(string kind, string ns)
    {
        var version = Versions.Current.ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var workload in _cluster.Workloads.Where(w => w.Kind == kind && w.Namespace == ns))
        {
            var pods = _cluster.Pods.Where(p => p.Namespace == workload.Namespace && p.WorkloadName == workload.Name).ToList();
            var image = (workload.Kind == "DaemonSet" ? _cluster.Changes.CiliumImage : null)
                ?? pods.FirstOrDefault()?.Image ?? $"quay.io/cilium/{workload.Name}:v{_cluster.CiliumVersion}";
            var replicaSet = pods.FirstOrDefault(p => p.OwnerKind == "ReplicaSet")?.OwnerName;
            var notReady = pods.Count(IsCrashLooping);
            var json = WorkloadRenderer.Render(workload, image, replicaSet, notReady, version, Created);
            yield return new KubeObject(workload.Namespace, workload.Name, workload.Selector, null, version, json);
        }
    }

    private DateTimeOffset Created => _cluster.StartedAt - TimeSpan.FromHours(3);

    private KubeObject Pod(int index)
    {
        var pod = _cluster.Pods[index];
        var node = _nodesByName[pod.NodeName];
        var version = (pod.Name == node.AgentPodName ? Versions.ForNode(node.Name) : 1000).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var cached = Volatile.Read(ref _podCache[index]);
        if (cached is not null && cached.ResourceVersion == version)
        {
            return cached;
        }

        var isAgent = pod.Name == node.AgentPodName;
        if (isAgent && _cluster.Changes.CiliumImage is { } image)
        {
            pod = pod with { Image = image };
        }

        var restart = isAgent ? _cluster.Changes.RestartOf(node.Name) : null;
        var json = PodRenderer.Render(pod, node, IsCrashLooping(pod), version, _cluster.StartedAt, _cluster.Time.GetUtcNow(), restart);
        var rendered = new KubeObject(pod.Namespace, pod.Name, pod.Labels, pod.NodeName, version, json);
        Volatile.Write(ref _podCache[index], rendered);
        return rendered;
    }

    /// <summary>An agent pod goes with its node when the node leaves the cluster.</summary>
    private bool IsOnRemovedNode(int index)
    {
        var pod = _cluster.Pods[index];
        return _cluster.Changes.RemovedNodes.Count > 0 && _cluster.Changes.RemovedNodes.Contains(pod.NodeName)
            && _nodesByName[pod.NodeName].AgentPodName == pod.Name;
    }

    private KubeObject RenderEndpoint(SimPod pod)
    {
        var json = CiliumRenderer.Endpoint(pod, _nodesByName[pod.NodeName], "1000", Created);
        return new KubeObject(pod.Namespace, pod.Name, pod.Labels, null, "1000", json);
    }

    private KubeObject RenderCiliumNode(SimNode node)
    {
        return new KubeObject(null, node.Name, CiliumRenderer.NodeLabels(node), null, "1000", CiliumRenderer.Node(node, "1000", Created));
    }
}
