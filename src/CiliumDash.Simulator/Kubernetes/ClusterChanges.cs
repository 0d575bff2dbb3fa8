using CiliumDash.Simulator.Cluster;

namespace CiliumDash.Simulator.Kubernetes;

/// <summary>The last restart of a node's cilium-agent container, as its pod status reports it.</summary>
public sealed record AgentRestart(int Count, string Reason, int ExitCode, DateTimeOffset At);

/// <summary>
/// What changes in the simulated cluster's Kubernetes objects, over time and on command: network policies applied,
/// changed, relabelled and deleted, agents restarting, nodes joining and leaving, Cilium upgraded. The Kubernetes
/// stand-in serves the result with list and watch (resume by resource version; 410 Expired after a compaction).
/// Thread-safe.
/// </summary>
public sealed class ClusterChanges
{
    private readonly SimulatedCluster _cluster;
    private readonly Lock _lock = new();
    private readonly Dictionary<(PolicyKind, string?, string), SimPolicy> _policies = [];
    private readonly Dictionary<string, AgentRestart> _restarts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SimNodeObject> _extraNodes = new(StringComparer.Ordinal);
    private readonly Random _random;
    private volatile HashSet<string> _removedNodes = new(StringComparer.Ordinal);
    private volatile string? _ciliumImage;
    private long _workloadVersion;
    private int _step;

    public ClusterChanges(SimulatedCluster cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        _cluster = cluster;
        _random = new Random(cluster.Options.Seed + 14);
        var created = cluster.StartedAt - TimeSpan.FromHours(3);
        foreach (var node in cluster.Nodes)
        {
            // A recorded cluster's memory is not in the capture: its Nodes report none rather than an invented figure.
            var obj = new SimNodeObject(node.Name, node.InternalIp, node.PodCidr, node.KernelVersion, created) { Memory = cluster.IsReplay ? null : ChangingRenderers.MemoryCapacity };
            Journal.Put(ChangingRenderers.NodesResource, null, node.Name, rv => ChangingRenderers.Node(obj, rv), silent: true);
        }

        // The policies a small shop cluster starts with.
        Seed(new SimPolicy(PolicyKind.CiliumNetworkPolicy, "shop", "payments-from-checkout", "payments", "checkout", 8080, Empty, created));
        Seed(new SimPolicy(PolicyKind.CiliumClusterwideNetworkPolicy, null, "allow-kube-dns", "kube-dns", "any", 53, Empty, created));
        Seed(new SimPolicy(PolicyKind.NetworkPolicy, "shop", "catalog-ingress", "catalog", "frontend", 8080, Empty, created));
    }

    /// <summary>Raised with node names whose agent pod changed (restart, upgrade, node removed or back).</summary>
    public event Action<IReadOnlyList<string>>? AgentPodsChanged;

    internal WatchJournal Journal { get; } = new();

    /// <summary>The Cilium image after an upgrade; null = the one the cluster started with.</summary>
    public string? CiliumImage => _ciliumImage;

    /// <summary>Moves when Cilium's workloads change (an upgrade): their watch sends MODIFIED.</summary>
    public long WorkloadVersion => Interlocked.Read(ref _workloadVersion);

    public IReadOnlySet<string> RemovedNodes => _removedNodes;

    public AgentRestart? RestartOf(string node)
    {
        lock (_lock)
        {
            return _restarts.GetValueOrDefault(node);
        }
    }

    /// <summary>Creates the policy, or changes its spec when it exists (selected app, allowed peer, port).</summary>
    public void ApplyPolicy(PolicyKind kind, string? ns, string name, string app = "payments", string fromApp = "checkout", int port = 8080)
    {
        ArgumentNullException.ThrowIfNull(name);
        ns = kind == PolicyKind.CiliumClusterwideNetworkPolicy ? null : ns ?? "default";
        SimPolicy policy;
        lock (_lock)
        {
            var labels = _policies.TryGetValue((kind, ns, name), out var old) ? old.Labels : Empty;
            var created = old?.Created ?? _cluster.Time.GetUtcNow();
            policy = new SimPolicy(kind, ns, name, app, fromApp, port, labels, created);
            _policies[(kind, ns, name)] = policy;
        }

        Journal.Put(ChangingRenderers.Type(kind).Resource, ns, name, rv => ChangingRenderers.Policy(policy, rv));
    }

    /// <summary>A metadata-only update (a label set): the resource version moves, the spec does not.</summary>
    public bool LabelPolicy(PolicyKind kind, string? ns, string name, string key, string value)
    {
        ns = kind == PolicyKind.CiliumClusterwideNetworkPolicy ? null : ns;
        SimPolicy policy;
        lock (_lock)
        {
            if (!_policies.TryGetValue((kind, ns, name), out var old))
            {
                return false;
            }

            policy = old with { Labels = new Dictionary<string, string>(old.Labels, StringComparer.Ordinal) { [key] = value } };
            _policies[(kind, ns, name)] = policy;
        }

        Journal.Put(ChangingRenderers.Type(kind).Resource, ns, name, rv => ChangingRenderers.Policy(policy, rv));
        return true;
    }

    public bool DeletePolicy(PolicyKind kind, string? ns, string name)
    {
        ns = kind == PolicyKind.CiliumClusterwideNetworkPolicy ? null : ns;
        lock (_lock)
        {
            _policies.Remove((kind, ns, name));
        }

        return Journal.Delete(ChangingRenderers.Type(kind).Resource, ns, name, ChangingRenderers.Restamp);
    }

    /// <summary>The node's cilium-agent container died and kubelet started it again (restart count + 1).</summary>
    public void RestartAgent(string node, string reason = "OOMKilled", int exitCode = 137)
    {
        lock (_lock)
        {
            var count = (_restarts.GetValueOrDefault(node)?.Count ?? 0) + 1;
            _restarts[node] = new AgentRestart(count, reason, exitCode, _cluster.Time.GetUtcNow());
        }

        AgentPodsChanged?.Invoke([node]);
    }

    /// <summary>The node leaves the cluster: its Node object is deleted and its agent pod goes with it.</summary>
    public bool RemoveNode(string node)
    {
        if (!Journal.Delete(ChangingRenderers.NodesResource, null, node, ChangingRenderers.Restamp))
        {
            return false;
        }

        _removedNodes = new HashSet<string>(_removedNodes.Append(node), StringComparer.Ordinal);
        AgentPodsChanged?.Invoke([node]);
        return true;
    }

    /// <summary>
    /// A node joins: one of the simulated nodes that left comes back with its agent, or (any other name) a new Node
    /// object registers; the simulator runs no agent on such a node.
    /// </summary>
    public void AddNode(string node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var now = _cluster.Time.GetUtcNow();
        var known = _cluster.Nodes.FirstOrDefault(n => n.Name == node);
        SimNodeObject obj;
        lock (_lock)
        {
            var i = _cluster.Nodes.Count + _extraNodes.Count;
            obj = known is not null
                ? new SimNodeObject(known.Name, known.InternalIp, known.PodCidr, known.KernelVersion, now) { Memory = _cluster.IsReplay ? null : ChangingRenderers.MemoryCapacity }
                : new SimNodeObject(node, $"192.168.40.{10 + i % 240}", $"10.200.{i % 256}.0/24", "6.8.0-45-generic", now) { Memory = _cluster.IsReplay ? null : ChangingRenderers.MemoryCapacity };
            if (known is null)
            {
                _extraNodes[node] = obj;
            }
        }

        Journal.Put(ChangingRenderers.NodesResource, null, node, rv => ChangingRenderers.Node(obj, rv));
        if (_removedNodes.Contains(node))
        {
            _removedNodes = new HashSet<string>(_removedNodes.Where(n => n != node), StringComparer.Ordinal);
            AgentPodsChanged?.Invoke([node]);
        }
    }

    /// <summary>A Cilium upgrade: the DaemonSet's image and every agent's image and reported version change.</summary>
    public void UpgradeCilium(string version)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(version);
        version = version.TrimStart('v');
        _ciliumImage = $"quay.io/cilium/cilium:v{version}";
        _cluster.CiliumVersion = version;
        Interlocked.Increment(ref _workloadVersion);
        AgentPodsChanged?.Invoke([.. _cluster.Nodes.Select(n => n.Name)]);
    }

    /// <summary>Forgets the watch history, as an etcd compaction does: watches resuming from before now get 410 Expired.</summary>
    public void CompactWatchHistory() => Journal.Compact();

    /// <summary>One change of the kind a live cluster sees now and then (the background churn calls it).</summary>
    public void Step()
    {
        int step;
        lock (_lock)
        {
            step = _step++;
        }

        var port = 8000 + _random.Next(0, 100);
        switch (step % 6)
        {
            case 0:
                ApplyPolicy(PolicyKind.CiliumNetworkPolicy, "shop", "cart-from-frontend", "cart", "frontend", port);
                break;
            case 1:
                ApplyPolicy(PolicyKind.CiliumNetworkPolicy, "shop", "payments-from-checkout", "payments", "checkout", port);
                break;
            case 2:
                ApplyPolicy(PolicyKind.NetworkPolicy, "default", "frontend-ingress", "frontend", "ingress-nginx", port);
                break;
            case 3:
                RestartAgent(_cluster.Nodes[_random.Next(_cluster.Nodes.Count)].Name, "OOMKilled", 137);
                break;
            case 4:
                DeletePolicy(PolicyKind.CiliumNetworkPolicy, "shop", "cart-from-frontend");
                break;
            default:
                ApplyPolicy(PolicyKind.NetworkPolicy, "shop", "catalog-ingress", "catalog", "frontend", port);
                break;
        }
    }

    /// <summary>Runs <see cref="Step"/> every <paramref name="every"/> on the cluster's clock until stopped.</summary>
    public async Task RunAsync(TimeSpan every, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(every, _cluster.Time);
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                Step();
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // stopped with the stand-in
        }
    }

    private static readonly IReadOnlyDictionary<string, string> Empty = new Dictionary<string, string>(StringComparer.Ordinal);

    private void Seed(SimPolicy policy)
    {
        _policies[(policy.Kind, policy.Namespace, policy.Name)] = policy;
        Journal.Put(ChangingRenderers.Type(policy.Kind).Resource, policy.Namespace, policy.Name, rv => ChangingRenderers.Policy(policy, rv), silent: true);
    }
}
