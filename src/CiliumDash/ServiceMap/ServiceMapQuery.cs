using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.WebUtilities;

namespace CiliumDash.ServiceMap;

/// <summary>How the map groups its nodes.</summary>
public enum MapGrouping
{
    Workload,
    Namespace,
    Label,
}

/// <summary>
/// One view of the map, as in <c>/api/v1/service-map</c>'s query string and the <c>/map</c> page's URL:
/// <c>namespace</c> (repeated; a link is kept when either end is in one, as <c>hubble observe --namespace</c>),
/// <c>group-by</c> (<c>namespace</c>, <c>workload</c> or a label key such as <c>app.kubernetes.io/name</c>, also as
/// <c>label:KEY</c>), <c>hide</c> (repeated: a node id or a preset of <see cref="HidePresets"/>), <c>expand</c>
/// (namespaces kept open when the map groups automatically), <c>since</c>/<c>until</c> (RFC 3339 or a duration ago,
/// as the hubble CLI reads them) and <c>max-nodes</c> (above it namespaces collapse).
/// </summary>
public sealed partial record ServiceMapQuery
{
    /// <summary>Beyond this many nodes the map collapses namespaces into one node each (unless the query sets max-nodes).</summary>
    public const int DefaultMaxNodes = 2500;

    public static readonly ServiceMapQuery Default = new();

    public IReadOnlySet<string>? Namespaces { get; init; }

    public MapGrouping GroupBy { get; init; } = MapGrouping.Workload;

    public string LabelKey { get; init; } = "";

    public IReadOnlySet<string> Hide { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    public IReadOnlySet<string> Expand { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    public DateTimeOffset? Since { get; init; }

    public DateTimeOffset? Until { get; init; }

    public int MaxNodes { get; init; } = DefaultMaxNodes;

    public bool IsRange => Since is not null || Until is not null;

    /// <summary>The query string that gives this view (the page keeps it in its URL).</summary>
    public string ToQueryString()
    {
        var parts = new List<string>();
        void Add(string key, string value) => parts.Add(key + "=" + Uri.EscapeDataString(value));
        foreach (var ns in (Namespaces ?? new HashSet<string>()).Order(StringComparer.Ordinal))
        {
            Add("namespace", ns);
        }

        if (GroupBy != MapGrouping.Workload)
        {
            Add("group-by", GroupBy == MapGrouping.Namespace ? "namespace" : LabelKey);
        }

        foreach (var h in Hide.Order(StringComparer.Ordinal))
        {
            Add("hide", h);
        }

        foreach (var e in Expand.Order(StringComparer.Ordinal))
        {
            Add("expand", e);
        }

        if (Since is { } since)
        {
            Add("since", since.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        }

        if (Until is { } until)
        {
            Add("until", until.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        }

        if (MaxNodes != DefaultMaxNodes)
        {
            Add("max-nodes", MaxNodes.ToString(CultureInfo.InvariantCulture));
        }

        return string.Join('&', parts);
    }

    /// <summary>Parses a query string; on a bad value, null and a message that names the parameter and what it takes.</summary>
    public static (ServiceMapQuery? Query, string? Error) TryParse(string? queryString, DateTimeOffset now)
    {
        if (queryString?.Length > 8192)
        {
            return (null, "the service map query is longer than 8192 characters");
        }

        var pairs = QueryHelpers.ParseQuery(queryString ?? "");
        var known = new HashSet<string>(["namespace", "group-by", "hide", "expand", "since", "until", "max-nodes"], StringComparer.Ordinal);
        if (pairs.Keys.FirstOrDefault(k => !known.Contains(k)) is { } unknown)
        {
            return (null, $"unknown service map parameter '{Shared.VisibleText.Mark(unknown)}': use {string.Join(", ", known)}");
        }

        var query = new ServiceMapQuery();
        var namespaces = Values(pairs, "namespace");
        if (namespaces.Count > 0)
        {
            query = query with { Namespaces = namespaces.ToHashSet(StringComparer.Ordinal) };
        }

        if (pairs.TryGetValue("group-by", out var group) && group.LastOrDefault() is { Length: > 0 } g)
        {
            query = g switch
            {
                "namespace" => query with { GroupBy = MapGrouping.Namespace },
                "workload" => query with { GroupBy = MapGrouping.Workload },
                _ => query with { GroupBy = MapGrouping.Label, LabelKey = g.StartsWith("label:", StringComparison.Ordinal) ? g[6..] : g },
            };
            if (query.GroupBy == MapGrouping.Label && (query.LabelKey.Length is 0 or > 317 || query.LabelKey.Any(char.IsWhiteSpace)))
            {
                return (null, $"group-by=\"{Shared.VisibleText.Mark(g)}\": expected namespace, workload or a label key (e.g. app.kubernetes.io/name)");
            }
        }

        query = query with
        {
            Hide = Values(pairs, "hide").ToHashSet(StringComparer.Ordinal),
            Expand = Values(pairs, "expand").ToHashSet(StringComparer.Ordinal),
        };
        foreach (var (name, apply) in new (string, Func<DateTimeOffset, ServiceMapQuery>)[] { ("since", t => query with { Since = t }), ("until", t => query with { Until = t }) })
        {
            if (pairs.TryGetValue(name, out var v) && v.LastOrDefault() is { Length: > 0 } text)
            {
                if (ParseTime(text, now) is not { } time)
                {
                    return (null, $"{name}=\"{Shared.VisibleText.Mark(text)}\": expected an RFC 3339 time (2026-01-02T15:04:05Z) or a duration ago (5m, 1h30m)");
                }

                query = apply(time);
            }
        }

        if (query.Since > query.Until)
        {
            return (null, "since is after until");
        }

        if (pairs.TryGetValue("max-nodes", out var max) && max.LastOrDefault() is { } m)
        {
            if (!int.TryParse(m, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n is < 2 or > 100_000)
            {
                return (null, $"max-nodes=\"{Shared.VisibleText.Mark(m)}\": expected a whole number from 2 to 100000");
            }

            query = query with { MaxNodes = n };
        }

        return (query, null);
    }

    /// <summary>RFC 3339, or a Go duration ("90s", "1h30m") meaning that long before <paramref name="now"/>.</summary>
    public static DateTimeOffset? ParseTime(string text, DateTimeOffset now)
    {
        if (GoDuration().Match(text) is { Success: true } match)
        {
            var total = 0.0;
            foreach (Capture part in match.Groups["part"].Captures)
            {
                var p = GoPart().Match(part.Value);
                var value = double.Parse(p.Groups[1].Value, CultureInfo.InvariantCulture);
                total += value * p.Groups[2].Value switch
                {
                    "h" => 3600e9,
                    "m" => 60e9,
                    "s" => 1e9,
                    "ms" => 1e6,
                    "us" or "µs" => 1e3,
                    _ => 1,
                };
            }

            return total > TimeSpan.MaxValue.Ticks * 100.0 ? null : now - TimeSpan.FromTicks((long)(total / 100));
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t) && text.Contains('T', StringComparison.Ordinal)
            ? t
            : null;
    }

    private static List<string> Values(Dictionary<string, Microsoft.Extensions.Primitives.StringValues> pairs, string key) =>
        pairs.TryGetValue(key, out var v) ? v.SelectMany(s => (s ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Distinct(StringComparer.Ordinal).ToList() : [];

    [GeneratedRegex(@"^(?<part>\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+$")]
    private static partial Regex GoDuration();

    [GeneratedRegex(@"^(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)$")]
    private static partial Regex GoPart();
}
