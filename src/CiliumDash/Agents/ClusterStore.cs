using System.Collections.Concurrent;
using CiliumDash.Shared;

namespace CiliumDash.Agents;

/// <summary>
/// Per-node snapshots, the Kubernetes workload summary and the agent source's health. The only shared state for
/// agent data: the poller writes, views pull after <see cref="Changed"/> fires.
/// </summary>
public sealed class ClusterStore : IDisposable
{
    private readonly ConcurrentDictionary<string, NodeSnapshot> _nodes = new(StringComparer.Ordinal);
    private ClusterWorkloads _workloads = ClusterWorkloads.Empty;
    private SourceHealth _agentSource;

    public ClusterStore(TimeProvider time, string sourceTarget)
    {
        Time = time;
        Changed = new ChangeSignal(time, TimeSpan.FromMilliseconds(250));
        _agentSource = SourceHealth.Initial("agents", sourceTarget);
    }

    public TimeProvider Time { get; }

    public ChangeSignal Changed { get; }

    public ClusterWorkloads Workloads => Volatile.Read(ref _workloads);

    /// <summary>Controller failure episodes across polls (ours: the agent keeps only the last failure).</summary>
    public ControllerHistory ControllerHistory { get; } = new();

    /// <summary>Each node's map fill levels over the reads seen (the node page's chart).</summary>
    public MapFillTrail MapFillTrail { get; } = new();

    public SourceHealth AgentSource => Volatile.Read(ref _agentSource);

    public PollMetrics PollMetrics { get; } = new();

    /// <summary>True with the readonly RBAC profile: agent documents are never read, and views say what needs exec.</summary>
    public bool ExecDisabled { get; set; }

    /// <summary>Nodes sorted by name.</summary>
    public IReadOnlyList<NodeSnapshot> Nodes => _nodes.Values.OrderBy(n => n.Name, NaturalOrder.Instance).ToList();

    public int NodeCount => _nodes.Count;

    public NodeSnapshot? GetNode(string name) => _nodes.GetValueOrDefault(name);

    public void UpdateNode(string name, Func<NodeSnapshot?, NodeSnapshot> update)
    {
        var node = _nodes.AddOrUpdate(name, static (key, f) => f(null), static (_, old, f) => f(old), update);
        MapFillTrail.Observe(node);
        Changed.Notify();
    }

    /// <summary>Drops nodes whose agent pod is gone from Kubernetes.</summary>
    public void RetainNodes(IReadOnlySet<string> names)
    {
        var removed = false;
        foreach (var name in _nodes.Keys)
        {
            if (!names.Contains(name))
            {
                removed |= _nodes.TryRemove(name, out _);
            }
        }

        ControllerHistory.Forget(names);
        MapFillTrail.Forget(names);
        PollMetrics.Retain(names);

        if (removed)
        {
            Changed.Notify();
        }
    }

    public void SetWorkloads(ClusterWorkloads workloads)
    {
        Volatile.Write(ref _workloads, workloads);
        Changed.Notify();
    }

    public void SetAgentSource(SourceHealth health)
    {
        Volatile.Write(ref _agentSource, health);
        Changed.Notify();
    }

    public void Dispose() => Changed.Dispose();
}
