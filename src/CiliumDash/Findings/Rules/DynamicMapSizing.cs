using CiliumDash.Agents;

namespace CiliumDash.Findings.Rules;

/// <summary>
/// Cilium's dynamic BPF map sizing (<c>bpf-map-dynamic-size-ratio</c>, 0.0025 by default): at start the agent gives
/// the connection tracking, NAT, neighbor and socket reverse-NAT maps a share of total memory × ratio, each in
/// proportion to its default size (TCP CT 512Ki, non-TCP CT 256Ki, NAT 512Ki, sock reverse NAT 256Ki; neighbor =
/// NAT), clamped to a per-map minimum (128Ki, 64Ki, 128Ki, 64Ki) and 16Mi. Nodes with different memory therefore get
/// different sizes, which is not drift. With the node's memory known (the Kubernetes Node's
/// <c>status.capacity.memory</c>, which kubelet reads from the same MemTotal the agent uses) the sizes are checked
/// against Cilium's formula: entries = default × ⌊memory × ratio⌋ ÷ (the bytes all maps take at their defaults, with
/// 94-byte CT and NAT, 24-byte neighbor and 52-byte sock reverse NAT elements). Without it, what can be checked is
/// that a node's sizes all follow one memory figure (a flag such as <c>bpf-ct-global-tcp-max</c> set on one node
/// breaks that).
/// </summary>
public static class DynamicMapSizing
{
    private const long Max = 1 << 24;

    /// <summary>Status names of the dynamically sized maps, with default and minimum entries and bytes per element.</summary>
    private static readonly Dictionary<string, (long Default, long Min, long ElementBytes)> Sized = new(StringComparer.OrdinalIgnoreCase)
    {
        ["TCP connection tracking"] = (1 << 19, 1 << 17, 94),
        ["Non-TCP connection tracking"] = (1 << 18, 1 << 16, 94),
        ["NAT"] = (1 << 19, 1 << 17, 94),
        ["Neighbor table"] = (1 << 19, 1 << 17, 24),
        ["Sock reverse NAT"] = (1 << 18, 1 << 16, 52),
    };

    /// <summary>What all dynamically sized maps take at their default sizes (149,422,080 bytes).</summary>
    private static readonly long DefaultBytes = Sized.Values.Sum(m => m.Default * m.ElementBytes);

    public static bool IsDynamic(string map) => Sized.ContainsKey(map);

    /// <summary>The entries Cilium's formula gives <paramref name="map"/> on a node with this memory; null for a map it does not size.</summary>
    public static long? Expected(string map, long memoryBytes, double ratio)
    {
        if (!Sized.TryGetValue(map, out var spec) || memoryBytes <= 0 || ratio is not (> 0 and <= 1))
        {
            return null;
        }

        var available = (long)(memoryBytes * ratio);
        var entries = (long)((System.Numerics.BigInteger)spec.Default * available / DefaultBytes);
        return Math.Clamp(entries, spec.Min, Max);
    }

    /// <summary>
    /// Whether every dynamically sized map has the size the formula gives this memory and the node's ratio. A margin
    /// of 0.5 % allows for the rounding to a multiple of the CPU count that a distributed LRU applies.
    /// </summary>
    public static bool FollowsMemory(BpfMapStatus maps, long memoryBytes)
    {
        ArgumentNullException.ThrowIfNull(maps);
        var any = false;
        foreach (var map in maps.Maps)
        {
            if (maps.DynamicSizeRatio is not { } ratio || Expected(map.Name, memoryBytes, ratio) is not { } expected)
            {
                if (IsDynamic(map.Name))
                {
                    return false;
                }

                continue;
            }

            any = true;
            if (Math.Abs(map.Size - expected) > Math.Max(1, expected / 200))
            {
                return false;
            }
        }

        return any;
    }

    /// <summary>
    /// The one answer to "do dynamic sizing and this node's memory explain its sizes": against the memory when it is
    /// known, else whether the sizes follow one memory figure at all.
    /// </summary>
    public static bool Explains(BpfMapStatus maps, long? memoryBytes) =>
        memoryBytes is { } memory ? FollowsMemory(maps, memory) : Follows(maps, out _);

    /// <summary>A memory figure as people read it, e.g. "15.6 GiB".</summary>
    public static string Memory(long bytes) =>
        (bytes / (double)(1L << 30)).ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) + " GiB";

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
    public static IReadOnlyList<(string Map, long? Size, long? Other)> Unexplained(BpfMapStatus node, BpfMapStatus other, long? nodeMemory = null, long? otherMemory = null)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(other);
        var explained = Explains(node, nodeMemory) && Explains(other, otherMemory) && node.DynamicSizeRatio == other.DynamicSizeRatio;
        var mine = node.Maps.GroupBy(m => m.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Size, StringComparer.Ordinal);
        var theirs = other.Maps.GroupBy(m => m.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Size, StringComparer.Ordinal);
        return mine.Keys.Union(theirs.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Select(name => (Map: name, Size: mine.TryGetValue(name, out var a) ? a : (long?)null, Other: theirs.TryGetValue(name, out var b) ? b : (long?)null))
            .Where(x => x.Size != x.Other && !(explained && IsDynamic(x.Map) && x.Size is not null && x.Other is not null))
            .ToList();
    }

    /// <summary>
    /// What the drift table compares: the fixed sizes in full, and for dynamic sizing only whether it holds (the same
    /// words with and without the memory, so that nodes of different memory read alike).
    /// </summary>
    public static string Fingerprint(BpfMapStatus maps, long? memoryBytes = null)
    {
        ArgumentNullException.ThrowIfNull(maps);
        var follows = Explains(maps, memoryBytes);
        var counted = maps.Maps.Where(m => !(follows && IsDynamic(m.Name))).ToList();
        var text = $"{maps.Maps.Count} maps, {counted.Sum(m => m.Size).ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} entries";
        return follows
            ? text + $" + dynamic sizing, ratio {maps.DynamicSizeRatio!.Value.ToString("0.######", System.Globalization.CultureInfo.InvariantCulture)} (sizes follow node memory)"
            : text;
    }
}
