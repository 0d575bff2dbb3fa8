namespace CiliumDash.Events;

/// <summary>
/// One watched object, mapped at the edge to what the event rules look at. <see cref="Fingerprint"/> covers only what
/// counts as a change (a policy's spec, the DaemonSet's image), so metadata-only updates compare equal.
/// </summary>
/// <param name="Version">the agent image's version (DaemonSet) shown in an old → new detail.</param>
/// <param name="Restarts">the cilium-agent container's restart count (agent pods).</param>
/// <param name="Detail">what an event about this object says (the policy kind, the last termination reason).</param>
/// <param name="At">when the change happened by the object's own timestamps, if it says.</param>
public sealed record Observed(string Name, string? Namespace, string? Node, string Fingerprint, string? Version = null, int Restarts = 0,
    string? Detail = null, DateTimeOffset? At = null);

/// <summary>What one watched kind turns into events.</summary>
public enum TrackedKind
{
    Node,
    AgentPod,
    CiliumDaemonSet,
    Policy,
}

/// <summary>
/// The known state of one watched kind and the rule that turns a change of it into cluster events. The first list
/// only primes the state (objects that already existed are not news); a relist after a gap (410 Expired, a
/// reconnect without a version) is diffed against the known state, so what happened meanwhile is still reported.
/// </summary>
public sealed class EventTracker(TrackedKind kind, ClusterEventStore store)
{
    private readonly Dictionary<(string? Ns, string Name), Observed> _known = [];
    private bool _primed;

    public TrackedKind Kind { get; } = kind;

    /// <summary>Objects currently known (tests and diagnostics).</summary>
    public int Count => _known.Count;

    /// <summary>A full list: primes on the first one, afterwards reports every difference from the known state.</summary>
    public void Relist(IEnumerable<Observed> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var fresh = new Dictionary<(string? Ns, string Name), Observed>();
        foreach (var item in items)
        {
            fresh[(item.Namespace, item.Name)] = item;
        }

        if (_primed)
        {
            foreach (var (key, before) in _known.Where(k => !fresh.ContainsKey(k.Key)).ToList())
            {
                Emit(before, null);
                _known.Remove(key);
            }

            foreach (var (key, after) in fresh)
            {
                Emit(_known.GetValueOrDefault(key), after);
            }
        }

        _known.Clear();
        foreach (var (key, item) in fresh)
        {
            _known[key] = item;
        }

        _primed = true;
    }

    /// <summary>An ADDED or MODIFIED watch event.</summary>
    public void Upsert(Observed item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var key = (item.Namespace, item.Name);
        Emit(_known.GetValueOrDefault(key), item);
        _known[key] = item;
    }

    /// <summary>A DELETED watch event.</summary>
    public void Delete(Observed item)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (_known.Remove((item.Namespace, item.Name), out var before))
        {
            Emit(before, null);
        }
    }

    private void Emit(Observed? before, Observed? after)
    {
        switch (Kind)
        {
            case TrackedKind.Node when before is null && after is not null:
                store.Add(ClusterEventKind.NodeJoined, after.At, after.Name, null, after.Name, "node registered");
                break;
            case TrackedKind.Node when before is not null && after is null:
                store.Add(ClusterEventKind.NodeLeft, null, before.Name, null, before.Name, "node deleted");
                break;
            case TrackedKind.AgentPod when before is not null && after is not null && after.Restarts > before.Restarts:
                var times = after.Restarts - before.Restarts;
                var detail = (after.Detail ?? "restarted") + (times > 1 ? $" ({times} restarts)" : "");
                store.Add(ClusterEventKind.AgentRestart, after.At, after.Node, after.Namespace, after.Name, detail);
                break;
            case TrackedKind.CiliumDaemonSet when before is not null && after is not null && before.Fingerprint != after.Fingerprint:
                store.Add(ClusterEventKind.CiliumVersionChanged, null, null, after.Namespace, after.Name, $"{before.Version} → {after.Version}");
                break;
            case TrackedKind.Policy when before is null && after is not null:
                store.Add(ClusterEventKind.PolicyCreated, after.At, null, after.Namespace, after.Name, after.Detail);
                break;
            case TrackedKind.Policy when before is not null && after is null:
                store.Add(ClusterEventKind.PolicyDeleted, null, null, before.Namespace, before.Name, before.Detail);
                break;
            case TrackedKind.Policy when before is not null && after is not null && before.Fingerprint != after.Fingerprint:
                store.Add(ClusterEventKind.PolicyChanged, null, null, after.Namespace, after.Name, after.Detail);
                break;
        }
    }
}
