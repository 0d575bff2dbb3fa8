using CiliumDash.Agents;

namespace CiliumDash.Findings.Rules;

/// <summary>
/// Datapath settings that differ from what most nodes run (the drift table), one finding per node and setting.
/// Values a node's Cilium version does not report are not drift (the version difference is); map sizes that dynamic
/// sizing explains are not drift either.
/// </summary>
public static class DriftRules
{
    private const string NotReported = "not reported";
    private const string MapSizes = "BPF map sizes";

    public static IEnumerable<FindingDraft> Of(IReadOnlyList<NodeSnapshot> nodes)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        var table = Drift.Build(nodes);
        if (table.Rows.Count < 2)
        {
            yield break;
        }

        var byName = nodes.Where(n => n.Status is not null).ToDictionary(n => n.Name, StringComparer.Ordinal);
        var majorityNode = new Dictionary<int, NodeSnapshot>();
        foreach (var row in table.Rows)
        {
            for (var i = 0; i < row.Cells.Count; i++)
            {
                var cell = row.Cells[i];
                var majority = table.Majority[i];
                if (!cell.Differs || cell.Value == NotReported || majority == NotReported)
                {
                    continue;
                }

                var setting = table.Settings[i];
                var node = byName[row.Node];
                var evidence = new List<Evidence> { new($"cilium status on {row.Node}", $"{setting}: {cell.Value}") };
                string? map = null;
                if (setting == MapSizes)
                {
                    if (!majorityNode.TryGetValue(i, out var reference))
                    {
                        reference = table.Rows.Where(r => r.Cells[i].Value == majority).Select(r => byName[r.Node]).First();
                        majorityNode[i] = reference;
                    }

                    var differing = DynamicMapSizing.Unexplained(node.Status!.BpfMaps!, reference.Status!.BpfMaps!, node.MemoryBytes, reference.MemoryBytes);
                    if (differing.Count == 0)
                    {
                        continue;
                    }

                    map = differing[0].Map;
                    evidence = differing.Take(5).Select(d => new Evidence($"cilium status on {row.Node} and {reference.Name}",
                        $"{d.Map}: {Size(d.Size)} here, {Size(d.Other)} on {reference.Name}")).ToList();
                    if (node.MemoryBytes is { } memory && node.Status.BpfMaps!.DynamicSizeRatio is { } ratio and > 0
                        && !DynamicMapSizing.FollowsMemory(node.Status.BpfMaps, memory))
                    {
                        var expected = string.Join(", ", node.Status.BpfMaps.Maps
                            .Select(m => (m.Name, Size: DynamicMapSizing.Expected(m.Name, memory, ratio)))
                            .Where(m => m.Size is not null).Take(3).Select(m => $"{m.Name} {Size(m.Size)}"));
                        evidence.Add(new Evidence($"Kubernetes Node {row.Node} status.capacity.memory",
                            $"these sizes do not follow dynamic sizing: {DynamicMapSizing.Memory(memory)} × {ratio.ToString("0.######", System.Globalization.CultureInfo.InvariantCulture)} gives {expected}; a size set explicitly (e.g. bpf-ct-global-tcp-max) overrides it"));
                    }
                    else if (!DynamicMapSizing.Follows(node.Status.BpfMaps!, out _) && node.Status.BpfMaps!.DynamicSizeRatio is > 0)
                    {
                        evidence.Add(new Evidence($"cilium status on {row.Node}", "these sizes do not follow dynamic sizing: a size set explicitly (e.g. bpf-ct-global-tcp-max) overrides it"));
                    }
                }
                else
                {
                    evidence.Add(new Evidence("most nodes", $"{setting}: {majority} ({table.Rows.Count(r => r.Cells[i].Value == majority)} of {table.Rows.Count})"));
                }

                yield return new FindingDraft(FindingSeverity.Warning, FindingKinds.Drift, new FindingSubject { Node = row.Node, Component = setting, Map = map },
                    $"{setting} on {row.Node} differs from most nodes: {Short(cell.Value)} (most: {Short(majority)})", evidence);
            }
        }
    }

    private static string Size(long? size) => size is { } s ? s.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) : "absent";

    private static string Short(string value) => value.Length > 60 ? value[..57] + "..." : value;
}
