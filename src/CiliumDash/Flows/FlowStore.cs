using CiliumDash.Flows.Query;
using CiliumDash.Flows.Window;
using CiliumDash.Protocols.Hubble;
using CiliumDash.Protocols.Hubble.ObserverApi;
using Google.Protobuf.WellKnownTypes;
using CiliumDash.Shared;

namespace CiliumDash.Flows;

/// <summary>hubble-relay's own view (ServerStatus and GetNodes), polled.</summary>
public sealed record RelayServerStatus(
    ulong NumFlows,
    ulong MaxFlows,
    ulong SeenFlows,
    TimeSpan Uptime,
    uint? ConnectedNodes,
    uint? UnavailableNodes,
    IReadOnlyList<string> UnavailableNodeNames,
    string Version,
    double FlowsRate,
    IReadOnlyList<RelayNode> Nodes,
    DateTimeOffset ReadAt);

public sealed record RelayNode(string Name, string Version, string Address, string State, ulong NumFlows, ulong MaxFlows, ulong SeenFlows);

/// <summary>Rows <c>skip..skip+take</c> of the flows that match, newest first; <see cref="Matched"/> counts all matches.</summary>
public sealed record FlowPage(IReadOnlyList<FlowRecord> Rows, int Matched, int InWindow);

/// <summary>
/// A stream whose flows have all been dropped as duplicates for a while: the relay is sending, but nothing new arrives
/// (a relay restarted with reused flow UUIDs looks exactly like this while showing Connected).
/// </summary>
public sealed record FlowStreamWarning(string Message, DateTimeOffset Since, long Duplicates);

/// <summary>
/// The live window of recent flows (<see cref="FlowWindow"/>: compact rows mapped once at ingest, redacted first),
/// rolling per-second series, Hubble's lost events, node status events and the relay's health. The only shared state
/// for flows. One writer (the relay reader, through <see cref="FlowIngest"/>) and any number of readers.
/// </summary>
public sealed partial class FlowStore : IDisposable
{
    /// <summary>At most this many node status events are kept.</summary>
    public const int NodeEventCapacity = 100;

    private readonly Lock _gate = new();
    private readonly FlowWindow _window;
    private readonly FlowSeries _series;
    private readonly CommittedRows _count;
    private readonly Dictionary<string, ulong> _lostBySource = new(StringComparer.Ordinal);
    private readonly Queue<NodeStatusRecord> _nodeEvents = new();
    private long _duplicates;
    private SourceHealth _relay;
    private RelayServerStatus? _server;
    private FlowStreamWarning? _streamWarning;
    private CommittedRows? _observers;

    /// <param name="redactor">how L7 secrets are removed at ingest; null = <see cref="FlowRedactor.Default"/>.</param>
    public FlowStore(TimeProvider time, int windowSize, FlowRedactor? redactor = null)
    {
        ArgumentNullException.ThrowIfNull(time);
        Time = time;
        _window = new FlowWindow(windowSize, redactor ?? FlowRedactor.Default);
        _series = new FlowSeries(time);
        _count = CountCommitted;
        // At most 10 pushes per second to each view, whatever the flow rate.
        Changed = new ChangeSignal(time, TimeSpan.FromMilliseconds(200));
        _relay = SourceHealth.Initial("hubble-relay", "");
    }

    public ChangeSignal Changed { get; }

    public TimeProvider Time { get; }

    public int Capacity => _window.Capacity;

    public int Count => _window.Count;

    public long Received => _window.Received;

    /// <summary>Flows that fell out of the window because newer ones arrived.</summary>
    public long Evicted => _window.Evicted;

    /// <summary>Flows a reconnect delivered again and the reader dropped.</summary>
    public long Duplicates => Interlocked.Read(ref _duplicates);

    public SourceHealth Relay => Volatile.Read(ref _relay);

    public RelayServerStatus? Server => Volatile.Read(ref _server);

    /// <summary>Set while the relay's stream delivers only flows already seen (see <see cref="FlowIngest"/>); null otherwise.</summary>
    public FlowStreamWarning? StreamWarning => Volatile.Read(ref _streamWarning);

    internal FlowWindow Window => _window;

    /// <summary>
    /// Encodes the response's flow into a row now (redacted first) and holds it until <see cref="Commit"/>. Encoding at
    /// once lets the decoded message die young: a batch of decoded messages held until the batch ended lived through
    /// gen0 collections at high rates. The message is taken apart: do not use it afterwards. A response without a flow
    /// is skipped.
    /// </summary>
    public void Stage(GetFlowsResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.Flow is { } flow)
        {
            _window.Stage(flow, response.NodeName, response.Time);
        }
    }

    /// <summary>Puts the staged rows into the window under one lock and one change notification.</summary>
    public void Commit()
    {
        if (_window.Commit(_count) > 0)
        {
            Changed.Notify();
        }
    }

    /// <summary>
    /// Adds an observer of every committed batch (rows oldest first), called by the one writer after the rows are in the
    /// window, before the change notification: a running aggregate that sees every commit from the start mirrors the
    /// window exactly (a row leaves it <see cref="Capacity"/> rows later).
    /// </summary>
    /// <param name="seed">called first with the rows already in the window, oldest first, while no commit can happen.</param>
    internal void ObserveCommits(CommittedRows observer, CommittedRows? seed = null) => _window.Quiesced(() =>
    {
        if (seed is not null)
        {
            var rows = new List<FlowRow>(_window.Count);
            _window.Scan(FlowQuery.TryParse("").Query!, (in FlowRow row, int _) => rows.Add(row), out _);
            rows.Reverse();
            seed(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(rows));
        }

        lock (_gate)
        {
            _observers += observer;
        }
    });

    /// <summary>A window of the relay's answer to a query (given newest first), encoded and redacted like the live one.</summary>
    internal FlowWindow WindowOf(IReadOnlyList<Flow> newestFirst) => FlowWindow.Of(newestFirst, _window.Redactor);

    public void CountDuplicate() => Interlocked.Increment(ref _duplicates);

    public void SetStreamWarning(FlowStreamWarning? warning)
    {
        if (!Equals(Interlocked.Exchange(ref _streamWarning, warning), warning))
        {
            Changed.Notify();
        }
    }

    public void AddLost(LostEventRecord lost)
    {
        ArgumentNullException.ThrowIfNull(lost);
        lock (_gate)
        {
            _lostBySource[lost.Source] = _lostBySource.GetValueOrDefault(lost.Source) + lost.NumLost;
        }

        Changed.Notify();
    }

    public void AddNodeStatus(NodeStatusRecord status)
    {
        lock (_gate)
        {
            _nodeEvents.Enqueue(status);
            if (_nodeEvents.Count > NodeEventCapacity)
            {
                _nodeEvents.Dequeue();
            }
        }

        Changed.Notify();
    }

    public void SetRelay(SourceHealth health)
    {
        Volatile.Write(ref _relay, health);
        Changed.Notify();
    }

    public void SetServerStatus(RelayServerStatus status)
    {
        Volatile.Write(ref _server, status);
        Changed.Notify();
    }

    /// <summary>Rows <paramref name="skip"/> to <paramref name="skip"/>+<paramref name="take"/> of the matching flows, newest first.</summary>
    public FlowPage Query(FlowQuery query, int skip, int take) => _window.Query(query, skip, take);

    /// <summary>The newest <paramref name="take"/> flows, each as its record and as the row the hub's filters match.</summary>
    public IReadOnlyList<(FlowRecord Record, WindowFlow Flow)> Newest(int take) => _window.Newest(take);

    /// <summary>Newest first, every field of up to <paramref name="limit"/> matching flows (for export).</summary>
    public IReadOnlyList<Flow> Export(FlowQuery query, int limit, out int matched) => _window.Export(query, limit, out matched);

    /// <summary>The flow with this UUID, every field, if it is still in the window.</summary>
    public FlowDetail? Find(string uuid) => _window.Find(uuid);

    /// <summary>The times of the oldest and newest flow in the window, in arrival order; null when it is empty.</summary>
    public (DateTimeOffset Oldest, DateTimeOffset Newest)? Span() => _window.Span();

    /// <summary>Verdicts and drop reasons since start, whatever has left the window since.</summary>
    public IReadOnlyDictionary<string, long> CountsByVerdict()
    {
        lock (_gate)
        {
            return _series.VerdictTotals();
        }
    }

    public IReadOnlyDictionary<string, long> CountsByDropReason()
    {
        lock (_gate)
        {
            return _series.DropReasonTotals();
        }
    }

    /// <summary>The last <paramref name="seconds"/> seconds of arrivals, oldest first.</summary>
    public IReadOnlyList<FlowSecond> Series(int seconds)
    {
        lock (_gate)
        {
            return _series.Last(seconds);
        }
    }

    public IReadOnlyDictionary<string, ulong> LostBySource()
    {
        lock (_gate)
        {
            return new Dictionary<string, ulong>(_lostBySource);
        }
    }

    public IReadOnlyList<NodeStatusRecord> NodeEvents()
    {
        lock (_gate)
        {
            return _nodeEvents.ToArray();
        }
    }

    public void Dispose() => Changed.Dispose();

    /// <summary>The series count what arrived, by arrival second (the clock read once per batch).</summary>
    private void CountCommitted(ReadOnlySpan<FlowRow> rows)
    {
        lock (_gate)
        {
            var now = _series.Now();
            foreach (ref readonly var row in rows)
            {
                _series.Add((Verdict)row.Verdict, (DropReason)row.DropReason, now);
            }
        }

        Volatile.Read(ref _observers)?.Invoke(rows);
    }
}
