using CiliumDash.Cluster;

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

/// <summary>
/// The live window of recent flows (a ring of compact rows; overflow evicts the oldest and is counted), Hubble's lost
/// events, node status events and the relay's health. The only shared state for flows.
/// </summary>
public sealed class FlowStore : IDisposable
{
    private readonly Lock _gate = new();
    private readonly FlowRecord?[] _ring;
    private readonly Dictionary<string, long> _byVerdict = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ulong> _lostBySource = new(StringComparer.Ordinal);
    private readonly List<NodeStatusRecord> _nodeEvents = [];
    private int _next;
    private int _count;
    private long _received;
    private long _evicted;
    private SourceHealth _relay;
    private RelayServerStatus? _server;

    public FlowStore(TimeProvider time, int windowSize)
    {
        _ring = new FlowRecord?[windowSize];
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

    public SourceHealth Relay => Volatile.Read(ref _relay);

    public RelayServerStatus? Server => Volatile.Read(ref _server);

    public void Add(FlowRecord flow)
    {
        lock (_gate)
        {
            if (_count == _ring.Length)
            {
                _evicted++;
            }
            else
            {
                _count++;
            }

            _ring[_next] = flow;
            _next = (_next + 1) % _ring.Length;
            _received++;
            _byVerdict[flow.Verdict] = _byVerdict.GetValueOrDefault(flow.Verdict) + 1;
        }

        Changed.Notify();
    }

    public void AddLost(LostEventRecord lost)
    {
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
            _nodeEvents.Add(status);
            if (_nodeEvents.Count > 100)
            {
                _nodeEvents.RemoveAt(0);
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

    /// <summary>Newest first, at most <paramref name="limit"/> rows that match; <paramref name="total"/> counts all matches.</summary>
    public IReadOnlyList<FlowRecord> Query(Func<FlowRecord, bool>? filter, int limit, out int total)
    {
        var result = new List<FlowRecord>(Math.Min(limit, 1024));
        total = 0;
        lock (_gate)
        {
            for (var i = 0; i < _count; i++)
            {
                var flow = _ring[(_next - 1 - i + _ring.Length) % _ring.Length]!;
                if (filter is null || filter(flow))
                {
                    total++;
                    if (result.Count < limit)
                    {
                        result.Add(flow);
                    }
                }
            }
        }

        return result;
    }

    /// <summary>Rows <paramref name="skip"/> to <paramref name="skip"/>+<paramref name="take"/> of the window, newest first.</summary>
    public IReadOnlyList<FlowRecord> Page(int skip, int take, out int total)
    {
        lock (_gate)
        {
            total = _count;
            var n = Math.Max(0, Math.Min(take, _count - skip));
            var rows = new FlowRecord[n];
            for (var i = 0; i < n; i++)
            {
                rows[i] = _ring[(_next - 1 - (skip + i) + (2 * _ring.Length)) % _ring.Length]!;
            }

            return rows;
        }
    }

    public IReadOnlyDictionary<string, long> CountsByVerdict()
    {
        lock (_gate)
        {
            return new Dictionary<string, long>(_byVerdict);
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
}
