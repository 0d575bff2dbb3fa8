using System.Text.Json;

namespace CiliumDash.Tests.Contract;

/// <summary>JSON compared as structures: objects by property name (order ignored), arrays in order, numbers by value.</summary>
internal static class JsonStructure
{
    /// <summary>The first place where the two differ (a JSON path and both values), or null when they are equal.</summary>
    public static string? Difference(JsonElement expected, JsonElement actual, string path = "$")
    {
        if (expected.ValueKind != actual.ValueKind)
        {
            return $"{path}: {expected.ValueKind} {Short(expected)} vs {actual.ValueKind} {Short(actual)}";
        }

        switch (expected.ValueKind)
        {
            case JsonValueKind.Object:
                var a = expected.EnumerateObject().ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);
                var b = actual.EnumerateObject().ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);
                foreach (var name in a.Keys.Union(b.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal))
                {
                    if (!a.TryGetValue(name, out var x) || !b.TryGetValue(name, out var y))
                    {
                        return $"{path}.{name}: only in the {(a.ContainsKey(name) ? "first" : "second")}";
                    }

                    if (Difference(x, y, $"{path}.{name}") is { } inner)
                    {
                        return inner;
                    }
                }

                return null;
            case JsonValueKind.Array:
                if (expected.GetArrayLength() != actual.GetArrayLength())
                {
                    return $"{path}: {expected.GetArrayLength()} elements vs {actual.GetArrayLength()}";
                }

                for (var i = 0; i < expected.GetArrayLength(); i++)
                {
                    if (Difference(expected[i], actual[i], $"{path}[{i}]") is { } inner)
                    {
                        return inner;
                    }
                }

                return null;
            case JsonValueKind.Number:
                return expected.GetDecimal() == actual.GetDecimal() ? null : $"{path}: {expected} vs {actual}";
            case JsonValueKind.String:
                return string.Equals(expected.GetString(), actual.GetString(), StringComparison.Ordinal) ? null : $"{path}: {Short(expected)} vs {Short(actual)}";
            default:
                return null;
        }
    }

    /// <summary>The element without the named top-level properties (what one side adds by design, e.g. a push's sentAt).</summary>
    public static JsonElement Without(JsonElement obj, params string[] names)
    {
        var copy = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var p in obj.EnumerateObject().Where(p => !names.Contains(p.Name, StringComparer.Ordinal)))
        {
            copy[p.Name] = p.Value;
        }

        return JsonSerializer.SerializeToElement(copy);
    }

    private static string Short(JsonElement e)
    {
        var text = e.GetRawText();
        return text.Length <= 120 ? text : text[..117] + "...";
    }
}
