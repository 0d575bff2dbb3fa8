namespace CiliumDash.Agents;

/// <summary>The fill levels of one node's maps over the reads the dashboard has seen: x in Unix seconds, oldest first,
/// one value per read for each map (null where a read did not list the map).</summary>
public sealed record MapFillSeries(IReadOnlyList<long> Seconds, IReadOnlyList<(string Map, IReadOnlyList<double?> Fill)> Maps)
{
    public static readonly MapFillSeries Empty = new([], []);
}

/// <summary>
/// The map fill levels (cilium_bpf_map_pressure) each node reported, in memory, one entry per metrics read: the node
/// page draws them as a chart. Bounded per node (<see cref="Capacity"/> reads, the oldest dropped) and forgotten with
/// the node, so memory stays flat at any cluster size; the durable record is the history store's.
/// </summary>
public sealed class MapFillTrail
{
    /// <summary>Reads kept per node: six hours at the default one-minute metrics interval.</summary>
    public const int Capacity = 360;

    private readonly Dictionary<string, Queue<MapPressure>> _byNode = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>Keeps the node's map pressure when it is a read not seen yet (every poll re-applies the last one).</summary>
    public void Observe(NodeSnapshot node)
    {
        if (node.MapPressure is not { } pressure)
        {
            return;
        }

        lock (_gate)
        {
            if (!_byNode.TryGetValue(node.Name, out var reads))
            {
                _byNode[node.Name] = reads = new Queue<MapPressure>();
            }
            if (reads.Count > 0 && reads.Last().ReadAt >= pressure.ReadAt)
            {
                return;
            }
            reads.Enqueue(pressure);
            while (reads.Count > Capacity)
            {
                reads.Dequeue();
            }
        }
    }

    public void Forget(IReadOnlySet<string> keep)
    {
        lock (_gate)
        {
            foreach (var name in _byNode.Keys.Where(n => !keep.Contains(n)).ToList())
            {
                _byNode.Remove(name);
            }
        }
    }

    /// <summary>The node's trail, the <paramref name="maxMaps"/> fullest maps of the latest read first.</summary>
    public MapFillSeries For(string node, int maxMaps)
    {
        MapPressure[] reads;
        lock (_gate)
        {
            if (!_byNode.TryGetValue(node, out var queue) || queue.Count == 0)
            {
                return MapFillSeries.Empty;
            }
            reads = [.. queue];
        }

        var latest = reads[^1];
        var names = latest.Maps.Where(m => double.IsFinite(m.Ratio)).OrderByDescending(m => m.Ratio).ThenBy(m => m.MapName, StringComparer.Ordinal)
            .Select(m => m.MapName).Distinct(StringComparer.Ordinal).Take(maxMaps).ToList();
        var maps = names.Select(name => (name, (IReadOnlyList<double?>)reads.Select(r => Fill(r, name)).ToList())).ToList();
        return new MapFillSeries(reads.Select(r => r.ReadAt.ToUnixTimeSeconds()).ToList(), maps);
    }

    private static double? Fill(MapPressure read, string map)
    {
        foreach (var (name, ratio) in read.Maps)
        {
            if (name == map && double.IsFinite(ratio))
            {
                return ratio;
            }
        }
        return null;
    }
}
