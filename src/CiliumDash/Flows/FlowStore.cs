using System.Buffers;
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
/// The live window of recent flows as compact rows (a ring; overflow evicts the oldest and is counted), rolling
/// per-second series, Hubble's lost events, node status events and the relay's health. The only shared state for
/// flows. One writer (the relay reader) and any number of readers; a read copies the ring and filters outside the lock.
/// </summary>
public sealed partial class FlowStore : IDisposable
{
    /// <summary>At most this many node status events are kept.</summary>
    public const int NodeEventCapacity = 100;

    private readonly Lock _gate = new();
    private readonly Lock _writer = new();
    private readonly FlowRowCodec _codec = new();
    private readonly FlowRow[] _ring;
    private readonly FlowSeries _series;
    private readonly Dictionary<string, ulong> _lostBySource = new(StringComparer.Ordinal);
    private readonly Queue<NodeStatusRecord> _nodeEvents = new();
    private FlowRow[] _stagedRows = [];
    private int _staged;
    private int _next;
    private int _count;
    private long _received;
    private long _evicted;
    private long _duplicates;
    private SourceHealth _relay;
    private RelayServerStatus? _server;

    public FlowStore(TimeProvider time, int windowSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(windowSize, 1);
        _ring = new FlowRow[windowSize];
        _series = new FlowSeries(time);
        // At most 10 pushes per second to each view, whatever the flow rate.
        Changed = new ChangeSignal(time, TimeSpan.FromMilliseconds(200));
        _relay = SourceHealth.Initial("hubble-relay", "");
    }

    public ChangeSignal Changed { get; }

    public int Capacity => _ring.Length;

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _count;
            }
        }
    }

    public long Received => Interlocked.Read(ref _received);

    /// <summary>Flows that fell out of the window because newer ones arrived.</summary>
    public long Evicted => Interlocked.Read(ref _evicted);

    /// <summary>Flows a reconnect delivered again and the reader dropped.</summary>
    public long Duplicates => Interlocked.Read(ref _duplicates);

    public SourceHealth Relay => Volatile.Read(ref _relay);

    public RelayServerStatus? Server => Volatile.Read(ref _server);

    /// <summary>Takes the flow into the window. The message is taken apart: do not use it afterwards.</summary>
    public void Add(Flow flow, string envelopeNode = "", Timestamp? envelopeTime = null)
    {
        ArgumentNullException.ThrowIfNull(flow);
        lock (_writer)
        {
            var row = _codec.Encode(flow, envelopeNode, envelopeTime);
            lock (_gate)
            {
                Put(row, _series.Now());
            }
        }

        Changed.Notify();
    }

    /// <summary>
    /// Takes the flows of these responses (in order) into the window under one lock and one change notification;
    /// responses that carry no flow are skipped. The messages are taken apart: do not use them afterwards.
    /// </summary>
    public void AddRange(IReadOnlyList<GetFlowsResponse> responses)
    {
        ArgumentNullException.ThrowIfNull(responses);
        foreach (var response in responses)
        {
            Stage(response);
        }

        Commit();
    }

    /// <summary>
    /// Encodes the response's flow into a row now and holds the row until <see cref="Commit"/>. Encoding at once (outside
    /// the readers' lock) lets the decoded message die young: a batch of decoded messages held until the batch ends
    /// lived through gen0 collections at high rates and made the GC promote and collect them again in gen1.
    /// The message is taken apart: do not use it afterwards. A response without a flow is skipped.
    /// </summary>
    public void Stage(GetFlowsResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.Flow is not { } flow)
        {
            return;
        }

        lock (_writer)
        {
            if (_staged == _stagedRows.Length)
            {
                Array.Resize(ref _stagedRows, Math.Max(64, _stagedRows.Length * 2));
            }

            _stagedRows[_staged++] = _codec.Encode(flow, response.NodeName, response.Time);
        }
    }

    /// <summary>Puts the staged rows into the window under one lock and one change notification.</summary>
    public void Commit()
    {
        lock (_writer)
        {
            if (_staged == 0)
            {
                return;
            }

            lock (_gate)
            {
                var now = _series.Now();
                for (var i = 0; i < _staged; i++)
                {
                    Put(_stagedRows[i], now);
                }
            }

            // The rows' references now live in the ring; the scratch must not keep evicted ones alive.
            Array.Clear(_stagedRows, 0, _staged);
            _staged = 0;
        }

        Changed.Notify();
    }

    public void CountDuplicate() => Interlocked.Increment(ref _duplicates);

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
    public FlowPage Query(FlowQuery query, int skip, int take)
    {
        ArgumentNullException.ThrowIfNull(query);
        var rows = new List<FlowRecord>(Math.Clamp(take, 0, 1024));
        var scratch = new FlowScratch(withUuid: true);
        var matched = Scan(query, (in FlowRow row, int index) =>
        {
            if (index >= skip && rows.Count < take)
            {
                rows.Add(FlowMapper.Map(scratch.Load(row), row.Node, FlowRowCodec.Time(row.TimeNanos)));
            }
        }, out var inWindow);
        return new FlowPage(rows, matched, inWindow);
    }

    /// <summary>The newest <paramref name="take"/> flows, each as a row and as its full message (the hub matches on the message).</summary>
    public IReadOnlyList<(FlowRecord Record, Flow Flow)> Newest(int take)
    {
        var result = new List<(FlowRecord, Flow)>(Math.Clamp(take, 0, 1024));
        Scan(FlowQuery.Empty, (in FlowRow row, int index) =>
        {
            if (index < take)
            {
                var flow = FlowRowCodec.Decode(row);
                result.Add((FlowMapper.Map(flow, row.Node, FlowRowCodec.Time(row.TimeNanos)), flow));
            }
        }, out _);
        return result;
    }

    /// <summary>Newest first, every field of up to <paramref name="limit"/> matching flows (for export).</summary>
    public IReadOnlyList<Flow> Export(FlowQuery query, int limit, out int matched)
    {
        ArgumentNullException.ThrowIfNull(query);
        var flows = new List<Flow>(Math.Min(limit, 1024));
        matched = Scan(query, (in FlowRow row, int _) =>
        {
            if (flows.Count < limit)
            {
                flows.Add(FlowRowCodec.Decode(row));
            }
        }, out _);
        return flows;
    }

    /// <summary>The flow with this UUID, every field, if it is still in the window.</summary>
    public FlowDetail? Find(string uuid)
    {
        var query = FlowQuery.TryParse("uuid=" + Uri.EscapeDataString(uuid ?? "")).Query;
        if (query is null)
        {
            return null;
        }

        FlowDetail? found = null;
        Scan(query, (in FlowRow row, int _) =>
        {
            if (found is null)
            {
                var flow = FlowRowCodec.Decode(row);
                found = FlowJson.Detail(FlowMapper.Map(flow, row.Node, FlowRowCodec.Time(row.TimeNanos)), flow);
            }
        }, out _);
        return found;
    }

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

    /// <summary>Appends a row to the ring, evicting the oldest when full. Under both locks.</summary>
    private void Put(in FlowRow row, long second)
    {
        if (_count == _ring.Length)
        {
            _evicted++;
        }
        else
        {
            _count++;
        }

        _ring[_next] = row;
        _next = _next + 1 == _ring.Length ? 0 : _next + 1;
        _received++;
        _series.Add(row.Rest.Verdict, row.Rest.DropReasonDesc, second);
    }

    private delegate void RowVisitor(in FlowRow row, int matchIndex);

    /// <summary>
    /// Copies the ring (newest first) into a pooled buffer under the lock, then filters outside it so a slow filter
    /// never stalls ingest. Calls <paramref name="visit"/> for each match with its index; returns the match count.
    /// </summary>
    private int Scan(FlowQuery query, RowVisitor visit, out int inWindow)
    {
        FlowRow[] copy;
        lock (_gate)
        {
            inWindow = _count;
            copy = ArrayPool<FlowRow>.Shared.Rent(Math.Max(1, _count));
            for (var i = 0; i < _count; i++)
            {
                copy[i] = _ring[(_next - 1 - i + _ring.Length) % _ring.Length];
            }
        }

        try
        {
            var matcher = query.MatchesEverything ? null : query.Matcher;
            var scratch = new FlowScratch(query.UsesUuid);
            var matched = 0;
            for (var i = 0; i < inWindow; i++)
            {
                if (matcher is null || matcher(scratch.Load(copy[i])))
                {
                    visit(copy[i], matched++);
                }
            }

            return matched;
        }
        finally
        {
            ArrayPool<FlowRow>.Shared.Return(copy, clearArray: true);
        }
    }
}
