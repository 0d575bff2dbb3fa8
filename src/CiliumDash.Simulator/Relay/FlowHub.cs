using CiliumDash.Protocols.Hubble;
using CiliumDash.Protocols.Hubble.ObserverApi;

namespace CiliumDash.Simulator.Relay;

/// <summary>An event on its way into a ring: a template (generated flow) or a stored response (replay, lost events).</summary>
internal readonly record struct PendingEvent(int Ring, long UnixNanos, object Payload, long Index, bool IsFlow);

/// <summary>
/// All nodes' rings behind one lock, plus what relay reports about them (seen counts, rate, namespaces). Writers append
/// whole batches; readers copy ring slots out under the lock and build responses outside it. Every append completes
/// <see cref="NextAppend"/>, which followers await instead of polling.
/// </summary>
internal sealed class FlowHub
{
    private static readonly TimeSpan RateWindow = TimeSpan.FromMinutes(1);

    private readonly Lock _gate = new();
    private readonly List<FlowRing> _rings = [];
    private readonly Dictionary<string, int> _ringIndex = new(StringComparer.Ordinal);
    private readonly HashSet<string> _namespaces = new(StringComparer.Ordinal);
    private readonly Queue<(long Ticks, long Seen)> _rateSamples = new();
    private readonly TimeProvider _time;
    private readonly int _capacity;
    private TaskCompletionSource _appended = NewSignal();
    private long _seq;
    private long _seenTotal;
    private long _lastSampleTicks;

    public FlowHub(IEnumerable<string> nodeNames, int capacity, TimeProvider time)
    {
        _capacity = capacity;
        _time = time;
        foreach (var name in nodeNames)
        {
            RingFor(name);
        }

        _lastSampleTicks = time.GetUtcNow().UtcTicks;
        _rateSamples.Enqueue((_lastSampleTicks, 0));
    }

    /// <summary>Completes at the next append; take it before reading so that no append can slip between.</summary>
    public Task NextAppend => Volatile.Read(ref _appended).Task;

    public IReadOnlyDictionary<string, int> RingIndex
    {
        get
        {
            lock (_gate)
            {
                return new Dictionary<string, int>(_ringIndex, StringComparer.Ordinal);
            }
        }
    }

    public int RingFor(string nodeName)
    {
        lock (_gate)
        {
            if (!_ringIndex.TryGetValue(nodeName, out var index))
            {
                index = _rings.Count;
                _rings.Add(new FlowRing(nodeName, _capacity));
                _ringIndex[nodeName] = index;
            }

            return index;
        }
    }

    public string RingName(int ring)
    {
        lock (_gate)
        {
            return _rings[ring].NodeName;
        }
    }

    public void Append(ReadOnlySpan<PendingEvent> events)
    {
        if (events.IsEmpty)
        {
            return;
        }

        TaskCompletionSource signal;
        lock (_gate)
        {
            foreach (ref readonly var e in events)
            {
                _rings[e.Ring].Add(new RingEntry(++_seq, e.UnixNanos, e.Payload, e.Index), e.IsFlow);
                if (e.IsFlow)
                {
                    _seenTotal++;
                    NoteNamespaces(e.Payload);
                }
            }

            SampleRate();
            signal = _appended;
            _appended = NewSignal();
        }

        signal.TrySetResult();
    }

    /// <summary>Positions of the next writes, per ring: where a follower starts reading live events.</summary>
    public long[] Positions()
    {
        lock (_gate)
        {
            return _rings.Select(r => r.Written).ToArray();
        }
    }

    /// <summary>
    /// Copies ring slots from <paramref name="from"/> up to <paramref name="to"/> (or everything written when null) into
    /// <paramref name="into"/>; <paramref name="end"/> is where the next read continues. Returns how many slots had
    /// already been overwritten (the reader fell behind the ring, which Hubble reports as lost events).
    /// </summary>
    public long CopyRange(int ring, long from, long? to, List<RingEntry> into, out long end)
    {
        lock (_gate)
        {
            var r = _rings[ring];
            end = Math.Min(to ?? r.Written, r.Written);
            var start = Math.Max(from, r.Oldest);
            for (var p = start; p < end; p++)
            {
                into.Add(r.At(p));
            }

            return Math.Max(0, Math.Min(start, end) - from);
        }
    }

    /// <summary>Number of rings: replay adds rings for node names that only its file knows.</summary>
    public int RingCount
    {
        get
        {
            lock (_gate)
            {
                return _rings.Count;
            }
        }
    }

    public RingStats Stats(int ring)
    {
        lock (_gate)
        {
            var r = _rings[ring];
            return new RingStats(r.NodeName, (ulong)r.Count, (ulong)r.Capacity, (ulong)r.SeenFlows);
        }
    }

    /// <summary>Flows per second over the last minute (Hubble's flows_rate).</summary>
    public double FlowsRate()
    {
        lock (_gate)
        {
            var (ticks, seen) = _rateSamples.Peek();
            var elapsed = TimeSpan.FromTicks(_time.GetUtcNow().UtcTicks - ticks).TotalSeconds;
            return elapsed < 1 ? 0 : (_seenTotal - seen) / elapsed;
        }
    }

    public IReadOnlyList<string> Namespaces()
    {
        lock (_gate)
        {
            return _namespaces.Order(StringComparer.Ordinal).ToList();
        }
    }

    public static GetFlowsResponse ToResponse(in RingEntry entry, FlowIdSpace ids) => entry.Payload switch
    {
        FlowTemplate t => t.Materialize(entry.UnixNanos, entry.Index, ids),
        GetFlowsResponse stored => stored,
        var other => throw new InvalidOperationException($"Unexpected ring payload {other.GetType().Name}."),
    };

    private void NoteNamespaces(object payload)
    {
        switch (payload)
        {
            case FlowTemplate { Emitted: false } t:
                t.Emitted = true;
                _namespaces.UnionWith(t.Namespaces);
                break;
            case GetFlowsResponse { Flow: { } flow }:
                AddNamespace(flow.Source?.Namespace);
                AddNamespace(flow.Destination?.Namespace);
                break;
        }
    }

    private void AddNamespace(string? ns)
    {
        if (!string.IsNullOrEmpty(ns))
        {
            _namespaces.Add(ns);
        }
    }

    private void SampleRate()
    {
        var now = _time.GetUtcNow().UtcTicks;
        if (now - _lastSampleTicks >= TimeSpan.TicksPerSecond)
        {
            _rateSamples.Enqueue((now, _seenTotal));
            _lastSampleTicks = now;
        }

        while (_rateSamples.Count > 1 && now - _rateSamples.Peek().Ticks > RateWindow.Ticks)
        {
            _rateSamples.Dequeue();
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}

internal sealed record RingStats(string NodeName, ulong NumFlows, ulong MaxFlows, ulong SeenFlows);
