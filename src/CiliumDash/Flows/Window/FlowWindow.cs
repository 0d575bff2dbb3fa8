using CiliumDash.Flows.Query;
using CiliumDash.Protocols.Hubble;
using Google.Protobuf.WellKnownTypes;

namespace CiliumDash.Flows.Window;

/// <summary>Called for each match of a scan, newest first, with its index among the matches; under the window's lock, so keep it short.</summary>
internal delegate void RowVisitor(in FlowRow row, int matchIndex);

/// <summary>The rows a commit has just put into the window, oldest first.</summary>
internal delegate void CommittedRows(ReadOnlySpan<FlowRow> rows);

/// <summary>
/// A bounded window of flows as compact rows: a ring indexed by arrival sequence (overflow evicts the oldest) and the
/// codec whose tables share the rows' values. One writer stages (encodes) and commits rows; any number of readers scan
/// newest first, in chunks of <see cref="ScanChunk"/> rows under the ring's lock, so a scan never copies the window and
/// never holds ingest for more than a chunk. A row evicted while a scan is under way ends that scan there (it counts
/// the matches it saw). Used for the live window and, briefly, for a relay answer.
/// </summary>
internal sealed class FlowWindow
{
    /// <summary>Rows a scan reads per lock; at a few nanoseconds a row, ingest waits microseconds at most.</summary>
    public const int ScanChunk = 4096;

    private readonly Lock _gate = new();
    private readonly Lock _writer = new();
    private readonly FlowRowCodec _codec;
    private readonly FlowRow[] _ring;
    private FlowRow[] _staged = [];
    private int _stagedCount;
    private long _received;
    private long _evicted;
    private int _count;

    public FlowWindow(int capacity, FlowRedactor redactor)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentNullException.ThrowIfNull(redactor);
        _ring = new FlowRow[capacity];
        _codec = new FlowRowCodec(redactor);
        Redactor = redactor;
    }

    public FlowRedactor Redactor { get; }

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

    /// <summary>The times of the oldest and the newest row held (how much time the window covers); null when empty.</summary>
    public (DateTimeOffset Oldest, DateTimeOffset Newest)? Span()
    {
        lock (_gate)
        {
            if (_count == 0)
            {
                return null;
            }

            var newest = _ring[(int)((_received - 1) % _ring.Length)].TimeNanos;
            var oldest = _ring[(int)((_received - _count) % _ring.Length)].TimeNanos;
            return (DateTimeOffset.UnixEpoch.AddTicks(Math.Min(oldest, newest) / 100), DateTimeOffset.UnixEpoch.AddTicks(Math.Max(oldest, newest) / 100));
        }
    }

    /// <summary>Rows committed since start (the arrival sequence of the next one).</summary>
    public long Received => Interlocked.Read(ref _received);

    public long Evicted => Interlocked.Read(ref _evicted);

    /// <summary>Distinct endpoints, addresses and contexts the rows share now.</summary>
    public (int Endpoints, int Addresses, int Contexts) SharedValues
    {
        get
        {
            lock (_writer)
            {
                return _codec.Held;
            }
        }
    }

    /// <summary>How many slots each table has used (the size of a scan's per-slot cache).</summary>
    public (int Endpoints, int Addresses, int Contexts) SlotCounts => _codec.SlotCounts;

    /// <summary>The ring itself, for benchmarks that compare a plain loop over the same rows.</summary>
    internal FlowRow[] Rows => _ring;

    /// <summary>A window holding these flows (given newest first), e.g. an answer of the relay, encoded like the live ones.</summary>
    public static FlowWindow Of(IReadOnlyList<Flow> newestFirst, FlowRedactor redactor)
    {
        ArgumentNullException.ThrowIfNull(newestFirst);
        var window = new FlowWindow(Math.Max(1, newestFirst.Count), redactor);
        for (var i = newestFirst.Count - 1; i >= 0; i--)
        {
            window.Stage(newestFirst[i], "", null);
        }

        window.Commit();
        return window;
    }

    /// <summary>
    /// Encodes the flow into a row now (redacted first) and holds it until <see cref="Commit"/>: the decoded message dies
    /// young. The message is taken apart: do not use it afterwards.
    /// </summary>
    public void Stage(Flow flow, string envelopeNode, Timestamp? envelopeTime)
    {
        ArgumentNullException.ThrowIfNull(flow);
        lock (_writer)
        {
            if (_stagedCount == _staged.Length)
            {
                Array.Resize(ref _staged, Math.Max(64, _staged.Length * 2));
            }

            _staged[_stagedCount++] = _codec.Encode(flow, envelopeNode, envelopeTime);
        }
    }

    /// <summary>Puts the staged rows into the ring under one lock; <paramref name="committed"/> sees them after. Returns how many.</summary>
    public int Commit(CommittedRows? committed = null)
    {
        lock (_writer)
        {
            var n = _stagedCount;
            if (n == 0)
            {
                return 0;
            }

            lock (_gate)
            {
                for (var i = 0; i < n; i++)
                {
                    Put(_staged[i]);
                }
            }

            committed?.Invoke(_staged.AsSpan(0, n));

            // The rows now live in the ring; the staging buffer must not keep evicted values alive.
            Array.Clear(_staged, 0, n);
            _stagedCount = 0;
            return n;
        }
    }

    /// <summary>Runs <paramref name="action"/> while no commit can happen (under the writer's lock; scans still run).</summary>
    public void Quiesced(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        lock (_writer)
        {
            action();
        }
    }

    /// <summary>Rows <paramref name="skip"/> to <paramref name="skip"/>+<paramref name="take"/> of the matching flows, newest first.</summary>
    public FlowPage Query(FlowQuery query, int skip, int take)
    {
        var rows = new List<FlowRow>(Math.Clamp(take, 0, 1024));
        var matched = Scan(query, (in FlowRow row, int index) =>
        {
            if (index >= skip && rows.Count < take)
            {
                rows.Add(row);
            }
        }, out var inWindow);
        var records = new FlowRecord[rows.Count];
        for (var i = 0; i < records.Length; i++)
        {
            records[i] = FlowRowCodec.ToRecord(rows[i]);
        }

        return new FlowPage(records, matched, inWindow);
    }

    /// <summary>Newest first, every field of up to <paramref name="limit"/> matching flows (for export).</summary>
    public IReadOnlyList<Flow> Export(FlowQuery query, int limit, out int matched)
    {
        var rows = new List<(FlowRow Row, byte[] Wire)>(Math.Clamp(limit, 0, 1024));
        matched = Scan(query, (in FlowRow row, int _) =>
        {
            if (rows.Count < limit)
            {
                rows.Add((row, row.CopyWire()));
            }
        }, out _);
        return rows.Select(r => FlowRowCodec.ToFlow(r.Row, r.Wire)).ToList();
    }

    /// <summary>The flow with this UUID, every field, if it is still in the window.</summary>
    public FlowDetail? Find(string uuid)
    {
        if (FlowQuery.TryParse("uuid=" + Uri.EscapeDataString(uuid ?? "")).Query is not { } query)
        {
            return null;
        }

        (FlowRow Row, byte[] Wire)? found = null;
        Scan(query, (in FlowRow row, int index) =>
        {
            if (index == 0)
            {
                found = (row, row.CopyWire());
            }
        }, out _);
        return found is { } f ? FlowJson.Detail(FlowRowCodec.ToRecord(f.Row), FlowRowCodec.ToFlow(f.Row, f.Wire)) : null;
    }

    /// <summary>The newest <paramref name="take"/> rows, newest first, each as its record and as a row the hub can match.</summary>
    public IReadOnlyList<(FlowRecord Record, WindowFlow Flow)> Newest(int take)
    {
        FlowRow[] rows;
        lock (_gate)
        {
            rows = new FlowRow[Math.Clamp(take, 0, _count)];
            var slot = (int)((_received - 1) % _ring.Length);
            for (var i = 0; i < rows.Length; i++)
            {
                rows[i] = _ring[slot];
                slot = slot == 0 ? _ring.Length - 1 : slot - 1;
            }
        }

        return rows.Select(r => (FlowRowCodec.ToRecord(r), new WindowFlow(r))).ToArray();
    }

    /// <summary>
    /// Visits the rows that match, newest first, chunk by chunk under the ring's lock; returns the match count and, in
    /// <paramref name="inWindow"/>, how many rows the window held when the scan began.
    /// </summary>
    public int Scan(FlowQuery query, RowVisitor visit, out int inWindow)
    {
        ArgumentNullException.ThrowIfNull(query);
        var predicate = query.MatchesEverything ? null : query.Predicate;
        long next, oldest;
        lock (_gate)
        {
            inWindow = _count;
            next = _received - 1;
            oldest = _received - _count;
        }

        using var memo = ScanMemo.Rent(predicate, _codec.SlotCounts);
        var matched = 0;
        var capacity = _ring.Length;
        while (next >= oldest)
        {
            lock (_gate)
            {
                // What was evicted since the last chunk is gone: the scan ends there.
                var floor = Math.Max(oldest, _received - _count);
                if (next < floor)
                {
                    break;
                }

                var stop = Math.Max(floor, next - ScanChunk + 1);
                var slot = (int)(next % capacity);
                for (var n = next - stop; n >= 0; n--)
                {
                    ref readonly var row = ref _ring[slot];
                    if (predicate is null || predicate.Matches(row, memo))
                    {
                        visit(row, matched++);
                    }

                    slot = slot == 0 ? capacity - 1 : slot - 1;
                }

                next = stop - 1;
            }
        }

        return matched;
    }

    /// <summary>
    /// Appends a row at its sequence's slot, evicting (and releasing) the oldest when full. Under both locks; the counters
    /// are written by this one writer and read atomically (<see cref="Interlocked.Read"/>) by others.
    /// </summary>
    private void Put(in FlowRow row)
    {
        var slot = (int)(_received % _ring.Length);
        if (_count == _ring.Length)
        {
            _codec.Release(_ring[slot]);
            _evicted++;
        }
        else
        {
            _count++;
        }

        _ring[slot] = row;
        _received++;
    }
}
