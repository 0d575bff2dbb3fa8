using CiliumDash.Configuration;
using CiliumDash.Shared;

namespace CiliumDash.Connectivity;

/// <summary>The outcome of one cilium-health report: the node's own summary line, or why the report was unusable.</summary>
public sealed record IngestResult(HealthSummary? Summary, string? Error);

/// <summary>
/// The cluster's node-to-node probe matrix: one row per reporting node, one 16-byte <see cref="ProbeCell"/> per
/// destination and path, a one-byte-per-sample RTT history ring per row, and degradation events. Reports are parsed
/// outside the lock and committed under it; views pull through the query methods after <see cref="Changed"/> fires.
/// </summary>
public sealed partial class ConnectivityStore : IDisposable
{
    /// <summary>Probe times are stored as seconds since this instant.</summary>
    public static readonly DateTimeOffset Epoch = new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly Lock _gate = new();
    private readonly ConnectivityOptions _options;
    private readonly List<NodeSlot?> _slots = [];
    private readonly Stack<int> _free = new();
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly Dictionary<string, int> _byAddress = new(StringComparer.Ordinal);
    private readonly ErrorTable _errors = new();
    private readonly DegradationEvent?[] _events;
    private int _eventHead;
    private long _eventCount;
    private int _capacity = 8;

    public ConnectivityStore(TimeProvider time, ConnectivityOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Time = time;
        _options = options;
        Slots = Math.Max(1, (int)Math.Ceiling(options.HistoryWindow / options.HistoryResolution));
        _events = new DegradationEvent?[options.MaxEvents];
        _lookup = _index.GetAlternateLookup<ReadOnlySpan<char>>();
        Changed = new ChangeSignal(time, TimeSpan.FromMilliseconds(250));
    }

    public TimeProvider Time { get; }

    public ChangeSignal Changed { get; }

    public ConnectivityOptions Options => _options;

    /// <summary>History samples kept per pair and path (HistoryWindow ÷ HistoryResolution).</summary>
    public int Slots { get; }

    /// <summary>Called for every successful probe of every ingested report (path, round trip in ns): the probe histogram.</summary>
    public Action<ProbePath, double>? ProbeObserved { get; set; }

    /// <summary>Parses one node's <c>cilium-health status -o json</c> and commits it as that node's row.</summary>
    public IngestResult Ingest(string node, ReadOnlySpan<byte> utf8)
    {
        ArgumentException.ThrowIfNullOrEmpty(node);
        using var doc = new HealthDocument();
        if (HealthStreamParser.Parse(utf8, doc) is { } error)
        {
            MarkUnread(node, error);
            return new IngestResult(null, error);
        }

        HealthSummary summary;
        lock (_gate)
        {
            summary = Commit(node, doc);
        }

        if (ProbeObserved is { } observe)
        {
            for (var i = 0; i < doc.Count; i++)
            {
                ref var peer = ref doc[i];
                for (var p = 0; p < 4; p++)
                {
                    if (peer.Probes[p] is { State: ProbeState.Ok, RttNs: > 0 } reading)
                    {
                        observe((ProbePath)p, reading.RttNs);
                    }
                }
            }
        }

        Changed.Notify();
        return new IngestResult(summary, null);
    }

    /// <summary>The node's report could not be read this time: its row is kept and shown stale, with the reason.</summary>
    public void MarkUnread(string node, string error)
    {
        lock (_gate)
        {
            var slot = _slots[Resolve(node)]!;
            slot.Polled = true;
            slot.ReadError = error;
        }

        Changed.Notify();
    }

    /// <summary>
    /// The nodes whose agents the dashboard polls. A node that left stops being a row; once no report lists it either,
    /// it leaves the matrix and its index is reused.
    /// </summary>
    public void Retain(IReadOnlySet<string> polled)
    {
        ArgumentNullException.ThrowIfNull(polled);
        lock (_gate)
        {
            // A polled node belongs in the matrix even when no report lists it (that is worth seeing).
            foreach (var name in polled)
            {
                Resolve(name);
            }

            for (var i = 0; i < _slots.Count; i++)
            {
                if (_slots[i] is { } slot)
                {
                    slot.Polled = polled.Contains(slot.Name);
                    if (!slot.Polled)
                    {
                        slot.Row = null;
                        slot.ReadError = null;
                    }
                }
            }

            for (var i = 0; i < _slots.Count; i++)
            {
                if (_slots[i] is { Polled: false } slot && !ListedByAnyone(i))
                {
                    Free(i, slot);
                }
            }
        }

        Changed.Notify();
    }

    public void Dispose() => Changed.Dispose();

    private HealthSummary Commit(string node, HealthDocument doc)
    {
        var rowIndex = Resolve(node);
        var source = _slots[rowIndex]!;
        source.Polled = true;
        source.ReadError = null;
        var issues = doc.Issues.ToList();

        // Agents in a named cluster prefix node names with "<cluster>/"; Kubernetes does not.
        var local = doc.Text(doc.LocalName);
        var prefix = local.Length > node.Length && local.EndsWith(node, StringComparison.Ordinal) && local[^(node.Length + 1)] == '/'
            ? local[..^node.Length]
            : ReadOnlySpan<char>.Empty;
        if (doc.LocalName.Present && prefix.IsEmpty && !local.SequenceEqual(node))
        {
            issues.Add($"the report says it comes from '{local}', but it was read from the agent of node '{node}'");
        }

        var columns = new int[doc.Count];
        // Each entry adds at most one node, so this covers every column the report can name.
        var listed = new bool[_slots.Count + doc.Count];
        var reachable = 0;
        for (var i = 0; i < doc.Count; i++)
        {
            ref var peer = ref doc[i];
            columns[i] = PeerColumn(doc, ref peer, i, prefix, listed, issues);
            if (columns[i] >= 0)
            {
                listed[columns[i]] = true;
            }

            reachable += Reachable(ref peer) ? 1 : 0;
        }

        var row = source.Row ??= new MatrixRow();
        row.Grow(_capacity, Slots);
        var roundTime = doc.Timestamp ?? Time.GetUtcNow();
        var newRound = doc.Timestamp is null || doc.Timestamp != row.RoundTime;
        var sample = newRound && (row.LastSample is not { } last || roundTime - last >= _options.HistoryResolution - TimeSpan.FromSeconds(1));
        var slotOffset = -1;
        if (sample)
        {
            slotOffset = row.Head * row.Stride;
            Array.Clear(row.History, slotOffset, row.Stride);
            row.SampleTimes[row.Head] = Seconds(roundTime);
            row.Head = (row.Head + 1) % Slots;
            row.LastSample = roundTime;
        }

        for (var col = 0; col < _slots.Count; col++)
        {
            if (_slots[col] is not null && (col >= listed.Length || !listed[col]))
            {
                for (var p = 0; p < 4; p++)
                {
                    row.Cells[(col * 4) + p].State = ProbeState.NotListed;
                }
            }
        }

        for (var i = 0; i < doc.Count; i++)
        {
            if (columns[i] >= 0)
            {
                Update(doc, ref doc[i], row, rowIndex, columns[i], roundTime, newRound, slotOffset);
            }
        }

        row.RoundTime = roundTime;
        row.LastRead = Time.GetUtcNow();
        row.LocalName = doc.String(doc.LocalName);
        row.ProbeInterval = doc.String(doc.ProbeInterval);
        row.Issues = issues;
        row.Reachable = reachable;
        row.Total = doc.Count;
        return new HealthSummary(row.LocalName, doc.Timestamp, row.ProbeInterval, reachable, doc.Count);
    }

    /// <summary>The column of a report entry: by name, else by address; -1 (with an issue) for what maps to no node.</summary>
    private int PeerColumn(HealthDocument doc, ref PeerEntry peer, int i, ReadOnlySpan<char> prefix, bool[] listed, List<string> issues)
    {
        var name = doc.Text(peer.Name);
        int col;
        if (peer.Name.Present && name.Length > 0)
        {
            col = Resolve(!prefix.IsEmpty && name.StartsWith(prefix, StringComparison.Ordinal) ? name[prefix.Length..] : name);
        }
        else if (AddressOwner(doc.Text(peer.HostIp)) is { } byHost)
        {
            col = byHost;
        }
        else if (AddressOwner(doc.Text(peer.EndpointIp)) is { } byEndpoint)
        {
            col = byEndpoint;
        }
        else
        {
            issues.Add($"nodes[{i}] has no name and its addresses (host {Or(doc.Text(peer.HostIp))}, endpoint {Or(doc.Text(peer.EndpointIp))}) map to no node");
            return -1;
        }

        if (col < listed.Length && listed[col])
        {
            issues.Add($"{_slots[col]!.Name} is listed more than once (nodes[{i}] ignored)");
            return -1;
        }

        var slot = _slots[col]!;
        slot.HostIp = Address(slot.HostIp, doc.Text(peer.HostIp), col, issues);
        slot.EndpointIp = Address(slot.EndpointIp, doc.Text(peer.EndpointIp), col, issues);
        return col;
    }

    private string? Address(string? known, ReadOnlySpan<char> reported, int col, List<string> issues)
    {
        if (reported.IsEmpty || reported.SequenceEqual(known))
        {
            return known;
        }

        var ip = new string(reported);
        if (_byAddress.TryGetValue(ip, out var owner) && owner != col && _slots[owner] is { } other && (other.HostIp == ip || other.EndpointIp == ip))
        {
            issues.Add($"address {ip} is reported for both {other.Name} and {_slots[col]!.Name}");
        }

        _byAddress[ip] = col;
        return ip;
    }

    private int? AddressOwner(ReadOnlySpan<char> ip) =>
        !ip.IsEmpty && _byAddress.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(ip, out var col) ? col : null;

    /// <summary>cilium-health's rule: every probed address answers; not probed (unknown) is not a failure.</summary>
    private static bool Reachable(ref PeerEntry peer)
    {
        for (var p = 0; p < 4; p++)
        {
            if (peer.Probes[p].State == ProbeState.Failed)
            {
                return false;
            }
        }

        return !peer.SecondaryHostError.Present && !peer.SecondaryEndpointError.Present;
    }

    private void Update(HealthDocument doc, ref PeerEntry peer, MatrixRow row, int from, int to, DateTimeOffset roundTime, bool newRound, int slotOffset)
    {
        for (var p = 0; p < 4; p++)
        {
            ref var cell = ref row.Cells[(to * 4) + p];
            var reading = peer.Probes[p];
            var previous = cell.State;
            var secondary = p < 2 ? peer.SecondaryHostError : peer.SecondaryEndpointError;
            cell.State = reading.State;
            cell.RttNs = (float)reading.RttNs;
            cell.ProbedAgo = reading.Probed is { } probed ? (ushort)Math.Clamp((roundTime - probed).TotalSeconds, 0, ushort.MaxValue) : (ushort)0;
            if (reading.State is ProbeState.Failed or ProbeState.Invalid)
            {
                cell.ErrorId = _errors.Intern(doc.Text(reading.Error));
            }
            else if (secondary.Present)
            {
                cell.ErrorId = _errors.Intern(doc.Text(secondary));
            }

            cell.Flags = secondary.Present ? cell.Flags | CellFlags.SecondaryFailed : cell.Flags & ~CellFlags.SecondaryFailed;
            if (newRound)
            {
                Observe(ref cell, previous, from, to, (ProbePath)p, roundTime);
            }

            if (slotOffset >= 0)
            {
                row.History[slotOffset + (to * 4) + p] = RttCodec.Encode(cell.State, cell.RttNs);
            }
        }
    }

    /// <summary>Baseline and events for a new probe round: newly failing, RTT over k × baseline, and recovery.</summary>
    private void Observe(ref ProbeCell cell, ProbeState previous, int from, int to, ProbePath path, DateTimeOffset at)
    {
        var wasDegraded = cell.Degraded;
        if (cell.State == ProbeState.Failed)
        {
            if (previous != ProbeState.Failed)
            {
                Event(at, from, to, path, EventKind.Failing, null, cell.BaselineNs, _errors.Text(cell.ErrorId));
            }

            return;
        }

        if (cell.State != ProbeState.Ok)
        {
            return;
        }

        var samples = cell.Samples;
        var degraded = samples >= _options.BaselineSamples && cell.RttNs > _options.DegradationFactor * cell.BaselineNs;
        if (degraded && !wasDegraded)
        {
            Event(at, from, to, path, EventKind.Slow, cell.RttNs, cell.BaselineNs, null);
        }
        else if (previous == ProbeState.Failed || (wasDegraded && !degraded))
        {
            Event(at, from, to, path, EventKind.Recovered, cell.RttNs, cell.BaselineNs, null);
        }

        if (!degraded)
        {
            // A running mean over the first 8 samples, then an exponential one (1/8): jitter averages out, a step follows.
            cell.BaselineNs = samples == 0 ? cell.RttNs : cell.BaselineNs + ((cell.RttNs - cell.BaselineNs) / Math.Min(samples + 1, 8));
            samples = Math.Min(samples + 1, 7);
        }

        cell.Flags = (cell.Flags & ~(CellFlags.SampleCountMask | CellFlags.Degraded)) | (CellFlags)(samples << 4) | (degraded ? CellFlags.Degraded : 0);
    }

    private void Event(DateTimeOffset at, int from, int to, ProbePath path, EventKind kind, double? rtt, double baseline, string? error)
    {
        _events[_eventHead] = new DegradationEvent(at, _slots[from]!.Name, _slots[to]!.Name, path, kind, rtt, baseline > 0 ? baseline : null, error);
        _eventHead = (_eventHead + 1) % _events.Length;
        _eventCount++;
    }

    private int Resolve(ReadOnlySpan<char> name)
    {
        if (_lookup.TryGetValue(name, out var index))
        {
            return index;
        }

        var slot = new NodeSlot(new string(name));
        if (_free.TryPop(out index))
        {
            _slots[index] = slot;
        }
        else
        {
            index = _slots.Count;
            _slots.Add(slot);
            while (_capacity < _slots.Count)
            {
                _capacity *= 2;
            }
        }

        _index[slot.Name] = index;
        return index;
    }

    private bool ListedByAnyone(int col)
    {
        foreach (var slot in _slots)
        {
            if (slot?.Row is { } row && col * 4 < row.Cells.Length && row.Cells[col * 4].State is not (ProbeState.NoData or ProbeState.NotListed))
            {
                return true;
            }
        }

        return false;
    }

    private void Free(int index, NodeSlot slot)
    {
        _index.Remove(slot.Name);
        foreach (var ip in new[] { slot.HostIp, slot.EndpointIp })
        {
            if (ip is not null && _byAddress.TryGetValue(ip, out var owner) && owner == index)
            {
                _byAddress.Remove(ip);
            }
        }

        foreach (var other in _slots)
        {
            other?.Row?.ClearColumn(index, Slots);
        }

        _slots[index] = null;
        _free.Push(index);
    }

    internal static uint Seconds(DateTimeOffset time) => time <= Epoch ? 0 : (uint)Math.Min(uint.MaxValue, (time - Epoch).TotalSeconds);

    internal static DateTimeOffset? FromSeconds(uint seconds) => seconds == 0 ? null : Epoch.AddSeconds(seconds);

    private static string Or(ReadOnlySpan<char> text) => text.IsEmpty ? "none" : new string(text);
}
