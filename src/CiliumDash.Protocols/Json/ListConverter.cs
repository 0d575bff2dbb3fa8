using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace CiliumDash.Protocols.Json;

/// <summary>
/// Lists of the wire models hold no nulls: a null item (<c>"controllers": [null]</c>) is refused like a value of the
/// wrong type, so readers get lists they can use as they are and a broken item is named where it is.
/// </summary>
public sealed class ListConverterFactory : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) =>
        typeToConvert.IsGenericType && typeToConvert.GetGenericTypeDefinition() == typeof(IReadOnlyList<>);

    public override JsonConverter? CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter?)Activator.CreateInstance(typeof(ListConverter<>).MakeGenericType(typeToConvert.GetGenericArguments()[0]));
}

/// <summary>An <see cref="IReadOnlyList{T}"/> without null items.</summary>
public sealed class ListConverter<T> : JsonConverter<IReadOnlyList<T>>
{
    public override IReadOnlyList<T>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("expected an array");
        }

        var item = (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
        var list = new List<T>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.Null)
            {
                throw new JsonException("a list item is null");
            }

            list.Add(JsonSerializer.Deserialize(ref reader, item)!);
        }

        return list;
    }

    public override void Write(Utf8JsonWriter writer, IReadOnlyList<T> value, JsonSerializerOptions options)
    {
        var item = (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
        writer.WriteStartArray();
        for (var i = 0; i < value.Count; i++)
        {
            JsonSerializer.Serialize(writer, value[i], item);
        }

        writer.WriteEndArray();
    }
}
