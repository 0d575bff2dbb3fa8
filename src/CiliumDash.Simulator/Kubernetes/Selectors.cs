namespace CiliumDash.Simulator.Kubernetes;

/// <summary>Thrown for a selector the API server would refuse; the message is returned in a 400 Status.</summary>
internal sealed class SelectorException(string message) : Exception(message);

/// <summary>
/// A parsed <c>labelSelector</c> or <c>fieldSelector</c>: a conjunction of requirements. Labels support equality
/// (<c>k=v</c>, <c>k==v</c>, <c>k!=v</c>), sets (<c>k in (a,b)</c>, <c>k notin (a,b)</c>) and existence (<c>k</c>, <c>!k</c>);
/// fields support equality only, as the API server does.
/// </summary>
internal sealed class Selector
{
    private const int MaxLength = 4096;

    private readonly List<Func<Func<string, string?>, bool>> _requirements;

    private Selector(List<string> keys, List<Func<Func<string, string?>, bool>> requirements)
    {
        Keys = keys;
        _requirements = requirements;
    }

    public static Selector Everything { get; } = new([], []);

    /// <summary>The keys (label keys or field paths) the selector looks at, so a caller can refuse unsupported fields.</summary>
    public IReadOnlyList<string> Keys { get; }

    public bool Matches(Func<string, string?> lookup) => _requirements.TrueForAll(r => r(lookup));

    public static Selector ParseLabels(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        CheckLength(text);
        var requirements = new List<Func<Func<string, string?>, bool>>();
        var keys = SplitTopLevel(text).Select(part => ParseLabelRequirement(part.Trim(), requirements)).ToList();
        return new Selector(keys, requirements);
    }

    public static Selector ParseFields(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        CheckLength(text);
        var requirements = new List<Func<Func<string, string?>, bool>>();
        var keys = new List<string>();
        foreach (var raw in text.Split(','))
        {
            var part = raw.Trim();
            var (op, at) = part.IndexOf("!=", StringComparison.Ordinal) is >= 0 and var ne ? ("!=", ne)
                : part.IndexOf("==", StringComparison.Ordinal) is >= 0 and var eq2 ? ("==", eq2)
                : part.IndexOf('=') is >= 0 and var eq ? ("=", eq)
                : throw new SelectorException($"invalid selector: '{text}'; can't understand '{part}'");
            var key = part[..at].Trim();
            var value = part[(at + op.Length)..].Trim();
            if (key.Length == 0)
            {
                throw new SelectorException($"invalid selector: '{text}'; can't understand '{part}'");
            }

            keys.Add(key);
            requirements.Add(op == "!=" ? get => get(key) != value : get => get(key) == value);
        }

        return new Selector(keys, requirements);
    }

    private static string ParseLabelRequirement(string part, List<Func<Func<string, string?>, bool>> requirements)
    {
        if (part.Length == 0)
        {
            throw new SelectorException("unable to parse requirement: found '', expected: identifier");
        }

        if (part[0] == '!')
        {
            var key = ValidKey(part[1..].Trim(), part);
            requirements.Add(get => get(key) is null);
            return key;
        }

        var opAt = part.IndexOfAny(['=', '!', ' ', '(']);
        if (opAt < 0)
        {
            var key = ValidKey(part, part);
            requirements.Add(get => get(key) is not null);
            return key;
        }

        var name = ValidKey(part[..opAt].Trim(), part);
        var rest = part[opAt..].TrimStart();
        if (rest.StartsWith("!=", StringComparison.Ordinal))
        {
            var value = ValidValue(rest[2..].Trim(), part);
            requirements.Add(get => get(name) != value);
        }
        else if (rest.StartsWith("==", StringComparison.Ordinal) || rest.StartsWith('='))
        {
            var value = ValidValue(rest[(rest.StartsWith("==", StringComparison.Ordinal) ? 2 : 1)..].Trim(), part);
            requirements.Add(get => get(name) == value);
        }
        else if (rest.StartsWith("in", StringComparison.Ordinal) || rest.StartsWith("notin", StringComparison.Ordinal))
        {
            var negate = rest.StartsWith("notin", StringComparison.Ordinal);
            var set = ParseSet(rest[(negate ? 5 : 2)..].Trim(), part);
            requirements.Add(negate ? get => get(name) is not { } v || !set.Contains(v) : get => get(name) is { } v && set.Contains(v));
        }
        else
        {
            throw new SelectorException($"unable to parse requirement: found '{rest}', expected: in, notin, =, ==, !=");
        }

        return name;
    }

    private static HashSet<string> ParseSet(string text, string part)
    {
        if (text.Length < 2 || text[0] != '(' || text[^1] != ')')
        {
            throw new SelectorException($"unable to parse requirement: found '{text}', expected: '(' in '{part}'");
        }

        var values = text[1..^1].Split(',').Select(v => ValidValue(v.Trim(), part)).ToHashSet(StringComparer.Ordinal);
        if (values.Count == 0 || values.SetEquals([""]))
        {
            throw new SelectorException($"unable to parse requirement: for 'in', 'notin' operators, values set can't be empty in '{part}'");
        }

        return values;
    }

    private static string ValidKey(string key, string part)
    {
        var name = key.LastIndexOf('/') is >= 0 and var slash ? key[(slash + 1)..] : key;
        if (name.Length is 0 or > 63 || key.Length > 316 || !key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/')
            || !char.IsAsciiLetterOrDigit(name[0]) || !char.IsAsciiLetterOrDigit(name[^1]))
        {
            throw new SelectorException($"unable to parse requirement: invalid label key \"{key}\" in '{part}': name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character");
        }

        return key;
    }

    private static string ValidValue(string value, string part)
    {
        if (value.Length > 63 || !value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')
            || (value.Length > 0 && (!char.IsAsciiLetterOrDigit(value[0]) || !char.IsAsciiLetterOrDigit(value[^1]))))
        {
            throw new SelectorException($"unable to parse requirement: invalid label value \"{value}\" in '{part}': a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character");
        }

        return value;
    }

    private static void CheckLength(string text)
    {
        if (text.Length > MaxLength)
        {
            throw new SelectorException($"selector is too long ({text.Length} characters; at most {MaxLength})");
        }
    }

    /// <summary>Splits on commas that are not inside a set's parentheses.</summary>
    private static List<string> SplitTopLevel(string text)
    {
        var parts = new List<string>();
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '(':
                    depth++;
                    break;
                case ')':
                    depth--;
                    break;
                case ',' when depth == 0:
                    parts.Add(text[start..i]);
                    start = i + 1;
                    break;
            }
        }

        parts.Add(text[start..]);
        return parts;
    }
}
