using System.Text.Json;
using CiliumDash.Agents;
using CiliumDash.Configuration;
using CiliumDash.Connectivity;
using CiliumDash.Contract;
using CiliumDash.Events;
using CiliumDash.Findings;
using CiliumDash.Flows;

namespace CiliumDash.History;

/// <summary>
/// Turns the stores' data-free change signals into history records: findings as they open, change and close; node
/// state and controller episodes when they change; health rounds and pair events; map fill at an interval; flows
/// through <see cref="FlowRecording"/>. Every record goes through the <see cref="HistoryWriter"/>'s bounded queue:
/// nothing here waits for the store.
/// </summary>
public sealed class HistoryRecorder : IHostedService, IAsyncDisposable
{
    /// <summary>The state recorded when a node's agent is no longer polled (the node left the cluster).</summary>
    public const string Removed = "Removed";

    private readonly HistoryWriter _writer;
    private readonly FindingsEngine _findings;
    private readonly ClusterStore _cluster;
    private readonly ConnectivityStore _connectivity;
    private readonly HistoryOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly FlowRecording _flows;
    private readonly Lock _gate = new();
    private readonly List<IDisposable> _subscriptions = [];
    private readonly Dictionary<string, FindingEvent> _open = new(StringComparer.Ordinal);
    private readonly Dictionary<string, NodeStateRecord> _nodes = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Node, string Controller, DateTimeOffset Start), ControllerEpisodeRecord> _episodes = [];
    private readonly Dictionary<string, DateTimeOffset?> _rounds = new(StringComparer.Ordinal);
    private readonly Dictionary<(string From, string To), string> _pairs = [];
    private readonly ClusterEventStore? _events;
    private long _eventCursor;
    private ITimer? _mapTimer;

    public HistoryRecorder(HistoryWriter writer, FindingsEngine findings, ClusterStore cluster, ConnectivityStore connectivity, FlowStore flows,
        HistoryOptions options, TimeProvider time, ILogger<HistoryRecorder> log, ClusterEventStore? events = null)
    {
        _events = events;
        _writer = writer;
        _findings = findings;
        _cluster = cluster;
        _connectivity = connectivity;
        _options = options;
        _time = time;
        _log = log;
        _flows = new FlowRecording(flows, writer, options, time);
    }

    public HistoryWriter Writer => _writer;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _writer.StartAsync(cancellationToken).ConfigureAwait(false);
        await SeedAsync(cancellationToken).ConfigureAwait(false);
        lock (_subscriptions)
        {
            _subscriptions.Add(_findings.Changed.Subscribe(RecordFindings));
            _subscriptions.Add(_cluster.Changed.Subscribe(RecordNodes));
            _subscriptions.Add(_connectivity.Changed.Subscribe(RecordHealth));
            if (_events is not null)
            {
                _subscriptions.Add(_events.Changed.Subscribe(RecordClusterEvents));
            }
        }

        _flows.Start();
        _mapTimer = _time.CreateTimer(_ => RecordMapFill(), null, _options.MapFillInterval, _options.MapFillInterval);
        RecordFindings();
        RecordNodes();
        RecordHealth();
        RecordClusterEvents();
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Unsubscribe();
        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        Unsubscribe();
        await _writer.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Records Kubernetes cluster events (restarts, versions, nodes, policies) as the events feature reports them.</summary>
    public void AppendClusterEvents(IEnumerable<HistoryClusterEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        foreach (var e in events)
        {
            _writer.Enqueue(HistoryTables.ClusterEvents, e);
        }
    }

    /// <summary>Reads the events store from its cursor: each cluster event is recorded once, in the order it was seen.</summary>
    internal void RecordClusterEvents()
    {
        if (_events is null)
        {
            return;
        }

        lock (_gate)
        {
            var fresh = _events.After(_eventCursor);
            if (fresh.Count == 0)
            {
                return;
            }

            _eventCursor = fresh[^1].Sequence;
            AppendClusterEvents(fresh.Select(e => new HistoryClusterEvent(e.Time, ClusterEvent.WireName(e.Kind), e.Node, e.Namespace, e.Name, e.Detail)));
        }
    }

    /// <summary>Diffs the engine's findings against the open ones: opened, changed (severity or summary), closed.</summary>
    internal void RecordFindings()
    {
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            var current = _findings.Current;
            if (current.Version == 0)
            {
                // Nothing derived yet: an empty set now would close everything the last run left open.
                return;
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var f in current.All)
            {
                seen.Add(f.Id);
                var dto = FindingsApi.ToDto(f);
                var severity = FindingsApi.Severity(f.Severity);
                _open.TryGetValue(f.Id, out var known);
                if (known is not null && known.Severity == severity && known.Summary == f.Summary)
                {
                    continue;
                }

                var change = known is null ? FindingEvent.Opened : FindingEvent.Changed;
                var e = new FindingEvent(known is null ? Min(f.Since, now) : now, f.Id, change, severity, f.Kind, f.Subject.Node, f.Subject.Peer, f.Summary,
                    f.Namespaces is null ? null : string.Join(',', f.Namespaces.Order(StringComparer.Ordinal)), JsonSerializer.Serialize(dto, ApiJsonContext.Default.FindingDto));
                _open[f.Id] = e;
                _writer.Enqueue(HistoryTables.Findings, e);
            }

            foreach (var gone in _open.Keys.Where(id => !seen.Contains(id)).ToList())
            {
                _writer.Enqueue(HistoryTables.Findings, _open[gone] with { Time = now, Change = FindingEvent.Closed });
                _open.Remove(gone);
            }
        }
    }

    internal void RecordNodes()
    {
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            var present = new HashSet<string>(StringComparer.Ordinal);
            foreach (var node in _cluster.Nodes)
            {
                present.Add(node.Name);
                var state = StateOf(node, now);
                if (!_nodes.TryGetValue(node.Name, out var known) || known with { Time = now } != state)
                {
                    _nodes[node.Name] = state;
                    _writer.Enqueue(HistoryTables.NodeStates, state);
                }
            }

            foreach (var (name, known) in _nodes.Where(n => !present.Contains(n.Key) && n.Value.State != Removed).ToList())
            {
                var gone = known with { Time = now, State = Removed, Error = null };
                _nodes[name] = gone;
                _writer.Enqueue(HistoryTables.NodeStates, gone);
            }

            foreach (var record in _cluster.ControllerHistory.All())
            {
                foreach (var ep in record.Episodes)
                {
                    var key = (record.Node, record.Controller, ep.Start);
                    var row = new ControllerEpisodeRecord(now, record.Node, record.Controller, ep.Start, ep.End, ep.MaxConsecutiveFailures, ep.LastMessage);
                    if (!_episodes.TryGetValue(key, out var known) || known with { Time = now } != row)
                    {
                        _episodes[key] = row;
                        _writer.Enqueue(HistoryTables.ControllerEpisodes, row);
                    }
                }
            }

            // Closed episodes older than the in-memory history are never written again: forget them.
            if (_episodes.Count > 50_000)
            {
                foreach (var key in _episodes.Where(e => e.Value.End is not null).OrderBy(e => e.Value.Time).Take(_episodes.Count - 40_000).Select(e => e.Key).ToList())
                {
                    _episodes.Remove(key);
                }
            }
        }
    }

    internal void RecordHealth()
    {
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            var reachability = _connectivity.Reachability();
            var worst = reachability.SelectMany(r => r.Reports).Where(p => p.RttNs is not null).GroupBy(p => p.From).ToDictionary(g => g.Key, g => g.Max(p => p.RttNs), StringComparer.Ordinal);
            foreach (var node in _cluster.Nodes)
            {
                if (node.Health is { } h && (!_rounds.TryGetValue(node.Name, out var last) || last != h.Timestamp))
                {
                    _rounds[node.Name] = h.Timestamp;
                    _writer.Enqueue(HistoryTables.HealthRounds, new HealthRoundRecord(h.Timestamp ?? now, node.Name, h.Reachable, h.Total, worst.GetValueOrDefault(node.Name)));
                }
            }

            var current = new Dictionary<(string, string), PeerReport>();
            foreach (var target in reachability)
            {
                foreach (var report in target.Reports)
                {
                    current[(report.From, target.Name)] = report;
                }
            }

            foreach (var ((from, to), report) in current)
            {
                var change = report.Verdict == PeerVerdict.Degraded ? "degraded" : "failed:" + report.Verdict;
                if (!_pairs.TryGetValue((from, to), out var known) || known != change)
                {
                    _pairs[(from, to)] = change;
                    _writer.Enqueue(HistoryTables.PairEvents, new PairEventRecord(now, from, to, report.Path.ToString(), change, report.Error));
                }
            }

            foreach (var gone in _pairs.Keys.Where(k => !current.ContainsKey(k)).ToList())
            {
                _pairs.Remove(gone);
                _writer.Enqueue(HistoryTables.PairEvents, new PairEventRecord(now, gone.From, gone.To, "", "recovered", null));
            }
        }
    }

    internal void RecordMapFill()
    {
        foreach (var node in _cluster.Nodes)
        {
            foreach (var (map, ratio) in node.MapPressure?.Maps ?? [])
            {
                _writer.Enqueue(HistoryTables.MapFill, new MapFillRecord(node.MapPressure!.ReadAt, node.Name, map, ratio));
            }
        }
    }

    /// <summary>What the store last knew: a restart neither re-opens findings nor repeats unchanged node states.</summary>
    private async Task SeedAsync(CancellationToken ct)
    {
        var now = _time.GetUtcNow();
        using var cap = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cap.CancelAfter(HistoryWriter.StartTimeout);
        ct = cap.Token;
        try
        {
            var store = _writer.Store;
            var findings = await store.QueryAsync(HistoryTables.Findings, new HistoryRange(now - _options.Retention.Findings, now.AddMinutes(1), 200_000, Newest: true), ct).ConfigureAwait(false);
            var nodes = await store.QueryAsync(HistoryTables.NodeStates, new HistoryRange(now - _options.Retention.NodeStates, now.AddMinutes(1), 200_000, Newest: true), ct).ConfigureAwait(false);
            var episodes = await store.QueryAsync(HistoryTables.ControllerEpisodes, new HistoryRange(now - TimeSpan.FromDays(1), now.AddMinutes(1), 200_000, Newest: true), ct).ConfigureAwait(false);
            lock (_gate)
            {
                foreach (var f in findings)
                {
                    if (f.Change == FindingEvent.Closed)
                    {
                        _open.Remove(f.Id);
                    }
                    else
                    {
                        _open[f.Id] = f;
                    }
                }

                foreach (var n in nodes)
                {
                    _nodes[n.Node] = n;
                }

                foreach (var e in episodes)
                {
                    _episodes[(e.Node, e.Controller, e.Start)] = e;
                }
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The store is not readable yet: the first records after it returns may repeat what it held.
            _log.LogWarning("history: could not read the last recorded state ({Error}); recording starts afresh", ex.Message);
        }
    }

    private static NodeStateRecord StateOf(NodeSnapshot n, DateTimeOffset now)
    {
        var s = n.Status;
        var k = s?.KubeProxyReplacement;
        var datapath = s is null ? null :
            $"nodePort={k?.NodePortMode};dsr={k?.DsrMode};lb={k?.BackendSelection};maglev={k?.MaglevTableSize};socketLb={k?.SocketLb};accel={k?.Acceleration};" +
            $"routing={s.Routing?.InterHost}/{s.Routing?.TunnelProtocol};masq={s.Masquerading?.Mode};hostFw={s.HostFirewall?.Mode};encrypt={s.Encryption?.Mode};datapath={s.DatapathMode}";
        return new NodeStateRecord(now, n.Name, n.State, s?.Version, k?.Mode, datapath, s?.Ipam?.Summary ?? (s?.Ipam is { } ipam ? $"{ipam.Allocations.Count} allocated" : null),
            s?.Controllers?.Count ?? 0, n.FailingControllers, n.Error);
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private void Unsubscribe()
    {
        lock (_subscriptions)
        {
            _subscriptions.ForEach(s => s.Dispose());
            _subscriptions.Clear();
        }

        _mapTimer?.Dispose();
        _mapTimer = null;
        _flows.Stop();
    }
}
