using System.Globalization;
using CiliumDash.Agents;

namespace CiliumDash.Findings.Rules;

/// <summary>BPF map fill level (<c>cilium_bpf_map_pressure</c>): a full map refuses new entries, e.g. new connections.</summary>
public static class MapRules
{
    /// <summary>At this fill level a map is a warning (<see cref="MapPressure.High"/>, 80 %).</summary>
    public const double Warning = MapPressure.High;

    public const double Critical = 0.95;

    /// <summary>The node's maps at or over 80 %, fullest first.</summary>
    public static IEnumerable<(string Map, double Ratio, FindingSeverity Severity)> Over(NodeSnapshot node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return (node.MapPressure?.Maps ?? [])
            .Where(m => m.Ratio >= Warning)
            .OrderByDescending(m => m.Ratio)
            .Select(m => (m.MapName, m.Ratio, m.Ratio >= Critical ? FindingSeverity.Critical : FindingSeverity.Warning));
    }

    public static IEnumerable<FindingDraft> Pressure(NodeSnapshot node)
    {
        foreach (var (map, ratio, severity) in Over(node))
        {
            var percent = double.IsFinite(ratio) ? (ratio * 100).ToString("0.#", CultureInfo.InvariantCulture) + " %" : ratio.ToString(CultureInfo.InvariantCulture);
            yield return new FindingDraft(severity, FindingKinds.MapPressure, new FindingSubject { Node = node.Name, Map = map },
                $"BPF map {map} on {node.Name} is {percent} full",
                [new Evidence($"cilium-dbg metrics list on {node.Name}", $"cilium_bpf_map_pressure{{map_name=\"{map}\"}} = {ratio.ToString("0.####", CultureInfo.InvariantCulture)} (read {node.MapPressure!.ReadAt:u})")]);
        }
    }
}
