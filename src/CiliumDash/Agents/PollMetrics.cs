using System.Collections.Concurrent;

namespace CiliumDash.Agents;

/// <summary>Per-node poll figures for /metrics: how long the last read took and how often reads failed.</summary>
public sealed class PollMetrics
{
    private readonly ConcurrentDictionary<string, NodePoll> _nodes = new(StringComparer.Ordinal);

    public sealed record NodePoll(double LastSeconds, long Polls, long Failures);

    /// <summary>Called for every read recorded (duration, failed): the poll histogram.</summary>
    public Action<TimeSpan, bool>? Observed { get; set; }

    public void Record(string node, TimeSpan duration, bool failed)
    {
        Observed?.Invoke(duration, failed);
        _nodes.AddOrUpdate(node,
            static (_, a) => new NodePoll(a.duration.TotalSeconds, 1, a.failed ? 1 : 0),
            static (_, old, a) => new NodePoll(a.duration.TotalSeconds, old.Polls + 1, old.Failures + (a.failed ? 1 : 0)),
            (duration, failed));
    }

    public void Retain(IReadOnlySet<string> nodes)
    {
        foreach (var name in _nodes.Keys.Where(n => !nodes.Contains(n)))
        {
            _nodes.TryRemove(name, out _);
        }
    }

    public IReadOnlyList<KeyValuePair<string, NodePoll>> Snapshot() => _nodes.OrderBy(n => n.Key, StringComparer.Ordinal).ToList();
}
