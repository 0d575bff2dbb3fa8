using CiliumDash.Tests.Deploy;

namespace CiliumDash.Tests.Metrics;

/// <summary>One row of the metrics table in docs/metrics.md.</summary>
internal sealed record DocumentedMetric(string Name, string Type, IReadOnlySet<string> Labels, int WorstCase);

/// <summary>The table of docs/metrics.md, read as the contract the exported series are checked against.</summary>
internal static class MetricsTable
{
    public static IReadOnlyDictionary<string, DocumentedMetric> Read()
    {
        var rows = new Dictionary<string, DocumentedMetric>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(Path.Combine(RepoPaths.Root, "docs", "metrics.md")))
        {
            if (!line.StartsWith("| `ciliumdash_", StringComparison.Ordinal))
            {
                continue;
            }

            var cells = line.Split('|').Select(c => c.Trim()).ToArray();
            var name = cells[1].Trim('`');
            var labels = cells[3].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
            rows.Add(name, new DocumentedMetric(name, cells[2], labels, int.Parse(cells[4].Replace(",", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture)));
        }

        return rows;
    }

    /// <summary>The family a sample belongs to: a histogram's _bucket/_sum/_count belong to the histogram.</summary>
    public static string Family(string sample, IReadOnlyDictionary<string, DocumentedMetric> table)
    {
        foreach (var suffix in new[] { "_bucket", "_sum", "_count" })
        {
            if (sample.EndsWith(suffix, StringComparison.Ordinal) && table.TryGetValue(sample[..^suffix.Length], out var h) && h.Type == "histogram")
            {
                return h.Name;
            }
        }

        return sample;
    }
}
