using CiliumDash.Shared;

namespace CiliumDash.Events;

/// <summary>A query of the event store: a time range, and optional namespace, node and kinds (all must match).</summary>
public sealed record ClusterEventQuery(DateTimeOffset? Since = null, DateTimeOffset? Until = null, string? Namespace = null, string? Node = null,
    IReadOnlySet<ClusterEventKind>? Kinds = null, int? Limit = null)
{
    public bool Matches(ClusterEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return (Since is not { } since || e.Time >= since)
            && (Until is not { } until || e.Time <= until)
            && (Namespace is null || string.Equals(e.Namespace, Namespace, StringComparison.Ordinal))
            && (Node is null || string.Equals(e.Node, Node, StringComparison.Ordinal))
            && (Kinds is null || Kinds.Contains(e.Kind));
    }
}

/// <summary>
/// The newest <c>capacity</c> cluster events in memory, oldest dropped first, with a data-free throttled change
/// signal and the health of the watch that fills it. The history store records them for longer.
/// </summary>
public sealed class ClusterEventStore : IDisposable
{
    private readonly Lock _lock = new();
    private readonly ClusterEvent?[] _ring;
    private readonly TimeProvider _time;
    private long _next;
    private SourceHealth _health;

    public ClusterEventStore(TimeProvider time, int capacity, string target = "")
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _time = time;
        _ring = new ClusterEvent?[capacity];
        _health = SourceHealth.Initial(SourceName, target);
        Changed = new ChangeSignal(time, TimeSpan.FromMilliseconds(250));
    }

    public const string SourceName = "kubernetes-events";

    public ChangeSignal Changed { get; }

    public int Capacity => _ring.Length;

    /// <summary>Events added since start (the ones kept are the newest <see cref="Capacity"/>).</summary>
    public long Total => Interlocked.Read(ref _next);

    /// <summary>The time of the oldest event still kept; null when there is none.</summary>
    public DateTimeOffset? OldestKept
    {
        get
        {
            lock (_lock)
            {
                return _next == 0 ? null : _ring[_next <= _ring.Length ? 0 : _next % _ring.Length]!.Time;
            }
        }
    }

    public SourceHealth Health
    {
        get
        {
            lock (_lock)
            {
                return _health;
            }
        }
    }

    public void SetHealth(Func<SourceHealth, SourceHealth> update)
    {
        ArgumentNullException.ThrowIfNull(update);
        lock (_lock)
        {
            _health = update(_health);
        }

        Changed.Notify();
    }

    /// <summary>Adds an event (cluster-supplied texts are bounded here) and returns it with its sequence number.</summary>
    public ClusterEvent Add(ClusterEventKind kind, DateTimeOffset? at, string? node, string? ns, string? name, string? detail)
    {
        ClusterEvent e;
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            // A time from the cluster in the future (clock skew, a hostile object) would sort ahead of everything.
            var time = at is { } t && t <= now ? t : now;
            e = ClusterEvent.Create(++_next, kind, time, node, ns, name, detail);
            _ring[(e.Sequence - 1) % _ring.Length] = e;
        }

        Changed.Notify();
        return e;
    }

    /// <summary>The events that match, visible to <paramref name="scope"/>, in time order (the newest <c>Limit</c> of them).</summary>
    public IReadOnlyList<ClusterEvent> Query(ClusterEventQuery query, AccessScope scope)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(scope);
        List<ClusterEvent> all;
        lock (_lock)
        {
            var count = (int)Math.Min(_next, _ring.Length);
            all = new List<ClusterEvent>(Math.Min(count, 1024));
            for (var s = _next - count + 1; s <= _next; s++)
            {
                var e = _ring[(s - 1) % _ring.Length]!;
                if (query.Matches(e) && e.IsVisibleTo(scope))
                {
                    all.Add(e);
                }
            }
        }

        all.Sort(static (a, b) => a.Time != b.Time ? a.Time.CompareTo(b.Time) : a.Sequence.CompareTo(b.Sequence));
        return query.Limit is { } limit && all.Count > limit ? all[^limit..] : all;
    }

    /// <summary>
    /// Events added after <paramref name="sequence"/>, in the order they were added, for a reader that keeps a cursor
    /// (the history recorder): it stores the last <see cref="ClusterEvent.Sequence"/> it read. Unscoped; the reader
    /// applies <see cref="ClusterEvent.IsVisibleTo"/> when it serves them. Events already dropped are skipped.
    /// </summary>
    public IReadOnlyList<ClusterEvent> After(long sequence)
    {
        lock (_lock)
        {
            var first = Math.Max(sequence + 1, _next - Math.Min(_next, _ring.Length) + 1);
            var result = new List<ClusterEvent>((int)Math.Max(0, _next - first + 1));
            for (var s = first; s <= _next; s++)
            {
                result.Add(_ring[(s - 1) % _ring.Length]!);
            }

            return result;
        }
    }

    public void Dispose() => Changed.Dispose();
}
