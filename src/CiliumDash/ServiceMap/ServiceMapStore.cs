using CiliumDash.Flows;
using CiliumDash.Flows.Query;
using CiliumDash.Flows.Window;
using CiliumDash.Shared;

namespace CiliumDash.ServiceMap;

/// <summary>
/// Stored flow aggregates for map views over a time range the live window no longer holds. The history store
/// implements it: it adds its rows to the builder as samples (peers by their parts, counts by Hubble's numbers).
/// </summary>
public interface IServiceMapHistory
{
    /// <summary>Adds the flows of [<paramref name="since"/>, <paramref name="until"/>) to <paramref name="map"/>.</summary>
    void AddTo(ServiceMapBuilder map, DateTimeOffset since, DateTimeOffset until);
}

/// <summary>Where a history source puts its rows: one call per (source, target, verdict, drop reason, port) group.</summary>
public sealed class ServiceMapBuilder
{
    internal MapAggregate Aggregate { get; } = new();

    public void Add(MapPeerKey source, MapPeerKey target, int verdict, int dropReason, string protocol, int port, DateTimeOffset time, int count)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        var aggregate = Aggregate;
        aggregate.Add(aggregate.Sample(source, target, verdict, dropReason, protocol ?? "", port, time.ToUnixTimeMilliseconds() * 1_000_000, Math.Max(1, count)));
    }
}

/// <summary>
/// The service map's store: a running aggregate of the live flow window (fed by every commit, see
/// <see cref="FlowStore.ObserveCommits"/>), and views of it or of a time range. Change notifications are throttled to
/// two a second, the map's push rate for every view (page, hub, embed).
/// </summary>
public sealed class ServiceMapStore : IDisposable
{
    /// <summary>Map views change at most this often.</summary>
    public static readonly TimeSpan UpdateInterval = TimeSpan.FromMilliseconds(500);

    private readonly Lock _gate = new();
    private readonly FlowStore _flows;
    private readonly IServiceMapHistory? _history;
    private readonly MapAggregate _live;
    private long _updates;

    public ServiceMapStore(FlowStore flows, IServiceMapHistory? history = null)
    {
        ArgumentNullException.ThrowIfNull(flows);
        _flows = flows;
        _history = history;
        _live = new MapAggregate(flows.Capacity);
        Changed = new ChangeSignal(flows.Time, UpdateInterval);
        flows.ObserveCommits(OnCommitted, Seed);
    }

    public ChangeSignal Changed { get; }

    /// <summary>Flows the live aggregate has counted since start (the cost benchmarks divide by).</summary>
    public long Updates => Interlocked.Read(ref _updates);

    public (int Peers, int Edges, long Flows) LiveSize
    {
        get
        {
            lock (_gate)
            {
                return (_live.PeerCount, _live.EdgeCount, _live.Flows);
            }
        }
    }

    /// <summary>The view <paramref name="query"/> asks for, as <paramref name="scope"/> may see it.</summary>
    public ServiceMapGraph Query(ServiceMapQuery query, AccessScope scope)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(scope);
        if (!query.IsRange)
        {
            lock (_gate)
            {
                return MapProjection.Project(_live.Edges, query, scope, Coverage("window", _live, null));
            }
        }

        // A range: the window's rows inside it, counted afresh (a range view is asked for rarely; the live one is pushed).
        var since = query.Since ?? DateTimeOffset.MinValue;
        var until = query.Until ?? DateTimeOffset.MaxValue;
        var (from, to) = (Nanos(since), Nanos(until));
        var range = new ServiceMapBuilder();
        _flows.Window.Scan(FlowQuery.TryParse("").Query!, (in FlowRow row, int _) =>
        {
            if (row.TimeNanos >= from && row.TimeNanos < to)
            {
                range.Aggregate.Add(row);
            }
        }, out _);

        var oldestLive = Oldest();
        string? note = null;
        if (oldestLive is { } oldest && since < oldest)
        {
            if (_history is not null)
            {
                _history.AddTo(range, since, oldest < until ? oldest : until);
            }
            else
            {
                note = $"the live window reaches back to {oldest.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}; older flows come from the history store, which is not enabled";
            }
        }

        return MapProjection.Project(range.Aggregate.Edges, query, scope, Coverage(_history is null ? "window" : "window+history", range.Aggregate, note));
    }

    /// <summary>The pods of a map node seen in the live window, with the node each was observed running on.</summary>
    public IReadOnlyList<(string Pod, string Node)> Pods(string nodeId)
    {
        lock (_gate)
        {
            var pods = _live.Peers.Where(p => p.Id == nodeId || MapProjection.NamespaceId(p.Namespace) == nodeId && p.Kind == MapNodeKinds.Workload)
                .SelectMany(p => p.Pods).ToList();

            // A pod seen only remotely has no node; one seen locally anywhere has it.
            return pods.GroupBy(p => p.Pod, StringComparer.Ordinal)
                .Select(g => (g.Key, g.Select(p => p.Node).FirstOrDefault(n => n.Length > 0) ?? ""))
                .OrderBy(p => p.Key, StringComparer.Ordinal).ToList();
        }
    }

    public void Dispose() => Changed.Dispose();

    private DateTimeOffset? Oldest()
    {
        lock (_gate)
        {
            return _live.OldestNanos == 0 ? null : FromNanos(_live.OldestNanos);
        }
    }

    private static MapCoverage Coverage(string source, MapAggregate aggregate, string? note)
    {
        var newest = aggregate.Edges.Select(e => e.LastSeenNanos).DefaultIfEmpty(0).Max();
        return new MapCoverage(source, aggregate.Flows, aggregate.OldestNanos == 0 ? null : FromNanos(aggregate.OldestNanos), newest == 0 ? null : FromNanos(newest), note);
    }

    private static long Nanos(DateTimeOffset t) =>
        t == DateTimeOffset.MinValue ? long.MinValue : t == DateTimeOffset.MaxValue ? long.MaxValue : (t.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;

    private static DateTimeOffset FromNanos(long nanos) => DateTimeOffset.UnixEpoch.AddTicks(nanos / 100);

    private void Seed(ReadOnlySpan<FlowRow> rows) => OnCommitted(rows);

    private void OnCommitted(ReadOnlySpan<FlowRow> rows)
    {
        lock (_gate)
        {
            foreach (ref readonly var row in rows)
            {
                _live.Add(row);
            }
        }

        Interlocked.Add(ref _updates, rows.Length);
        if (rows.Length > 0)
        {
            Changed.Notify();
        }
    }
}
