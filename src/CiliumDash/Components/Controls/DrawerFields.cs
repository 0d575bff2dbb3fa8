using System.Globalization;

namespace CiliumDash.Components.Controls;

/// <summary>
/// One row of the flow drawer's field table: a field and its value, or (<see cref="HiddenItems"/> &gt; 0) the line
/// that stands for the items of list <see cref="Field"/> not shown yet.
/// </summary>
public readonly record struct DrawerRow(string Field, string Value, int HiddenItems = 0, int TotalItems = 0)
{
    public bool IsMore => HiddenItems > 0;
}

/// <summary>
/// Which of a flow's flattened fields the drawer shows at first. A flow may carry thousands of labels (nothing in Hubble
/// bounds them); every field is shown, but of each list (<c>source.labels[i]</c>, <c>egress_allowed_by[i].name</c>)
/// only the first <see cref="ListLimit"/> items until the reader asks for all, so the drawer opens at once.
/// </summary>
public static class DrawerFields
{
    public const int ListLimit = 100;

    public static IReadOnlyList<DrawerRow> Rows(IReadOnlyList<KeyValuePair<string, string>> fields, bool all)
    {
        ArgumentNullException.ThrowIfNull(fields);
        if (all)
        {
            return fields.Select(f => new DrawerRow(f.Key, f.Value)).ToList();
        }

        // Items per list, so the "more" line can say how many there are in all.
        var items = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (field, _) in fields)
        {
            if (ListItem(field) is ({ } list, var index))
            {
                items[list] = Math.Max(items.GetValueOrDefault(list), index + 1);
            }
        }

        var rows = new List<DrawerRow>(Math.Min(fields.Count, 512));
        var announced = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (field, value) in fields)
        {
            if (ListItem(field) is ({ } list, var index) && index >= ListLimit)
            {
                if (announced.Add(list))
                {
                    rows.Add(new DrawerRow(list, "", items[list] - ListLimit, items[list]));
                }

                continue;
            }

            rows.Add(new DrawerRow(field, value));
        }

        return rows;
    }

    /// <summary>
    /// The fields under one part of the flow (<c>l7</c>, <c>l4</c>) as (path below it, value), whatever the JSON's
    /// spelling of the names (snake_case or camelCase).
    /// </summary>
    public static IReadOnlyList<DrawerRow> Under(IReadOnlyList<KeyValuePair<string, string>> fields, string prefix, int limit = 40)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var p = Normalize(prefix) + ".";
        return fields.Where(f => Normalize(f.Key).StartsWith(p, StringComparison.Ordinal))
            .Take(limit).Select(f => new DrawerRow(f.Key[(f.Key.IndexOf('.', StringComparison.Ordinal) + 1)..], f.Value)).ToList();
    }

    /// <summary>The names of the policies that allowed or denied the flow: (which list, name) for each, in order.</summary>
    public static IReadOnlyList<(string List, string Name)> Policies(IReadOnlyList<KeyValuePair<string, string>> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var result = new List<(string, string)>();
        foreach (var (key, value) in fields)
        {
            var n = Normalize(key);
            var open = n.IndexOf('[', StringComparison.Ordinal);
            if (open > 0 && (n.EndsWith("].name", StringComparison.Ordinal)) && n[..open] is var list
                && (list.EndsWith("allowedby", StringComparison.Ordinal) || list.EndsWith("deniedby", StringComparison.Ordinal)) && result.Count < 50)
            {
                result.Add((key[..key.IndexOf('[', StringComparison.Ordinal)], value));
            }
        }

        return result;
    }

    /// <summary>One field's value by its path, whatever its spelling; null if absent.</summary>
    public static string? Value(IReadOnlyList<KeyValuePair<string, string>> fields, string path)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var p = Normalize(path);
        foreach (var (key, value) in fields)
        {
            if (Normalize(key) == p)
            {
                return value;
            }
        }

        return null;
    }

    // egress_allowed_by and egressAllowedBy are the same field.
    private static string Normalize(string path) => path.Replace("_", "", StringComparison.Ordinal).ToLowerInvariant();

    /// <summary>Whether any list is cut in the first view (so the drawer offers "show all").</summary>
    public static bool AnyHidden(IReadOnlyList<DrawerRow> rows) => rows.Any(r => r.IsMore);

    /// <summary>The outermost list a flattened path belongs to, e.g. <c>source.labels[12]</c> → (source.labels, 12).</summary>
    private static (string? List, int Index) ListItem(string path)
    {
        var open = path.IndexOf('[', StringComparison.Ordinal);
        if (open <= 0)
        {
            return (null, 0);
        }

        var close = path.IndexOf(']', open);
        return close > open && int.TryParse(path.AsSpan(open + 1, close - open - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            ? (path[..open], index)
            : (null, 0);
    }
}
