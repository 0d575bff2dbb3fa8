using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;

namespace CiliumDash.Events;

/// <summary>
/// A short hash of a policy's spec, the same for the same content whatever the order of its object keys, so a
/// re-serialized but equal spec is not a change. Only the spec is hashed: labels, annotations and the resource
/// version (metadata-only updates) never make a policy "changed".
/// </summary>
public static class SpecFingerprint
{
    /// <summary>Nesting deeper than this is hashed as its raw text (a hostile document cannot recurse without end).</summary>
    private const int MaxDepth = 64;

    public static string Of(params JsonElement?[] parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartArray();
            foreach (var part in parts)
            {
                if (part is { } e)
                {
                    WriteCanonical(w, e, 0);
                }
                else
                {
                    w.WriteNullValue();
                }
            }

            w.WriteEndArray();
        }

        return Convert.ToHexStringLower(SHA256.HashData(buffer.WrittenSpan)[..16]);
    }

    private static void WriteCanonical(Utf8JsonWriter w, JsonElement e, int depth)
    {
        if (depth > MaxDepth)
        {
            w.WriteStringValue(e.GetRawText());
            return;
        }

        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                w.WriteStartObject();
                foreach (var p in e.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    w.WritePropertyName(p.Name);
                    WriteCanonical(w, p.Value, depth + 1);
                }

                w.WriteEndObject();
                break;
            case JsonValueKind.Array:
                w.WriteStartArray();
                foreach (var item in e.EnumerateArray())
                {
                    WriteCanonical(w, item, depth + 1);
                }

                w.WriteEndArray();
                break;
            default:
                e.WriteTo(w);
                break;
        }
    }
}
