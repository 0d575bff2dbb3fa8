using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CiliumDash.Protocols.Json;

/// <summary>
/// Reads a string that repeats across nodes and polls (states, messages, controller and map names, intervals) as one
/// shared instance, looked up from the UTF-8 bytes without allocating: a reader that keeps the latest status of every
/// node holds each such text once, and a poll allocates no copies of them.
/// </summary>
public sealed class SharedStringConverter : JsonConverter<string>
{
    private const int MaxLength = 256;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException("expected a string");
        }

        if (reader.ValueIsEscaped || reader.HasValueSequence || reader.ValueSpan.Length > MaxLength)
        {
            return SharedStrings.Share(reader.GetString()!);
        }

        Span<char> chars = stackalloc char[MaxLength];
        var length = Encoding.UTF8.GetChars(reader.ValueSpan, chars);
        return SharedStrings.Share(chars[..length]);
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}

/// <summary>Bounded string sharing for values that repeat across nodes; past the bound, strings are simply not shared.</summary>
public static class SharedStrings
{
    private const int MaxEntries = 50_000;
    private const int MaxLength = 256;
    private static readonly ConcurrentDictionary<string, string> Pool = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> BySpan = Pool.GetAlternateLookup<ReadOnlySpan<char>>();

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

    public static string Share(ReadOnlySpan<char> text)
    {
        if (BySpan.TryGetValue(text, out var shared))
        {
            return shared;
        }

        var created = new string(text);
        return text.Length <= MaxLength && Pool.Count < MaxEntries ? Pool.GetOrAdd(created, created) : created;
    }
}
