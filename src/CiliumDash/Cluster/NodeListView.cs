using CiliumDash.Contract;
using CiliumDash.Shared;

namespace CiliumDash.Cluster;

/// <summary>
/// The nodes page's view of the node rows, as its URL spells it (<c>?q=</c>, <c>sort=</c>, <c>dir=</c>,
/// <c>severity=</c>), so a shared link reproduces the view. Without <c>sort</c> the rows keep the order they came in
/// (worst findings first, from <see cref="ClusterReadModel.NodeRows"/>); names always sort with <see cref="NaturalOrder"/>.
/// Unknown values fall back to the default instead of failing: a stale bookmark still shows every node.
/// </summary>
public sealed record NodeListView(string? Search, string? Sort, bool Descending, string? Severity)
{
    /// <summary>The sortable columns, in the table's order.</summary>
    public static readonly IReadOnlyList<string> Columns = ["name", "state", "cilium", "kpr", "controllers", "health", "pod", "read", "problems"];

    /// <summary>The severity filter's values: the findings' spellings plus "none" for nodes without findings.</summary>
    public static readonly IReadOnlyList<string> Severities = ["critical", "warning", "info", "none"];

    public static NodeListView From(string? q, string? sort, string? dir, string? severity) => new(
        string.IsNullOrWhiteSpace(q) ? null : q.Trim(),
        sort is not null && Columns.Contains(sort, StringComparer.Ordinal) ? sort : null,
        string.Equals(dir, "desc", StringComparison.Ordinal),
        severity is not null && Severities.Contains(severity, StringComparer.Ordinal) ? severity : null);

    /// <summary>The rows this view shows: filtered by search (name, agent pod, version; any case) and severity, then sorted.</summary>
    public IReadOnlyList<NodeRowDto> Apply(IReadOnlyList<NodeRowDto> rows)
    {
        IEnumerable<NodeRowDto> shown = rows;
        if (Search is { } q)
        {
            shown = shown.Where(r => Contains(r.Name, q) || Contains(r.AgentPod, q) || Contains(r.CiliumVersion, q));
        }
        if (Severity is { } s)
        {
            shown = shown.Where(r => string.Equals(r.Severity ?? "none", s, StringComparison.Ordinal));
        }
        if (Sort is null)
        {
            return shown.ToList();
        }

        var sorted = Sort switch
        {
            "state" => By(shown, r => r.State, StringComparer.Ordinal),
            "cilium" => By(shown, r => r.CiliumVersion ?? "", NaturalOrder.Instance),
            "kpr" => By(shown, r => r.KubeProxyReplacementMode ?? "", StringComparer.Ordinal),
            "controllers" => By(shown, r => r.Controllers.Reported ? r.Controllers.Failing : -1, Comparer<int>.Default),
            "health" => By(shown, r => r.Health is { Total: > 0 } h ? (double)h.Reachable / h.Total : -1, Comparer<double>.Default),
            "pod" => By(shown, r => r.AgentPod ?? "", NaturalOrder.Instance),
            "read" => By(shown, r => r.LastUpdated ?? DateTimeOffset.MinValue, Comparer<DateTimeOffset>.Default),
            "problems" => By(shown, r => (SeverityRank(r.Severity), -r.Problems), Comparer<(int, int)>.Default),
            _ => By(shown, r => r.Name, NaturalOrder.Instance),
        };
        // Ties keep a stable, readable order: by name, always ascending.
        return sorted.ThenBy(r => r.Name, NaturalOrder.Instance).ToList();
    }

    private IOrderedEnumerable<NodeRowDto> By<TKey>(IEnumerable<NodeRowDto> rows, Func<NodeRowDto, TKey> key, IComparer<TKey> comparer) =>
        Descending ? rows.OrderByDescending(key, comparer) : rows.OrderBy(key, comparer);

    // Worst first when ascending, matching the default order; a node without findings comes last.
    private static int SeverityRank(string? severity) => severity is null ? Severities.Count : Math.Max(0, IndexOf(severity));

    private static int IndexOf(string severity)
    {
        for (var i = 0; i < Severities.Count; i++)
        {
            if (string.Equals(Severities[i], severity, StringComparison.Ordinal))
            {
                return i;
            }
        }
        return Severities.Count;
    }

    private static bool Contains(string? value, string q) => value is not null && value.Contains(q, StringComparison.OrdinalIgnoreCase);
}
