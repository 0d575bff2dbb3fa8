using System.Globalization;
using System.Text;
using CiliumDash.Protocols.Hubble;
using CiliumDash.Protocols.Hubble.Filters;
using CiliumDash.Shared;

namespace CiliumDash.Flows.Query;

/// <summary>One filter flag with one value, as on the command line: <c>--not --to-port 53</c> = (to-port, 53, negated).</summary>
public sealed record FlowQueryTerm(string Flag, string Value, bool Negated);

/// <summary>A parsed query string, or the message that names its bad part.</summary>
public sealed record FlowQueryParseResult(FlowQuery? Query, string? Error)
{
    public bool Ok => Query is not null;
}

/// <summary>
/// A flow query in the hubble CLI's own words: query parameters named like <c>hubble observe</c>'s flags (<c>pod</c>,
/// <c>from-pod</c>, <c>to-port</c>, <c>verdict</c>, …), repeated to OR values, <c>not-</c> for negation, plus
/// <c>limit</c> and <c>format</c>. The same model serves the REST API, the flows page URL, "copy as hubble observe",
/// the relay request (<see cref="ToFlowFilters"/>) and the predicate over the window's rows (<see cref="Predicate"/>).
/// </summary>
public sealed class FlowQuery
{
    public const int MaxTerms = 64;

    public const int MaxValueLength = 1024;

    private static readonly string[] Formats = ["json", "jsonl", "csv"];

    private FlowQueryPredicate? _predicate;

    private FlowQuery(IReadOnlyList<FlowQueryTerm> terms, int? limit, string? format, IReadOnlySet<string>? namespaces = null)
    {
        Terms = terms;
        Limit = limit;
        Format = format;
        Namespaces = namespaces;
    }

    /// <summary>
    /// Team scoping: when set, only flows with an endpoint in one of these namespaces match, whatever the terms say.
    /// Never part of the query string: it comes from who is asking, not from the URL.
    /// </summary>
    public IReadOnlySet<string>? Namespaces { get; }

    public static FlowQuery Empty { get; } = new([], null, null);

    public IReadOnlyList<FlowQueryTerm> Terms { get; }

    public int? Limit { get; }

    /// <summary><c>json</c>, <c>jsonl</c> or <c>csv</c>; null = the default (json).</summary>
    public string? Format { get; }

    public bool IsEmpty => Terms.Count == 0;

    /// <summary>No terms and no team restriction: every flow matches, so scans can skip the predicate.</summary>
    public bool MatchesEverything => Terms.Count == 0 && Namespaces is null;

    /// <summary>The flags this model understands, with what each value should look like.</summary>
    public static IEnumerable<(string Flag, string Help)> Flags => FlowQueryFlags.All.Values.Select(f => (f.Name, f.Help));

    /// <summary>As <see cref="TryParse"/>, throwing <see cref="FlowQueryException"/> with the message.</summary>
    public static FlowQuery Parse(string queryString)
    {
        var result = TryParse(queryString);
        return result.Query ?? throw new FlowQueryException(result.Error!);
    }

    /// <summary>Parses <c>a=1&amp;not-b=2</c> (a leading ? is fine); every value is checked the way the relay would.</summary>
    public static FlowQueryParseResult TryParse(string? queryString)
    {
        var terms = new List<FlowQueryTerm>();
        int? limit = null;
        string? format = null;
        foreach (var pair in (queryString ?? "").TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            string name, value;
            try
            {
                name = Unescape(eq < 0 ? pair : pair[..eq]);
                value = eq < 0 ? "" : Unescape(pair[(eq + 1)..]);
            }
            catch (UriFormatException)
            {
                return Fail($"\"{Shorten(pair)}\" is not valid URL encoding");
            }

            switch (name)
            {
                case "limit":
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var l) || l < 1)
                    {
                        return Fail($"limit=\"{Shorten(value)}\": expected a positive number of rows");
                    }

                    limit = l;
                    continue;
                case "format":
                    if (!Formats.Contains(value))
                    {
                        return Fail($"format=\"{Shorten(value)}\": expected json, jsonl or csv");
                    }

                    format = value;
                    continue;
            }

            var negated = name.StartsWith("not-", StringComparison.Ordinal);
            var flagName = negated ? name[4..] : name;
            if (!FlowQueryFlags.All.TryGetValue(flagName, out var flag))
            {
                return Fail($"unknown filter \"{Shorten(name)}\" (filters use hubble observe's flag names, e.g. namespace, from-pod, to-port, verdict; not-<name> negates)");
            }

            if (value.Trim().Length == 0)
            {
                return Fail($"{name}: empty value (expected {flag.Help})");
            }

            if (value.Length > MaxValueLength)
            {
                return Fail($"{name}: value longer than {MaxValueLength} characters");
            }

            if (terms.Count == MaxTerms)
            {
                return Fail($"more than {MaxTerms} filter values");
            }

            if (Check(flag, value) is { } error)
            {
                return Fail($"{name}: {error}");
            }

            terms.Add(new FlowQueryTerm(flagName, value.Trim(), negated));
        }

        return new FlowQueryParseResult(new FlowQuery(terms, limit, format), null);

        static FlowQueryParseResult Fail(string message) => new(null, "Invalid flow filter: " + message + ".");
    }

    public FlowQuery WithLimit(int? limit) => new(Terms, limit, Format, Namespaces);

    public FlowQuery WithFormat(string? format) => new(Terms, Limit, format, Namespaces);

    public FlowQuery WithTerms(IEnumerable<FlowQueryTerm> terms) => new(terms.ToArray(), Limit, Format, Namespaces);

    /// <summary>This query as a user with <paramref name="scope"/> may run it (enforced on the server everywhere).</summary>
    public FlowQuery Restrict(AccessScope scope) =>
        scope.Namespaces is null ? this : new FlowQuery(Terms, Limit, Format, scope.Namespaces);

    /// <summary>The canonical query string (no leading ?), terms in their order.</summary>
    public string ToQueryString()
    {
        var parts = Terms.Select(t => $"{(t.Negated ? "not-" : "")}{t.Flag}={Uri.EscapeDataString(t.Value)}").ToList();
        if (Limit is { } limit)
        {
            parts.Add($"limit={limit.ToString(CultureInfo.InvariantCulture)}");
        }

        if (Format is { } format)
        {
            parts.Add($"format={format}");
        }

        return string.Join('&', parts);
    }

    /// <summary>The equivalent command line; values are single-quoted for a POSIX shell when they need it.</summary>
    public string ToHubbleCommand()
    {
        var command = new StringBuilder("hubble observe");
        foreach (var term in Terms)
        {
            command.Append(term.Negated ? " --not --" : " --").Append(term.Flag).Append(' ').Append(ShellQuote(term.Value));
        }

        if (Limit is { } limit)
        {
            command.Append(" --last ").Append(limit.ToString(CultureInfo.InvariantCulture));
        }

        if (Format is "jsonl" or "json")
        {
            command.Append(" -o json");
        }

        return command.ToString();
    }

    /// <summary>The relay request's whitelist and blacklist, built as <c>hubble observe</c> builds them.</summary>
    public (IReadOnlyList<FlowFilter> Whitelist, IReadOnlyList<FlowFilter> Blacklist) ToFlowFilters() =>
        (Build(Terms.Where(t => !t.Negated)), Build(Terms.Where(t => t.Negated)));

    /// <summary>
    /// The query compiled to a predicate over window rows (Hubble's semantics, the same values as the relay request),
    /// built once; scope restriction included.
    /// </summary>
    internal FlowQueryPredicate Predicate
    {
        get
        {
            if (_predicate is null)
            {
                var (white, black) = ToFlowFilters();
                _predicate = FlowQueryPredicate.Compile(white, black, Namespaces);
            }

            return _predicate;
        }
    }

    /// <summary>Whether a flow of the window (as the hub holds it) matches.</summary>
    public bool Matches(Window.WindowFlow flow) => MatchesEverything || Predicate.Matches(flow.Row, null);

    public override string ToString() => ToQueryString();

    private static List<FlowFilter> Build(IEnumerable<FlowQueryTerm> terms)
    {
        var list = terms.ToList();
        if (list.Count == 0)
        {
            return [];
        }

        FlowFilter left = new(), right = new();
        foreach (var term in list)
        {
            var flag = FlowQueryFlags.All[term.Flag];
            flag.Left(left, term.Value);
            flag.Right(right, term.Value);
        }

        return left.Equals(right) ? [left] : [left, right];
    }

    /// <summary>The value as the window would evaluate it: a value its predicate cannot compile is refused here.</summary>
    private static string? Check(FlowQueryFlag flag, string value)
    {
        try
        {
            FlowFilter left = new(), right = new();
            flag.Left(left, value.Trim());
            flag.Right(right, value.Trim());
            FlowQueryPredicate.Compile([left, right], []);
            return null;
        }
        catch (FlowQueryException e)
        {
            return e.Message.TrimEnd('.');
        }
        catch (FlowFilterException e)
        {
            return e.Message.TrimEnd('.');
        }
    }

    private static string Unescape(string s) => Uri.UnescapeDataString(s.Replace('+', ' '));

    private static string Shorten(string s) => s.Length <= 80 ? s : s[..80] + "…";

    private static string ShellQuote(string value) =>
        value.All(c => char.IsAsciiLetterOrDigit(c) || "-_./:=,+@%".Contains(c, StringComparison.Ordinal))
            ? value
            : "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
