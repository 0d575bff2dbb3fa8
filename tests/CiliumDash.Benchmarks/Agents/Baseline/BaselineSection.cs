using System.Globalization;
using System.Text.Json;

namespace CiliumDash.Benchmarks.Agents.Baseline;

/// <summary>
/// (Baseline copy.) A tolerant view of one JSON object: typed getters that treat absent keys as "not reported" and record a warning
/// naming the JSON path when a value has the wrong type, instead of failing the whole document.
/// </summary>
internal readonly struct BaselineSection
{
    private readonly JsonElement _element;
    private readonly List<string> _warnings;
    private readonly BaselinePath _path;

    public BaselineSection(JsonElement element, string path, List<string> warnings)
        : this(element, new BaselinePath(null, path, -1), warnings)
    {
    }

    private BaselineSection(JsonElement element, BaselinePath path, List<string> warnings)
    {
        _element = element;
        _path = path;
        _warnings = warnings;
    }

    /// <summary>The JSON path of this object, e.g. $.controllers[3].status; built only when a warning needs it.</summary>
    public string Path => _path.ToString();

    public BaselineSection? Object(string key)
    {
        if (!TryGet(key, out var value))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Object)
        {
            return new BaselineSection(value, new BaselinePath(_path, key, -1), _warnings);
        }

        Wrong(key, value, "an object");
        return null;
    }

    public IEnumerable<BaselineSection> Objects(string key)
    {
        if (!TryGet(key, out var value))
        {
            yield break;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            Wrong(key, value, "an array");
            yield break;
        }

        var i = 0;
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.Object)
            {
                yield return new BaselineSection(item, new BaselinePath(_path, key, i), _warnings);
            }
            else
            {
                _warnings.Add($"{Path}.{key}[{i}]: expected an object, found {Kind(item)}");
            }

            i++;
        }
    }

    public string? String(string key)
    {
        if (!TryGet(key, out var value))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            return value.GetString();
        }

        Wrong(key, value, "a string");
        return null;
    }

    public long? Long(string key)
    {
        if (!TryGet(key, out var value))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number))
        {
            return number;
        }

        // Some producers (protojson) write 64-bit integers as strings.
        if (value.ValueKind == JsonValueKind.String && long.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out number))
        {
            return number;
        }

        Wrong(key, value, "an integer");
        return null;
    }

    public double? Double(string key)
    {
        if (!TryGet(key, out var value))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number))
        {
            return number;
        }

        Wrong(key, value, "a number");
        return null;
    }

    public bool? Bool(string key)
    {
        if (!TryGet(key, out var value))
        {
            return null;
        }

        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return value.GetBoolean();
        }

        Wrong(key, value, "true or false");
        return null;
    }

    /// <summary>Cilium writes <c>0001-01-01T00:00:00.000Z</c> for "never"; that becomes null.</summary>
    public DateTimeOffset? Time(string key)
    {
        if (TryGet(key, out var raw) && raw.ValueKind == JsonValueKind.String && raw.TryGetDateTimeOffset(out var fast))
        {
            // The common case: ISO 8601 as the agent writes it, read without a culture-aware parse.
            return fast.Year <= 1 ? null : fast.ToUniversalTime();
        }

        var text = String(key);
        if (text is null)
        {
            return null;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            return time.Year <= 1 ? null : time;
        }

        _warnings.Add($"{Path}.{key}: '{Shorten(text)}' is not an RFC 3339 time");
        return null;
    }

    public IReadOnlyList<string> Strings(string key)
    {
        if (!TryGet(key, out var value))
        {
            return [];
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            Wrong(key, value, "an array of strings");
            return [];
        }

        var list = new List<string>(value.GetArrayLength());
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.String)
            {
                list.Add(item.GetString()!);
            }
        }

        return list;
    }

    public IReadOnlyDictionary<string, string> StringMap(string key)
    {
        if (!TryGet(key, out var value))
        {
            return new Dictionary<string, string>();
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            Wrong(key, value, "an object");
            return new Dictionary<string, string>();
        }

        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in value.EnumerateObject())
        {
            map[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText();
        }

        return map;
    }

    public bool Has(string key) => TryGet(key, out _);

    /// <summary>
    /// A string that repeats across nodes and polls (states, modes, controller and map names, intervals): one shared
    /// instance instead of one per node, which keeps the latest status of a node small.
    /// </summary>
    public string? Shared(string key) => String(key) is { } text ? BaselinePool.Share(text) : null;

    /// <summary>A UUID kept as 16 bytes instead of a 36-character string; anything else is a warning.</summary>
    public Guid? Uuid(string key)
    {
        var text = String(key);
        if (text is null)
        {
            return null;
        }

        if (Guid.TryParse(text, out var uuid))
        {
            return uuid;
        }

        _warnings.Add($"{Path}.{key}: '{Shorten(text)}' is not a UUID");
        return null;
    }

    /// <summary>This object's string, number and boolean properties as text (for small settings objects).</summary>
    public IEnumerable<KeyValuePair<string, string>> Scalars()
    {
        foreach (var p in _element.EnumerateObject())
        {
            if (p.Value.ValueKind is JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False)
            {
                yield return new(p.Name, p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText());
            }
        }
    }

    /// <summary>
    /// JsonDocument accepts invalid UTF-8 inside strings and only fails when a string is read, so documents are
    /// checked first: the offset of the first bad byte, or null when the text is valid.
    /// </summary>
    public static int? InvalidUtf8Offset(ReadOnlySpan<byte> utf8)
    {
        if (System.Text.Unicode.Utf8.IsValid(utf8))
        {
            return null;
        }

        var offset = 0;
        while (System.Text.Rune.DecodeFromUtf8(utf8[offset..], out _, out var consumed) == System.Buffers.OperationStatus.Done)
        {
            offset += consumed;
        }

        return offset;
    }

    private bool TryGet(string key, out JsonElement value) =>
        _element.TryGetProperty(key, out value) && value.ValueKind != JsonValueKind.Null;

    private void Wrong(string key, JsonElement value, string expected) =>
        _warnings.Add($"{Path}.{key}: expected {expected}, found {Kind(value)}");

    private static string Kind(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => value.ValueKind.ToString().ToLowerInvariant(),
    };

    private static string Shorten(string text) => text.Length <= 64 ? text : text[..64] + "…";
}

/// <summary>
/// A JSON path kept as a chain of small nodes: walking a document allocates no path strings; the string is built
/// only when a warning names it.
/// </summary>
internal sealed class BaselinePath(BaselinePath? parent, string key, int index)
{
    public override string ToString()
    {
        var self = parent is null ? key : $"{parent}.{key}";
        return index >= 0 ? $"{self}[{index}]" : self;
    }
}

/// <summary>Bounded string sharing for values that repeat across nodes; past the bound, strings are simply not shared.</summary>
internal static class BaselinePool
{
    private const int MaxEntries = 50_000;
    private const int MaxLength = 256;
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> Pool = new(StringComparer.Ordinal);

    public static string Share(string text)
    {
        if (text.Length > MaxLength)
        {
            return text;
        }

        if (Pool.TryGetValue(text, out var shared))
        {
            return shared;
        }

        return Pool.Count < MaxEntries ? Pool.GetOrAdd(text, text) : text;
    }
}
