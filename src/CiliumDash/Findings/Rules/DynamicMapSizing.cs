using CiliumDash.Agents;

namespace CiliumDash.Findings.Rules;

/// <summary>
/// Cilium's dynamic BPF map sizing (<c>bpf-map-dynamic-size-ratio</c>, 0.0025 by default): at start the agent gives
/// the connection tracking, NAT, neighbor and socket reverse-NAT maps a share of total memory × ratio, each in
/// proportion to its default size (TCP CT 512Ki, non-TCP CT 256Ki, NAT 512Ki, sock reverse NAT 256Ki; neighbor =
/// NAT), clamped to a per-map minimum (128Ki, 64Ki, 128Ki, 64Ki) and 16Mi. Nodes with different memory therefore get
/// different sizes, which is not drift. The dashboard does not know node memory, so it checks what it can: that a
/// node's sizes all follow one memory figure (a flag such as <c>bpf-ct-global-tcp-max</c> set on one node breaks
/// that), and it says that the memory itself is not known.
/// </summary>
public static class DynamicMapSizing
{
    private const long Max = 1 << 24;

    /// <summary>Status names of the dynamically sized maps, with default and minimum entries.</summary>
    private static readonly Dictionary<string, (long Default, long Min)> Sized = new(StringComparer.OrdinalIgnoreCase)
    {
        ["TCP connection tracking"] = (1 << 19, 1 << 17),
        ["Non-TCP connection tracking"] = (1 << 18, 1 << 16),
        ["NAT"] = (1 << 19, 1 << 17),
        ["Neighbor table"] = (1 << 19, 1 << 17),
        ["Sock reverse NAT"] = (1 << 18, 1 << 16),
    };

    public static bool IsDynamic(string map) => Sized.ContainsKey(map);

    /// <summary>
    /// Whether this node's dynamically sized maps all follow one memory figure under its ratio; <paramref name="scale"/>
    /// is that figure relative to the memory at which every map has its default size (null when all sit at a clamp).
    /// </summary>
    public static bool Follows(BpfMapStatus maps, out double? scale)
    {
        ArgumentNullException.ThrowIfNull(maps);
        scale = null;
        if (maps.DynamicSizeRatio is not (> 0 and <= 1))
        {
            return false;
        }

        // entries = floor(default × s), clamped: each unclamped map bounds s to [size, size + 1) ÷ default. Integer
        // rounding (and rounding to CPUs with a distributed LRU) is allowed for with a small margin.
        double low = 0, high = double.MaxValue;
        var any = false;
        foreach (var map in maps.Maps)
        {
            if (!Sized.TryGetValue(map.Name, out var spec))
            {
                continue;
            }

            any = true;
            if (map.Size == spec.Min)
            {
                high = Math.Min(high, (spec.Min + 1) * 1.002 / spec.Default);
            }
            else if (map.Size == Max)
            {
                low = Math.Max(low, Max * 0.998 / spec.Default);
            }
            else if (map.Size > spec.Min && map.Size < Max)
            {
                low = Math.Max(low, map.Size * 0.998 / spec.Default);
                high = Math.Min(high, (map.Size + 1) * 1.002 / spec.Default);
            }
            else
            {
                return false;
            }
        }

        if (!any || low > high)
        {
            return false;
        }

        scale = low > 0 && high < double.MaxValue ? (low + high) / 2 : null;
        return true;
    }

    /// <summary>The maps whose sizes differ between two nodes, leaving out what dynamic sizing explains.</summary>
    public static IReadOnlyList<(string Map, long? Size, long? Other)> Unexplained(BpfMapStatus node, BpfMapStatus other)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(other);
        var explained = Follows(node, out _) && Follows(other, out _) && node.DynamicSizeRatio == other.DynamicSizeRatio;
        var mine = node.Maps.GroupBy(m => m.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Size, StringComparer.Ordinal);
        var theirs = other.Maps.GroupBy(m => m.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Size, StringComparer.Ordinal);
        return mine.Keys.Union(theirs.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Select(name => (Map: name, Size: mine.TryGetValue(name, out var a) ? a : (long?)null, Other: theirs.TryGetValue(name, out var b) ? b : (long?)null))
            .Where(x => x.Size != x.Other && !(explained && IsDynamic(x.Map) && x.Size is not null && x.Other is not null))
            .ToList();
    }

    /// <summary>What the drift table compares: the fixed sizes in full, and for dynamic sizing only whether it holds.</summary>
    public static string Fingerprint(BpfMapStatus maps)
    {
        ArgumentNullException.ThrowIfNull(maps);
        var follows = Follows(maps, out _);
        var counted = maps.Maps.Where(m => !(follows && IsDynamic(m.Name))).ToList();
        var text = $"{maps.Maps.Count} maps, {counted.Sum(m => m.Size).ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} entries";
        return follows
            ? text + $" + dynamic sizing, ratio {maps.DynamicSizeRatio!.Value.ToString("0.######", System.Globalization.CultureInfo.InvariantCulture)} (sizes follow node memory; the memory itself is not known here)"
            : text;
    }
}
