namespace CiliumDash.Agents;

/// <summary>One stretch of time a controller was failing; <see cref="End"/> is null while it still fails.</summary>
public sealed record FailureEpisode(DateTimeOffset Start, DateTimeOffset? End, long MaxConsecutiveFailures, string? LastMessage);

/// <summary>The failure history of one controller on one node (the agent itself only keeps the last failure).</summary>
public sealed record ControllerRecord(string Node, string Controller, IReadOnlyList<FailureEpisode> Episodes, int TotalEpisodes)
{
    public FailureEpisode? Open => Episodes.Count > 0 && Episodes[^1].End is null ? Episodes[^1] : null;
}

/// <summary>
/// Failure history kept across polls, bounded: only controllers that have failed are tracked (at most
/// <c>maxControllers</c>, oldest evicted), each with its last <c>maxEpisodes</c> episodes. Memory is about
/// maxControllers × (maxEpisodes × ~120 B + ~200 B).
/// </summary>
public sealed class ControllerHistory(int maxControllers = 10_000, int maxEpisodes = 20)
{
    /// <summary>Failing and recovering this many times within <see cref="FlapWindow"/> marks a controller as flapping.</summary>
    public const int FlapEpisodes = 3;

    public static readonly TimeSpan FlapWindow = TimeSpan.FromHours(1);

    private readonly Lock _gate = new();
    private readonly Dictionary<(string Node, string Controller), ControllerRecord> _records = [];
    private readonly LinkedList<(string Node, string Controller)> _order = new();

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _records.Count;
            }
        }
    }

    /// <summary>Feeds one fresh read of a node's controllers.</summary>
    public void Observe(string node, IReadOnlyList<ControllerStatus> controllers, DateTimeOffset now)
    {
        lock (_gate)
        {
            foreach (var c in controllers)
            {
                var key = (node, c.Name);
                _records.TryGetValue(key, out var record);
                if (c.Failing)
                {
                    if (record?.Open is { } open)
                    {
                        Replace(key, record, open with { MaxConsecutiveFailures = Math.Max(open.MaxConsecutiveFailures, c.ConsecutiveFailureCount), LastMessage = c.LastFailureMessage });
                    }
                    else
                    {
                        // The streak began after the last success; when that is unknown, at first sight.
                        var start = c.LastSuccess is { } s && s < now ? s : now;
                        Append(key, record, new FailureEpisode(start, null, c.ConsecutiveFailureCount, c.LastFailureMessage));
                    }
                }
                else if (record?.Open is { } open)
                {
                    Replace(key, record, open with { End = c.LastSuccess ?? now });
                }
            }
        }
    }

    public void Forget(IReadOnlySet<string> keepNodes)
    {
        lock (_gate)
        {
            foreach (var key in _records.Keys.Where(k => !keepNodes.Contains(k.Node)).ToList())
            {
                _records.Remove(key);
                _order.Remove(key);
            }
        }
    }

    public IReadOnlyList<ControllerRecord> All()
    {
        lock (_gate)
        {
            return _records.Values.ToList();
        }
    }

    public ControllerRecord? Get(string node, string controller)
    {
        lock (_gate)
        {
            return _records.GetValueOrDefault((node, controller));
        }
    }

    public static bool IsFlapping(ControllerRecord record, DateTimeOffset now) =>
        record.Episodes.Count(e => now - e.Start <= FlapWindow) >= FlapEpisodes;

    private void Append((string, string) key, ControllerRecord? record, FailureEpisode episode)
    {
        if (record is null)
        {
            if (_records.Count >= maxControllers && _order.First is { } oldest)
            {
                _records.Remove(oldest.Value);
                _order.RemoveFirst();
            }

            _records[key] = new ControllerRecord(key.Item1, key.Item2, [episode], 1);
            _order.AddLast(key);
            return;
        }

        var episodes = record.Episodes.Count >= maxEpisodes ? record.Episodes.Skip(1) : record.Episodes;
        _records[key] = record with { Episodes = [.. episodes, episode], TotalEpisodes = record.TotalEpisodes + 1 };
    }

    private void Replace((string, string) key, ControllerRecord record, FailureEpisode last) =>
        _records[key] = record with { Episodes = [.. record.Episodes.Take(record.Episodes.Count - 1), last] };
}
