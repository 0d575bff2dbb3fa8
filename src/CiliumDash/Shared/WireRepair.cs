using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using CiliumDash.Protocols.Json;

namespace CiliumDash.Shared;

/// <summary>
/// Reads a document the wire model could not take as it is: walks it beside the model's own metadata (the
/// source-generated type infos, so the names and types come from the models and nowhere else) and writes a copy that
/// keeps only what the model can hold. Every value dropped becomes a warning naming its JSON path, and the rest of the
/// document is still read; unknown properties are skipped, as the serializer skips them. Only broken documents come
/// here, so this path may allocate.
/// </summary>
internal static class WireRepair
{
    private const int MaxWarnings = 50;

    private static readonly ConcurrentDictionary<JsonTypeInfo, Dictionary<string, JsonPropertyInfo>> Properties = new();

    /// <summary>The repaired document as UTF-8 JSON; <paramref name="warnings"/> gets what was dropped.</summary>
    /// <exception cref="InvalidOperationException">a string is not valid Unicode (an escaped lone surrogate).</exception>
    public static byte[] Repair(JsonElement root, JsonTypeInfo type, List<string> warnings)
    {
        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true }))
        {
            var walk = new Walk(type.Options, warnings);
            if (!walk.Value(writer, null, root, type.Type, new JsonPath(null, "$", -1)))
            {
                writer.WriteNullValue();
            }
        }

        return buffer.WrittenSpan.ToArray();
    }

    private readonly struct Walk(JsonSerializerOptions options, List<string> warnings)
    {
        /// <summary>Writes <paramref name="name"/> and the value when the model can hold it; false (and a warning) when not.</summary>
        public bool Value(Utf8JsonWriter w, string? name, JsonElement value, Type type, JsonPath path)
        {
            type = Nullable.GetUnderlyingType(type) ?? type;
            var info = options.GetTypeInfo(type);
            return info.Kind switch
            {
                JsonTypeInfoKind.Object => Object(w, name, value, info, path),
                JsonTypeInfoKind.Enumerable => Array(w, name, value, info.ElementType!, path),
                JsonTypeInfoKind.Dictionary => Map(w, name, value, info.ElementType!, path),
                _ => Scalar(w, name, value, type, path),
            };
        }

        private bool Object(Utf8JsonWriter w, string? name, JsonElement value, JsonTypeInfo info, JsonPath path)
        {
            if (value.ValueKind != JsonValueKind.Object)
            {
                return Wrong(path, "an object", value);
            }

            var properties = Properties.GetOrAdd(info, static i => i.Properties.Where(p => !p.IsExtensionData).ToDictionary(p => p.Name, StringComparer.Ordinal));
            var keepsUnknown = info.Properties.Any(p => p.IsExtensionData);
            Name(w, name);
            w.WriteStartObject();
            foreach (var property in value.EnumerateObject())
            {
                if (properties.TryGetValue(property.Name, out var known))
                {
                    if (property.Value.ValueKind != JsonValueKind.Null)
                    {
                        Value(w, property.Name, property.Value, known.PropertyType, new JsonPath(path, property.Name, -1));
                    }
                }
                else if (keepsUnknown)
                {
                    w.WritePropertyName(property.Name);
                    property.Value.WriteTo(w);
                }
            }

            w.WriteEndObject();
            return true;
        }

        private bool Array(Utf8JsonWriter w, string? name, JsonElement value, Type item, JsonPath path)
        {
            if (value.ValueKind != JsonValueKind.Array)
            {
                return Wrong(path, "an array", value);
            }

            Name(w, name);
            w.WriteStartArray();
            var i = 0;
            foreach (var element in value.EnumerateArray())
            {
                var at = new JsonPath(path.Parent, path.Key, i++);
                if (element.ValueKind == JsonValueKind.Null)
                {
                    Warn($"{at}: expected {Expected(item)}, found null");
                }
                else
                {
                    Value(w, null, element, item, at);
                }
            }

            w.WriteEndArray();
            return true;
        }

        /// <summary>Maps keyed by data (allocations, stale probes): text values are kept, other values as their JSON text.</summary>
        private bool Map(Utf8JsonWriter w, string? name, JsonElement value, Type item, JsonPath path)
        {
            if (value.ValueKind != JsonValueKind.Object)
            {
                return Wrong(path, "an object", value);
            }

            Name(w, name);
            w.WriteStartObject();
            foreach (var property in value.EnumerateObject())
            {
                if (item == typeof(string))
                {
                    w.WriteString(property.Name, property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : property.Value.GetRawText());
                }
                else if (property.Value.ValueKind != JsonValueKind.Null)
                {
                    Value(w, property.Name, property.Value, item, new JsonPath(path, property.Name, -1));
                }
            }

            w.WriteEndObject();
            return true;
        }

        private bool Scalar(Utf8JsonWriter w, string? name, JsonElement value, Type type, JsonPath path)
        {
            if (type == typeof(string))
            {
                return value.ValueKind == JsonValueKind.String ? Write(w, name, value.GetString()) : Wrong(path, "a string", value);
            }

            if (type == typeof(long) || type == typeof(int))
            {
                // Some producers (protojson) write 64-bit integers as strings.
                if ((value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number))
                    || (value.ValueKind == JsonValueKind.String && long.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out number)))
                {
                    if (type == typeof(long) || number is >= int.MinValue and <= int.MaxValue)
                    {
                        Name(w, name);
                        w.WriteNumberValue(number);
                        return true;
                    }
                }

                return Wrong(path, "an integer", value);
            }

            if (type == typeof(double))
            {
                if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) && double.IsFinite(number))
                {
                    Name(w, name);
                    w.WriteNumberValue(number);
                    return true;
                }

                return Wrong(path, "a number", value);
            }

            if (type == typeof(bool))
            {
                if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
                {
                    Name(w, name);
                    w.WriteBooleanValue(value.GetBoolean());
                    return true;
                }

                return Wrong(path, "true or false", value);
            }

            if (value.ValueKind != JsonValueKind.String)
            {
                return Wrong(path, "a string", value);
            }

            var text = value.GetString()!;
            if (type == typeof(DateTimeOffset))
            {
                return value.TryGetDateTimeOffset(out _) || WireTime.TryParse(text, out _)
                    ? Write(w, name, text)
                    : Warn($"{path}: '{Shorten(text)}' is not an RFC 3339 time");
            }

            if (type == typeof(Guid))
            {
                return Guid.TryParse(text, out var uuid) ? Write(w, name, uuid.ToString("D")) : Warn($"{path}: '{Shorten(text)}' is not a UUID");
            }

            // A type without a rule of its own: the text as written, for the model's converter to take or refuse.
            return Write(w, name, text);
        }

        private static bool Write(Utf8JsonWriter w, string? name, string? text)
        {
            Name(w, name);
            w.WriteStringValue(text);
            return true;
        }

        private static void Name(Utf8JsonWriter w, string? name)
        {
            if (name is not null)
            {
                w.WritePropertyName(name);
            }
        }

        private string Expected(Type item)
        {
            item = Nullable.GetUnderlyingType(item) ?? item;
            return options.GetTypeInfo(item).Kind == JsonTypeInfoKind.Object ? "an object" : item == typeof(string) ? "a string" : "a value";
        }

        private bool Wrong(JsonPath path, string expected, JsonElement value) =>
            Warn($"{path}: expected {expected}, found {WireJson.Kind(value.ValueKind)}");

        private bool Warn(string warning)
        {
            if (warnings.Count < MaxWarnings)
            {
                warnings.Add(warning);
            }

            return false;
        }

        private static string Shorten(string text) => text.Length <= 64 ? text : text[..64] + "…";
    }
}

/// <summary>
/// A JSON path kept as a chain of small nodes: walking a document allocates no path strings; the string is built
/// only when a warning names it.
/// </summary>
internal sealed class JsonPath(JsonPath? parent, string key, int index)
{
    public JsonPath? Parent { get; } = parent;

    public string Key { get; } = key;

    public override string ToString()
    {
        var self = Parent is null ? Key : $"{Parent}.{Key}";
        return index >= 0 ? $"{self}[{index}]" : self;
    }
}
