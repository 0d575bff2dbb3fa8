using CiliumDash.Agents;

namespace CiliumDash.Findings.Forecasts;

/// <summary>
/// The recent fill samples of every node's BPF maps, in memory: one sample per agent metrics read (a new
/// <see cref="MapPressure.ReadAt"/>), the last <see cref="Capacity"/> per map and none older than <see cref="Window"/>.
/// Nodes and maps that disappear are dropped. Called from the findings derivation only (one thread at a time).
/// </summary>
public sealed class MapFillHistory
{
    public const int Capacity = 64;

    public static readonly TimeSpan Window = TimeSpan.FromHours(6);

    private readonly Dictionary<(string Node, string Map), List<FillSample>> _samples = [];

    public int Series => _samples.Count;

    public void Observe(IReadOnlyList<NodeSnapshot> nodes, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        var seen = new HashSet<(string, string)>();
        foreach (var node in nodes)
        {
            if (node.MapPressure is not { } pressure)
            {
                continue;
            }

            foreach (var (map, ratio) in pressure.Maps)
            {
                var key = (node.Name, map);
                seen.Add(key);
                if (!_samples.TryGetValue(key, out var list))
                {
                    _samples[key] = list = [];
                }

                if (list.Count == 0 || list[^1].At < pressure.ReadAt)
                {
                    list.Add(new FillSample(pressure.ReadAt, ratio));
                }

                var drop = list.Count - Capacity;
                var old = list.FindIndex(s => now - s.At <= Window);
                drop = Math.Max(drop, old < 0 ? list.Count : old);
                if (drop > 0)
                {
                    list.RemoveRange(0, drop);
                }
            }
        }

        foreach (var key in _samples.Keys.Where(k => !seen.Contains(k)).ToList())
        {
            _samples.Remove(key);
        }
    }

    /// <summary>The forecast of every map with samples, in node then map order.</summary>
    public IReadOnlyList<MapForecast> Forecasts() =>
        _samples.Where(s => s.Value.Count > 0)
            .OrderBy(s => s.Key.Node, StringComparer.Ordinal).ThenBy(s => s.Key.Map, StringComparer.Ordinal)
            .Select(s => LinearFillForecast.Of(s.Key.Node, s.Key.Map, s.Value))
            .ToList();
}
