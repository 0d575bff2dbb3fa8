using System.Globalization;
using System.Runtime.CompilerServices;
using CiliumDash.Agents;
using CiliumDash.Findings.Rules;

namespace CiliumDash.Findings;

/// <summary>A node's value for a datapath setting, and whether it differs from what most nodes have.</summary>
public sealed record DriftCell(string Value, bool Differs);

public sealed record DriftRow(string Node, IReadOnlyList<DriftCell> Cells);

/// <summary>Nodes × datapath settings, answering "why does only node X behave differently?".</summary>
public sealed record DriftTable(IReadOnlyList<string> Settings, IReadOnlyList<string> Majority, IReadOnlyList<DriftRow> Rows)
{
    public int DifferingNodes => Rows.Count(r => r.Cells.Any(c => c.Differs));
}

public static class Drift
{
    /// <summary>The compared settings, in table order; the findings engine reads the same list.</summary>
    internal static readonly (string Name, Func<AgentStatus, string?> Read)[] Settings =
    [
        ("Cilium version", s => s.Version),
        ("KPR mode", s => s.KubeProxyReplacement?.Mode),
        ("Socket LB", s => OnOff(s.KubeProxyReplacement?.SocketLb)),
        ("NodePort mode", s => s.KubeProxyReplacement?.NodePortMode),
        ("DSR dispatch", s => s.KubeProxyReplacement?.DsrMode),
        ("Backend selection", s => s.KubeProxyReplacement?.BackendSelection),
        ("Maglev table size", s => s.KubeProxyReplacement?.MaglevTableSize?.ToString(CultureInfo.InvariantCulture)),
        ("XDP acceleration", s => s.KubeProxyReplacement is { } k ? Xdp(k.Acceleration) : null),
        ("Host routing", s => s.Routing?.IntraHost),
        ("Routing network", s => s.Routing is { FromLegacyHostRouting: false } r ? r.InterHost + (r.TunnelProtocol is { Length: > 0 } t ? $" [{t}]" : "") : null),
        ("Masquerading", s => s.Masquerading is { } m ? m.Enabled == true ? m.Mode ?? "Enabled" : "Disabled" : null),
        ("IPAM pool", s => s.Ipam?.Summary is { } sum && sum.LastIndexOf('/') is > 0 and var i ? sum[i..].Split(',')[0].Trim() : null),
        ("Encryption", s => s.Encryption?.Mode),
        ("Host firewall", s => s.HostFirewall?.Mode),
        ("BPF map sizes", s => s.BpfMaps is { } b ? DynamicMapSizing.Fingerprint(b) : null),
    ];

    /// <summary>
    /// Each status document's values, computed once: a document is immutable and replaced on every poll, and the
    /// findings engine builds the table after every change of the stores.
    /// </summary>
    private static readonly ConditionalWeakTable<AgentStatus, string[]> Values = new();

    public static DriftTable Build(IReadOnlyList<NodeSnapshot> nodes)
    {
        var withStatus = nodes.Where(n => n.Status is not null).ToList();
        var values = withStatus.Select(n => WithMemory(n, Values.GetValue(n.Status!, static s => Settings.Select(x => x.Read(s) ?? "not reported").ToArray()))).ToList();
        var majority = Settings.Select((_, i) => values.GroupBy(v => v[i], StringComparer.Ordinal)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Select(g => g.Key).FirstOrDefault() ?? "").ToList();
        var rows = withStatus.Select((n, r) => new DriftRow(n.Name,
                values[r].Select((v, i) => new DriftCell(v, !string.Equals(v, majority[i], StringComparison.Ordinal))).ToList()))
            .OrderBy(r => r.Cells.Any(c => c.Differs) ? 0 : 1).ThenBy(r => r.Node, StringComparer.Ordinal)
            .ToList();
        return new DriftTable(Settings.Select(s => s.Name).ToList(), majority, rows);
    }

    /// <summary>The map sizes judged against the node's memory when it is known (the cached values know only the document).</summary>
    private static string[] WithMemory(NodeSnapshot node, string[] values)
    {
        if (node.MemoryBytes is not { } memory || node.Status?.BpfMaps is not { } maps)
        {
            return values;
        }

        var copy = (string[])values.Clone();
        copy[^1] = DynamicMapSizing.Fingerprint(maps, memory);
        return copy;
    }

    /// <summary>
    /// Maps whose configured size differs between nodes, with each size's nodes. Sizes of dynamically sized maps on
    /// nodes whose sizes follow the ratio and their memory are not differences (see <see cref="DynamicMapSizing"/>).
    /// </summary>
    public static IReadOnlyList<(string Map, IReadOnlyList<(long Size, IReadOnlyList<string> Nodes)> Sizes)> MapSizeDifferences(IReadOnlyList<NodeSnapshot> nodes)
    {
        var withMaps = nodes.Where(n => n.Status?.BpfMaps is not null).ToList();
        var ratios = withMaps.Select(n => n.Status!.BpfMaps!.DynamicSizeRatio).Distinct().Count();
        var dynamic = ratios == 1 && withMaps.All(n => DynamicMapSizing.Explains(n.Status!.BpfMaps!, n.MemoryBytes));
        return withMaps
            .SelectMany(n => n.Status!.BpfMaps!.Maps.Where(m => !(dynamic && DynamicMapSizing.IsDynamic(m.Name))).Select(m => (m.Name, m.Size, n.Name)))
            .GroupBy(x => x.Item1, StringComparer.Ordinal)
            .Select(g => (Map: g.Key, Sizes: (IReadOnlyList<(long, IReadOnlyList<string>)>)g.GroupBy(x => x.Size)
                .Select(s => (s.Key, (IReadOnlyList<string>)s.Select(x => x.Item3).Order(StringComparer.Ordinal).ToList())).ToList()))
            .Where(x => x.Sizes.Count > 1)
            .OrderBy(x => x.Map, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>
    /// The XDP acceleration mode in one spelling for the node page and the drift table: the agent says <c>None</c>
    /// (or nothing) when it is off, which reads "Disabled", as <c>cilium status --verbose</c> prints it.
    /// </summary>
    public static string Xdp(string? acceleration) => acceleration is null or "" or "None" or "none" or "Disabled" or "disabled" ? "Disabled" : acceleration;

    private static string? OnOff(bool? value) => value switch { true => "Enabled", false => "Disabled", null => null };
}
