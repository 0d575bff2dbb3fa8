using CiliumDash.Contract;

namespace CiliumDash.Connectivity;

/// <summary>What a <see cref="ConnectivityStore.Snapshot"/> holds: pairs of one source and/or destination, how many events.</summary>
/// <param name="MaxNodesWithPairs">above this many nodes <see cref="ConnectivityDto.Pairs"/> is null (hub pushes).</param>
public sealed record ConnectivitySnapshotOptions(string? From = null, string? To = null, int Events = 100, int? MaxNodesWithPairs = null)
{
    public static readonly ConnectivitySnapshotOptions Default = new();
}

/// <summary>Reads for views, the API and the SVG; each takes the lock once and returns copies.</summary>
public sealed partial class ConnectivityStore
{
    /// <summary>
    /// <c>/api/v1/connectivity</c> and the <c>connectivity</c> topic: nodes, the cluster line, every node's own
    /// summary, the pairs and the latest events. Pairs are read row by row while they are enumerated (one lock per
    /// source row), so a 1,000-node matrix is never held whole; null when <paramref name="options"/> asks for none.
    /// </summary>
    public ConnectivityDto Snapshot(ConnectivitySnapshotOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var nodes = Nodes();
        var summary = Summary();
        var pairs = options.MaxNodesWithPairs is { } max && nodes.Count > max ? null : PairRows(nodes, options.From, options.To);
        return new ConnectivityDto(
            nodes.Select(n => n.Name).ToList(),
            new ConnectivitySummaryDto(summary.Line, summary.Reachable, summary.Nodes, summary.Reporting, summary.Pairs, summary.FailingPairs, summary.DegradedPairs, summary.EndpointOnlyPairs),
            nodes.Select(n => new MatrixNodeDto(n.Name, n.Polled, n.Reporting, n.Stale, n.ReadError, n.HostIp, n.EndpointIp, n.Reachable, n.Total, n.ListedBy, n.ReachableFrom,
                n.RoundTime, n.ProbeInterval, n.Issues)).ToList(),
            pairs,
            Events(options.Events).Select(e => new ConnectivityEventDto(e.At, e.From, e.To, e.Path.Slug(), e.Kind.ToString(), Ns(e.RttNs), Ns(e.BaselineNs), e.Error)).ToList());
    }

    /// <summary>Whether <paramref name="node"/> is a node of the matrix (a name to check <c>from</c> and <c>to</c> against).</summary>
    public bool Contains(string node)
    {
        lock (_gate)
        {
            return _index.ContainsKey(node);
        }
    }

    private IEnumerable<PairDto> PairRows(IReadOnlyList<MatrixNode> nodes, string? from, string? to)
    {
        foreach (var source in nodes.Where(n => n.Reporting && (from is null || n.Name == from)))
        {
            foreach (var peer in Row(source.Name).Where(p => to is null || p.Name == to))
            {
                yield return new PairDto(source.Name, peer.Name, peer.Reachable, source.Stale,
                    Paths(peer.HostIp, peer.Probes[0], peer.Probes[1]), Paths(peer.EndpointIp, peer.Probes[2], peer.Probes[3]));
            }
        }
    }

    private static ProbePathsDto Paths(string? ip, PeerProbe icmp, PeerProbe http) =>
        new(ip, Ns(icmp.RttNs), Ns(http.RttNs), icmp.Error, http.Error, icmp.State.ToString(), http.State.ToString(), icmp.Degraded, http.Degraded);

    /// <summary>Nanoseconds as the API sends them: rounded to whole ns.</summary>
    private static long? Ns(double? ns) => ns is { } value ? (long)Math.Round(value) : null;

    /// <summary>Every node of the matrix, sorted by name.</summary>
    public IReadOnlyList<MatrixNode> Nodes()
    {
        lock (_gate)
        {
            var (listedBy, reachableFrom) = Incoming();
            var nodes = new List<MatrixNode>(_index.Count);
            for (var i = 0; i < _slots.Count; i++)
            {
                if (_slots[i] is not { } s)
                {
                    continue;
                }

                var row = s.Row;
                nodes.Add(new MatrixNode(i, s.Name, s.Polled, row is not null, s.ReadError, row?.LastRead, row?.RoundTime, row?.ProbeInterval,
                    row?.Reachable ?? 0, row?.Total ?? 0, s.HostIp, s.EndpointIp, row?.Issues ?? [], listedBy[i], reachableFrom[i]));
            }

            nodes.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
            return nodes;
        }
    }

    public ClusterConnectivity Summary()
    {
        lock (_gate)
        {
            var (listedBy, reachableFrom) = Incoming();
            int nodes = 0, reachable = 0, reporting = 0, pairs = 0, failing = 0, degraded = 0, endpointOnly = 0;
            for (var i = 0; i < _slots.Count; i++)
            {
                if (_slots[i] is not { } s)
                {
                    continue;
                }

                nodes++;
                reachable += listedBy[i] > 0 && reachableFrom[i] == listedBy[i] ? 1 : 0;
                if (s.Row is not { } row)
                {
                    continue;
                }

                reporting++;
                for (var c = 0; c < _slots.Count && c * 4 < row.Cells.Length; c++)
                {
                    var cells = row.Cells.AsSpan(c * 4, 4);
                    if (!Listed(cells))
                    {
                        continue;
                    }

                    pairs++;
                    failing += PairFailing(cells) ? 1 : 0;
                    degraded += cells[0].Degraded || cells[1].Degraded || cells[2].Degraded || cells[3].Degraded ? 1 : 0;
                    endpointOnly += HostOk(cells) && (cells[2].State == ProbeState.Failed || cells[3].State == ProbeState.Failed) ? 1 : 0;
                }
            }

            return new ClusterConnectivity(nodes, reachable, reporting, pairs, failing, degraded, endpointOnly);
        }
    }

    /// <summary>The cells of a window of the matrix (indices from <see cref="Nodes"/>), for the chosen path.</summary>
    public CellView[,] Window(IReadOnlyList<int> rows, IReadOnlyList<int> cols, ProbePath path)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(cols);
        var view = new CellView[rows.Count, cols.Count];
        lock (_gate)
        {
            for (var r = 0; r < rows.Count; r++)
            {
                var source = rows[r] < _slots.Count ? _slots[rows[r]] : null;
                for (var c = 0; c < cols.Count; c++)
                {
                    view[r, c] = Classify(source, cols[c], path);
                }
            }
        }

        return view;
    }

    /// <summary>
    /// The overview at large sizes: nodes in <paramref name="order"/> grouped into consecutive blocks of
    /// <paramref name="block"/>; each block shows its worst cell.
    /// </summary>
    public BlockView[,] Blocks(IReadOnlyList<int> order, int block, ProbePath path)
    {
        ArgumentNullException.ThrowIfNull(order);
        ArgumentOutOfRangeException.ThrowIfLessThan(block, 1);
        var n = (order.Count + block - 1) / block;
        var view = new BlockView[n, n];
        lock (_gate)
        {
            for (var r = 0; r < order.Count; r++)
            {
                var source = _slots[order[r]];
                for (var c = 0; c < order.Count; c++)
                {
                    var cell = Classify(source, order[c], path);
                    ref var b = ref view[r / block, c / block];
                    var bad = cell.Kind is CellKind.Failed or CellKind.HostOkEndpointDown;
                    b = new BlockView(Rank(cell.Kind) > Rank(b.Worst) ? cell.Kind : b.Worst, Math.Max(b.MaxRttNs, cell.Kind is CellKind.Ok or CellKind.Degraded ? cell.RttNs : 0),
                        b.Failing + (bad ? 1 : 0), b.Cells + 1);
                }
            }
        }

        return view;
    }

    /// <summary>One pair's four paths with their history over the window, or null when either node is unknown.</summary>
    public PairDetail? Pair(string from, string to)
    {
        lock (_gate)
        {
            if (!_index.TryGetValue(from, out var f) || !_index.TryGetValue(to, out var t))
            {
                return null;
            }

            var source = _slots[f]!;
            var target = _slots[t]!;
            var paths = new List<PathDetail>(4);
            foreach (var path in ProbePaths.All)
            {
                var row = source.Row;
                var cell = row is not null && (t * 4) + 4 <= row.Cells.Length ? row.Cells[(t * 4) + (int)path] : default;
                var history = row is null ? [] : History(row, t, path);
                var rtts = history.Select(h => h.RttNs).OfType<double>().Order().ToList();
                paths.Add(new PathDetail(path, cell.State, cell.State is ProbeState.Ok or ProbeState.Invalid ? cell.RttNs : null, cell.Degraded,
                    cell.BaselineNs > 0 ? cell.BaselineNs : null, cell.State is ProbeState.Ok or ProbeState.Failed or ProbeState.Invalid ? row?.RoundTime - TimeSpan.FromSeconds(cell.ProbedAgo) : null,
                    cell.State is ProbeState.Failed or ProbeState.Invalid || (cell.Flags & CellFlags.SecondaryFailed) != 0 ? _errors.Text(cell.ErrorId) : null,
                    _errors.Text(cell.ErrorId), path.IsEndpoint() ? target.EndpointIp : target.HostIp, history, Percentile(rtts, 0.5), Percentile(rtts, 0.99)));
            }

            return new PairDetail(source.Name, target.Name, source.Row is not null && source.ReadError is not null, source.ReadError, paths);
        }
    }

    /// <summary>The destinations a node's own report lists, by name; empty when it never reported.</summary>
    public IReadOnlyList<PeerRow> Row(string from)
    {
        lock (_gate)
        {
            if (!_index.TryGetValue(from, out var f) || _slots[f]!.Row is not { } row)
            {
                return [];
            }

            var peers = new List<PeerRow>();
            for (var c = 0; c < _slots.Count && (c * 4) + 4 <= row.Cells.Length; c++)
            {
                var cells = row.Cells.AsSpan(c * 4, 4);
                if (_slots[c] is not { } target || !Listed(cells))
                {
                    continue;
                }

                var probes = new PeerProbe[4];
                for (var p = 0; p < 4; p++)
                {
                    var cell = cells[p];
                    var error = cell.State is ProbeState.Failed or ProbeState.Invalid || (cell.Flags & CellFlags.SecondaryFailed) != 0 ? _errors.Text(cell.ErrorId) : null;
                    probes[p] = new PeerProbe(cell.State, cell.State == ProbeState.Ok ? cell.RttNs : null, cell.Degraded, error);
                }

                peers.Add(new PeerRow(target.Name, target.HostIp, target.EndpointIp, probes));
            }

            peers.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
            return peers;
        }
    }

    public string? ErrorText(ushort id)
    {
        lock (_gate)
        {
            return _errors.Text(id);
        }
    }

    /// <summary>The latest events, newest first.</summary>
    public IReadOnlyList<DegradationEvent> Events(int max = 100)
    {
        lock (_gate)
        {
            var count = (int)Math.Min(Math.Min(_eventCount, _events.Length), max);
            var list = new List<DegradationEvent>(count);
            for (var i = 1; i <= count; i++)
            {
                list.Add(_events[(_eventHead - i + _events.Length) % _events.Length]!);
            }

            return list;
        }
    }

    /// <summary>Samples of one pair and path inside the window, oldest first.</summary>
    private List<RttSample> History(MatrixRow row, int to, ProbePath path)
    {
        var since = Seconds(Time.GetUtcNow() - _options.HistoryWindow);
        var list = new List<RttSample>(Slots);
        for (var i = 0; i < Slots; i++)
        {
            var slot = (row.Head + i) % Slots;
            var at = row.SampleTimes[slot];
            var offset = (slot * row.Stride) + (to * 4) + (int)path;
            if (at != 0 && at >= since && offset < row.History.Length && row.History[offset] != RttCodec.None)
            {
                list.Add(new RttSample(FromSeconds(at)!.Value, row.History[offset]));
            }
        }

        return list;
    }

    private static CellView Classify(NodeSlot? source, int to, ProbePath path)
    {
        if (source?.Row is not { } row || (to * 4) + 4 > row.Cells.Length)
        {
            return new CellView(CellKind.NoData, 0, 0, false, false);
        }

        var cells = row.Cells.AsSpan(to * 4, 4);
        var cell = cells[(int)path];
        var kind = cell.State switch
        {
            ProbeState.NotListed => CellKind.NotListed,
            ProbeState.NotProbed => CellKind.NotProbed,
            ProbeState.Invalid => CellKind.Invalid,
            ProbeState.Ok => cell.Degraded ? CellKind.Degraded : CellKind.Ok,
            ProbeState.Failed => path.IsEndpoint() && HostOk(cells) ? CellKind.HostOkEndpointDown : CellKind.Failed,
            _ => CellKind.NoData,
        };
        return new CellView(kind, cell.RttNs, cell.ErrorId, kind is not (CellKind.Failed or CellKind.HostOkEndpointDown) && PairFailing(cells), source.ReadError is not null);
    }

    /// <summary>Per node: how many reports list it, and how many of those find it reachable.</summary>
    private (int[] ListedBy, int[] ReachableFrom) Incoming()
    {
        var listedBy = new int[_slots.Count];
        var reachableFrom = new int[_slots.Count];
        foreach (var slot in _slots)
        {
            if (slot?.Row is not { } row)
            {
                continue;
            }

            for (var c = 0; c < _slots.Count && (c * 4) + 4 <= row.Cells.Length; c++)
            {
                var cells = row.Cells.AsSpan(c * 4, 4);
                if (Listed(cells))
                {
                    listedBy[c]++;
                    reachableFrom[c] += PairFailing(cells) ? 0 : 1;
                }
            }
        }

        return (listedBy, reachableFrom);
    }

    private static bool Listed(ReadOnlySpan<ProbeCell> cells) => cells[0].State is not (ProbeState.NoData or ProbeState.NotListed);

    private static bool PairFailing(ReadOnlySpan<ProbeCell> cells)
    {
        foreach (var c in cells)
        {
            if (c.State == ProbeState.Failed || (c.Flags & CellFlags.SecondaryFailed) != 0)
            {
                return true;
            }
        }

        return false;
    }

    private static bool HostOk(ReadOnlySpan<ProbeCell> cells) => cells[0].State == ProbeState.Ok && cells[1].State == ProbeState.Ok;

    /// <summary>Which kind wins a block: failures first, then degraded and invalid, then unknowns, OK last.</summary>
    private static int Rank(CellKind kind) => kind switch
    {
        CellKind.Failed => 7,
        CellKind.HostOkEndpointDown => 6,
        CellKind.Degraded => 5,
        CellKind.Invalid => 4,
        CellKind.NotProbed => 3,
        CellKind.NotListed => 2,
        CellKind.Ok => 1,
        _ => 0,
    };

    private static double? Percentile(List<double> sorted, double q) =>
        sorted.Count == 0 ? null : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)];
}
