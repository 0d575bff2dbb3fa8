using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CiliumDash.Protocols.Json;

/// <summary>How Cilium's APIs print times, and the one rule for reading them back.</summary>
public static class WireTime
{
    /// <summary>Go's zero time: controllers print it for "never" (<c>0001-01-01T00:00:00.000Z</c>).</summary>
    public static readonly DateTimeOffset Never = DateTimeOffset.MinValue;

    /// <summary>
    /// RFC 3339 as the agent writes it, read without a culture-aware parse first; other ISO 8601 spellings with the
    /// invariant culture (no offset = UTC). Offsets are kept.
    /// </summary>
    public static bool TryParse(string text, out DateTimeOffset time) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);

    internal static DateTimeOffset Read(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            if (reader.TryGetDateTimeOffset(out var fast))
            {
                return fast;
            }

            if (TryParse(reader.GetString()!, out var time))
            {
                return time;
            }
        }

        throw new JsonException("expected an RFC 3339 time");
    }

    internal static void Write(Utf8JsonWriter writer, DateTimeOffset value, bool millis)
    {
        var utc = value.UtcDateTime;
        Span<char> chars = stackalloc char[40];
        var format = millis ? "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fff'Z'" : "yyyy'-'MM'-'dd'T'HH':'mm':'ss";
        utc.TryFormat(chars, out var written, format, CultureInfo.InvariantCulture);
        if (!millis)
        {
            // Go's RFC 3339 with nanoseconds: a fraction only when there is one, trailing zeros cut.
            if (utc.Ticks % TimeSpan.TicksPerSecond is var rest and not 0)
            {
                chars[written++] = '.';
                rest.TryFormat(chars[written..], out var digits, "0000000", CultureInfo.InvariantCulture);
                written += digits;
                while (chars[written - 1] == '0')
                {
                    written--;
                }
            }

            chars[written++] = 'Z';
        }

        writer.WriteStringValue(chars[..written]);
    }
}

/// <summary>go-openapi's <c>strfmt.DateTime</c>: RFC 3339 with milliseconds and Z (controller and cluster-mesh times).</summary>
public sealed class MillisTimeConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => WireTime.Read(ref reader);

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) => WireTime.Write(writer, value, millis: true);
}

/// <summary>Go's <c>time.Time</c> (RFC 3339, fraction only when non-zero): cilium-health's <c>timestamp</c> and <c>lastProbed</c>.</summary>
public sealed class SecondsTimeConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => WireTime.Read(ref reader);

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) => WireTime.Write(writer, value, millis: false);
}
