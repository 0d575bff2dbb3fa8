namespace CiliumDash.Connectivity;

/// <summary>How one peer's report finds a node: which half of the probes fails, or slower than its baseline.</summary>
public enum PeerVerdict : byte
{
    /// <summary>Host and health endpoint both fail.</summary>
    Down,

    /// <summary>The host answers, the health endpoint does not (the seed's EC2 case).</summary>
    EndpointDown,

    /// <summary>The health endpoint answers, the host does not.</summary>
    HostDown,

    /// <summary>Reachable, but an RTT is above k × the pair's baseline.</summary>
    Degraded,
}

/// <summary>One peer that does not find a node fine, with the first failing (or slow) path of its report.</summary>
public sealed record PeerReport(string From, PeerVerdict Verdict, ProbePath Path, string? Error, double? RttNs, double? BaselineNs);

/// <summary>
/// What the other nodes' reports say about one node: <see cref="Peers"/> reports list it with a probe result, the
/// counts say how many find it down, endpoint-down, host-down or slow, and <see cref="Reports"/> holds up to
/// <see cref="ConnectivityStore.MaxPeerReports"/> of those peers by name.
/// </summary>
public sealed record NodeReachability(string Name, bool Reporting, string? ReadError, int Peers, int Down, int EndpointDown, int HostDown, int Degraded, IReadOnlyList<PeerReport> Reports);

public sealed partial class ConnectivityStore
{
    /// <summary>Peer reports kept per node by <see cref="Reachability"/>; the counts are always complete.</summary>
    public const int MaxPeerReports = 50;

    /// <summary>
    /// Every node as its peers see it (its own report's view of itself left out), in one pass over the matrix under
    /// the lock: the diagnosis of "n of m peers cannot reach this node's health endpoint".
    /// </summary>
    public IReadOnlyList<NodeReachability> Reachability()
    {
        lock (_gate)
        {
            var count = _slots.Count;
            var peers = new int[count];
            var tallies = new int[count, 4];
            var reports = new List<PeerReport>?[count];
            for (var from = 0; from < count; from++)
            {
                if (_slots[from]?.Row is not { } row)
                {
                    continue;
                }

                for (var to = 0; to < count && (to * 4) + 4 <= row.Cells.Length; to++)
                {
                    if (to == from || _slots[to] is null)
                    {
                        continue;
                    }

                    var cells = row.Cells.AsSpan(to * 4, 4);
                    if (!Measured(cells))
                    {
                        continue;
                    }

                    peers[to]++;
                    if (Judge(cells) is not { } verdict)
                    {
                        continue;
                    }

                    tallies[to, (int)verdict.Verdict]++;
                    var list = reports[to] ??= [];
                    if (list.Count < MaxPeerReports)
                    {
                        var cell = cells[(int)verdict.Path];
                        list.Add(new PeerReport(_slots[from]!.Name, verdict.Verdict, verdict.Path,
                            verdict.Verdict == PeerVerdict.Degraded ? null : _errors.Text(cell.ErrorId),
                            cell.State == ProbeState.Ok ? cell.RttNs : null, cell.BaselineNs > 0 ? cell.BaselineNs : null));
                    }
                }
            }

            var nodes = new List<NodeReachability>(_index.Count);
            for (var i = 0; i < count; i++)
            {
                if (_slots[i] is { } s)
                {
                    nodes.Add(new NodeReachability(s.Name, s.Row is not null, s.ReadError, peers[i], tallies[i, 0], tallies[i, 1], tallies[i, 2], tallies[i, 3],
                        (IReadOnlyList<PeerReport>?)reports[i] ?? []));
                }
            }

            nodes.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
            return nodes;
        }
    }

    /// <summary>Listed, and at least one path has a result (not-probed-yet is unknown, not a verdict).</summary>
    private static bool Measured(ReadOnlySpan<ProbeCell> cells)
    {
        foreach (var c in cells)
        {
            if (c.State is ProbeState.Ok or ProbeState.Failed)
            {
                return true;
            }
        }

        return false;
    }

    private static (PeerVerdict Verdict, ProbePath Path)? Judge(ReadOnlySpan<ProbeCell> cells)
    {
        var host = FirstFailed(cells, 0);
        var endpoint = FirstFailed(cells, 2);
        if (host >= 0 && endpoint >= 0)
        {
            return (PeerVerdict.Down, (ProbePath)host);
        }

        if (endpoint >= 0)
        {
            return (PeerVerdict.EndpointDown, (ProbePath)endpoint);
        }

        if (host >= 0)
        {
            return (PeerVerdict.HostDown, (ProbePath)host);
        }

        for (var p = 0; p < 4; p++)
        {
            if (cells[p].Degraded)
            {
                return (PeerVerdict.Degraded, (ProbePath)p);
            }
        }

        return null;
    }

    private static int FirstFailed(ReadOnlySpan<ProbeCell> cells, int first)
    {
        for (var p = first; p < first + 2; p++)
        {
            if (cells[p].State == ProbeState.Failed || (cells[p].Flags & CellFlags.SecondaryFailed) != 0)
            {
                return p;
            }
        }

        return -1;
    }
}
