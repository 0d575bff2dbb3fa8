using System.Text.RegularExpressions;

namespace CiliumDash.Protocols.Hubble.Filters;

/// <summary>
/// A Kubernetes-style label selector over Hubble's <c>source:key=value</c> label strings: comma-separated
/// requirements <c>key</c>, <c>!key</c>, <c>key=v</c>, <c>key==v</c>, <c>key!=v</c>, <c>key in (a,b)</c>,
/// <c>key notin (a,b)</c>. A key with a source (<c>k8s:app</c>) matches only labels of that source; a key without one
/// (<c>app</c>, or <c>any:app</c>) matches the key from any source, as Cilium does.
/// </summary>
internal sealed partial class LabelSelector
{
    private enum Op
    {
        Exists,
        NotExists,
        Equals,
        NotEquals,
        In,
        NotIn,
    }

    private sealed record Requirement(string? Source, string Key, Op Op, string[] Values);

    private readonly Requirement[] _requirements;

    private LabelSelector(Requirement[] requirements) => _requirements = requirements;

    public static LabelSelector Parse(string text, string field)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new FlowFilterException($"Invalid {field} filter \"{text}\": empty selector.");
        }

        var requirements = new List<Requirement>();
        foreach (var part in SplitTopLevel(text))
        {
            requirements.Add(ParseRequirement(part.Trim(), text, field));
        }

        return new LabelSelector(requirements.ToArray());
    }

    public bool Matches(IReadOnlyList<string> labels)
    {
        foreach (var r in _requirements)
        {
            if (!Holds(r, labels))
            {
                return false;
            }
        }

        return true;
    }

    private static bool Holds(Requirement r, IReadOnlyList<string> labels)
    {
        var found = false;
        var valueMatch = false;
        foreach (var label in labels)
        {
            if (!TrySplit(label, out var source, out var key, out var value) || !key.SequenceEqual(r.Key)
                || (r.Source is not null && !source.SequenceEqual(r.Source)))
            {
                continue;
            }

            found = true;
            foreach (var v in r.Values)
            {
                valueMatch |= value.SequenceEqual(v);
            }
        }

        return r.Op switch
        {
            Op.Exists => found,
            Op.NotExists => !found,
            Op.Equals or Op.In => valueMatch,
            _ => !valueMatch,   // != and notin hold when the key is absent too, as in Kubernetes
        };
    }

    /// <summary>Splits "k8s:app=cart" into source "k8s", key "app", value "cart" without allocating.</summary>
    private static bool TrySplit(string label, out ReadOnlySpan<char> source, out ReadOnlySpan<char> key, out ReadOnlySpan<char> value)
    {
        var span = label.AsSpan();
        var eq = span.IndexOf('=');
        var keyPart = eq < 0 ? span : span[..eq];
        value = eq < 0 ? [] : span[(eq + 1)..];
        var colon = keyPart.IndexOf(':');
        source = colon < 0 ? [] : keyPart[..colon];
        key = colon < 0 ? keyPart : keyPart[(colon + 1)..];
        return key.Length > 0;
    }

    private static Requirement ParseRequirement(string part, string text, string field)
    {
        FlowFilterException Bad(string why) => new($"Invalid {field} filter \"{text}\": {why}.");
        if (part.Length == 0)
        {
            throw Bad("empty requirement");
        }

        var set = SetPattern().Match(part);
        if (set.Success)
        {
            var values = set.Groups[3].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (values.Length == 0)
            {
                throw Bad($"empty value set in \"{part}\"");
            }

            return Make(set.Groups[1].Value, set.Groups[2].Value == "in" ? Op.In : Op.NotIn, values);
        }

        if (part.StartsWith('!'))
        {
            return Make(part[1..].Trim(), Op.NotExists, []);
        }

        foreach (var (token, op) in new[] { ("!=", Op.NotEquals), ("==", Op.Equals), ("=", Op.Equals) })
        {
            var i = part.IndexOf(token, StringComparison.Ordinal);
            if (i >= 0)
            {
                return Make(part[..i].Trim(), op, [part[(i + token.Length)..].Trim()]);
            }
        }

        return Make(part, Op.Exists, []);

        Requirement Make(string key, Op op, string[] values)
        {
            if (!KeyPattern().IsMatch(key))
            {
                throw Bad($"\"{key}\" is not a valid label key");
            }

            if (values.Any(v => !ValuePattern().IsMatch(v)))
            {
                throw Bad($"invalid value in \"{part}\"");
            }

            var colon = key.IndexOf(':');
            var source = colon < 0 ? null : key[..colon];
            return new Requirement(source is "any" ? null : source, colon < 0 ? key : key[(colon + 1)..], op, values);
        }
    }

    private static IEnumerable<string> SplitTopLevel(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            depth += text[i] switch { '(' => 1, ')' => -1, _ => 0 };
            if (text[i] == ',' && depth == 0)
            {
                yield return text[start..i];
                start = i + 1;
            }
        }

        yield return text[start..];
    }

    [GeneratedRegex(@"^(\S+)\s+(in|notin)\s*\((.*)\)$")]
    private static partial Regex SetPattern();

    [GeneratedRegex(@"^([a-zA-Z0-9-]+:)?[a-zA-Z0-9]([-a-zA-Z0-9_./]*[a-zA-Z0-9])?$")]
    private static partial Regex KeyPattern();

    [GeneratedRegex(@"^[-a-zA-Z0-9_./]*$")]
    private static partial Regex ValuePattern();
}
