using System.Security.Cryptography;
using System.Text;
using CiliumDash.Agents;
using CiliumDash.Connectivity;
using CiliumDash.Findings.Forecasts;
using CiliumDash.Findings.Rules;
using CiliumDash.Flows;
using CiliumDash.Shared;

namespace CiliumDash.Findings;

/// <summary>
/// The one diagnosis of the cluster: after the stores change (their data-free signals), pulls every store, runs the
/// rules and publishes the findings worst first. Ids come from kind and subject, so a fault keeps its id; "since" is
/// kept per id across derivations (or taken from the data when it says when the fault began). Views, REST, the hub
/// and /metrics read <see cref="Current"/> and subscribe to <see cref="Changed"/>; none judges on its own.
/// </summary>
public sealed class FindingsEngine : IHostedService, IDisposable
{
    /// <summary>At most one derivation per this interval: store signals fire up to four times a second each.</summary>
    public static readonly TimeSpan DefaultMinInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// After a derivation that took t, the next waits at least this many times t: deriving then takes at most 1/20 of
    /// one thread, however slow a loaded machine makes it (a poll cycle at 1,000 nodes changes the stores for seconds).
    /// </summary>
    public const int PaceFactor = 20;

    /// <summary>
    /// ...but never longer than this, so that a fault that clears is gone within one poll (10 s by default) even when
    /// a garbage collection or a busy machine made one derivation slow.
    /// </summary>
    public static readonly TimeSpan MaxInterval = TimeSpan.FromSeconds(5);

    private readonly ClusterStore _cluster;
    private readonly ConnectivityStore _connectivity;
    private readonly FlowStore _flows;
    private readonly TimeProvider _time;
    private readonly TimeSpan _minInterval;
    private readonly ITimer _timer;
    private readonly Lock _derive = new();
    private readonly LostEventsTracker _lost = new();
    private readonly MapFillHistory _mapFill = new();
    private IReadOnlyList<MapForecast> _forecasts = [];
    private readonly List<IDisposable> _subscriptions = [];
    private Dictionary<string, DateTimeOffset> _since = new(StringComparer.Ordinal);
    private FindingSet _current = FindingSet.Empty;
    private string _fingerprint = "";
    private int _flowKey;
    private long _derivations;
    private long _nextDue;
    private int _scheduled;
    private int _dirty;

    private readonly ILogger? _log;
    private readonly HistoryHealth? _history;

    /// <summary>In replay, a finding first seen now is dated at the capture's time, not at the dashboard's clock.</summary>
    private readonly Replay.ViewClock? _clock;

    public FindingsEngine(ClusterStore cluster, ConnectivityStore connectivity, FlowStore flows, TimeSpan? minInterval = null, ILogger<FindingsEngine>? log = null,
        HistoryHealth? history = null, Replay.ViewClock? clock = null)
    {
        _clock = clock;
        _log = log;
        _history = history;
        ArgumentNullException.ThrowIfNull(cluster);
        _cluster = cluster;
        _connectivity = connectivity;
        _flows = flows;
        _time = cluster.Time;
        _minInterval = minInterval ?? DefaultMinInterval;
        _timer = _time.CreateTimer(_ => Paced(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _nextDue = _time.GetTimestamp();
        Changed = new ChangeSignal(_time, TimeSpan.FromMilliseconds(250));
    }

    /// <summary>Fires (throttled) when the findings changed.</summary>
    public ChangeSignal Changed { get; }

    public FindingSet Current => Volatile.Read(ref _current);

    /// <summary>The map-fill forecasts of the latest derivation (every map with samples, confident or not).</summary>
    public IReadOnlyList<MapForecast> Forecasts => Volatile.Read(ref _forecasts);

    /// <summary>Derivations run so far (the diagnostics and the benchmark read it).</summary>
    public long Derivations => Interlocked.Read(ref _derivations);

    /// <summary>Starts deriving after every store change.</summary>
    public void Start()
    {
        lock (_subscriptions)
        {
            if (_subscriptions.Count > 0)
            {
                return;
            }

            _subscriptions.Add(_cluster.Changed.Subscribe(Request));
            _subscriptions.Add(_connectivity.Changed.Subscribe(Request));
            if (_history is not null)
            {
                _subscriptions.Add(_history.Changed.Subscribe(Request));
            }

            // Flows change many times a second; only the relay's state and the lost-event totals matter here.
            _subscriptions.Add(_flows.Changed.Subscribe(() =>
            {
                if (FlowKey(_flows.Relay, _flows.Server, _flows.LostBySource()) != Volatile.Read(ref _flowKey))
                {
                    Request();
                }
            }));
        }

        Request();
    }

    /// <summary>Derives the findings from the stores now, publishes them, and returns them.</summary>
    public FindingSet Derive()
    {
        lock (_derive)
        {
            Interlocked.Increment(ref _derivations);
            var now = _time.GetUtcNow();
            var relay = _flows.Relay;
            var server = _flows.Server;
            var lost = _flows.LostBySource();
            Volatile.Write(ref _flowKey, FlowKey(relay, server, lost));

            var nodes = _cluster.Nodes;
            var drafts = new List<FindingDraft>();
            drafts.AddRange(SourceRules.Sources(_cluster.AgentSource, relay, server, _cluster.ExecDisabled));
            drafts.AddRange(SourceRules.Workloads(_cluster.Workloads).Select(p => p.Finding));
            foreach (var node in nodes)
            {
                drafts.AddRange(AgentRules.Of(node, _cluster.ControllerHistory, now).Select(p => p.Finding));
                if (AgentRules.Health(node) is { } health)
                {
                    drafts.Add(health);
                }

                drafts.AddRange(MapRules.Pressure(node));
            }

            _mapFill.Observe(nodes, now);
            var forecasts = _mapFill.Forecasts();
            Volatile.Write(ref _forecasts, forecasts);
            drafts.AddRange(ForecastRules.Of(forecasts));
            drafts.AddRange(AgentRules.Flapping(nodes, _cluster.ControllerHistory, now));
            drafts.AddRange(ConnectivityRules.Of(_connectivity.Reachability(), _connectivity.Options.DegradationFactor));
            drafts.AddRange(DriftRules.Of(nodes));
            drafts.AddRange(_lost.Observe(lost, now));
            drafts.AddRange(HistoryRules.Of(_history?.State ?? HistoryHealthState.Disabled));
            return Publish(drafts, now);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Unsubscribe();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        Unsubscribe();
        _timer.Dispose();
        Changed.Dispose();
    }

    /// <summary>Deterministic from kind and subject: the same fault keeps its id across derivations and restarts.</summary>
    public static string IdOf(string kind, FindingSubject subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(kind + "\n" + subject.Key));
        return kind + "-" + Convert.ToHexStringLower(hash.AsSpan(0, 6));
    }

    private FindingSet Publish(List<FindingDraft> drafts, DateTimeOffset now)
    {
        var since = new Dictionary<string, DateTimeOffset>(drafts.Count, StringComparer.Ordinal);
        var findings = new List<Finding>(drafts.Count);
        var firstSeen = _clock?.CaptureTime ?? now;
        foreach (var d in drafts)
        {
            var id = IdOf(d.Kind, d.Subject);
            if (since.ContainsKey(id))
            {
                continue;
            }

            var first = d.Since ?? (_since.TryGetValue(id, out var seen) ? seen : firstSeen);
            since[id] = first;
            findings.Add(new Finding(id, d.Severity, d.Kind, d.Subject, d.Summary, Hints.For(d), d.Evidence, first));
        }

        findings.Sort(FindingOrder.Comparer);
        _since = since;
        var fingerprint = string.Join('\n', findings.Select(f => $"{f.Id} {f.Severity} {f.Summary}"));
        if (fingerprint == _fingerprint && _current.Version > 0)
        {
            return _current;
        }

        _fingerprint = fingerprint;
        var set = new FindingSet(findings, _current.Version + 1, now);
        Volatile.Write(ref _current, set);
        Changed.Notify();
        return set;
    }

    /// <summary>A store changed: derive once the pace allows; changes meanwhile are merged into that derivation.</summary>
    private void Request()
    {
        Volatile.Write(ref _dirty, 1);
        if (Interlocked.CompareExchange(ref _scheduled, 1, 0) != 0)
        {
            return;
        }

        var wait = _time.GetElapsedTime(_time.GetTimestamp(), Interlocked.Read(ref _nextDue));
        _timer.Change(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
    }

    private void Paced()
    {
        Volatile.Write(ref _dirty, 0);
        var start = _time.GetTimestamp();
        try
        {
            Derive();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A rule that throws on odd data must not stop the diagnosis for good: the next change derives again.
            _log?.LogError(ex, "deriving findings failed; the findings shown are from the previous derivation");
        }

        var took = _time.GetElapsedTime(start);
        var gap = TimeSpan.FromTicks(Math.Clamp((took * PaceFactor).Ticks, _minInterval.Ticks, Math.Max(_minInterval.Ticks, MaxInterval.Ticks)));
        Interlocked.Exchange(ref _nextDue, _time.GetTimestamp() + (long)(gap.TotalSeconds * _time.TimestampFrequency));
        Volatile.Write(ref _scheduled, 0);
        if (Volatile.Read(ref _dirty) == 1)
        {
            Request();
        }
    }

    private static int FlowKey(SourceHealth relay, RelayServerStatus? server, IReadOnlyDictionary<string, ulong> lost) =>
        HashCode.Combine(relay.State, relay.LastError, server?.UnavailableNodes, server?.ConnectedNodes, lost.Values.Aggregate(0UL, (a, b) => a + b));

    private void Unsubscribe()
    {
        lock (_subscriptions)
        {
            _subscriptions.ForEach(s => s.Dispose());
            _subscriptions.Clear();
        }
    }
}
