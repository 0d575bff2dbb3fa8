using System.Text;
using System.Text.Json.Nodes;

namespace CiliumDash.Tests.Agents;

/// <summary>
/// Damages a valid JSON document the ways a broken exec, a buggy agent or a hostile proxy could: truncation, values
/// of the wrong type, huge strings, nesting past the parser's limit and flipped bytes. Deterministic for a seed.
/// </summary>
internal sealed class DocumentMutator(string document, int seed)
{
    private readonly Random _random = new(seed);
    private readonly byte[] _bytes = Encoding.UTF8.GetBytes(document);

    public byte[] Next() => _random.Next(5) switch
    {
        0 => _bytes[.._random.Next(_bytes.Length)],
        1 => Replace(() => RandomValue()),
        2 => Replace(() => JsonValue.Create(new string((char)_random.Next(0x20, 0x7e), _random.Next(100_000, 1_000_000)))),
        3 => Replace(() => Deep(_random.Next(65, 300))),
        _ => Flip(),
    };

    private byte[] Replace(Func<JsonNode?> make)
    {
        var root = JsonNode.Parse(_bytes)!;
        var nodes = new List<JsonNode>();
        Collect(root, nodes);
        var target = nodes[_random.Next(nodes.Count)];
        switch (target.Parent)
        {
            case JsonObject o:
                o[target.GetPropertyName()] = make();
                break;
            case JsonArray a:
                a[target.GetElementIndex()] = make();
                break;
        }

        return Encoding.UTF8.GetBytes(root.ToJsonString());
    }

    private JsonNode? RandomValue() => _random.Next(6) switch
    {
        0 => null,
        1 => JsonValue.Create(_random.Next() % 2 == 0),
        2 => JsonValue.Create(_random.NextDouble() * long.MaxValue),
        3 => JsonValue.Create("0001-01-01T00:00:00.000Z"),
        4 => new JsonArray(JsonValue.Create(1), JsonValue.Create("x"), new JsonObject()),
        _ => new JsonObject { ["state"] = JsonValue.Create(7) },
    };

    private static JsonNode Deep(int depth)
    {
        JsonNode node = new JsonArray();
        for (var i = 0; i < depth; i++)
        {
            node = i % 2 == 0 ? new JsonArray(node) : new JsonObject { ["a"] = node };
        }

        return node;
    }

    private byte[] Flip()
    {
        var copy = (byte[])_bytes.Clone();
        for (var i = _random.Next(1, 8); i > 0; i--)
        {
            copy[_random.Next(copy.Length)] = (byte)_random.Next(256);
        }

        return copy;
    }

    private static void Collect(JsonNode node, List<JsonNode> into)
    {
        IEnumerable<JsonNode?> children = node switch
        {
            JsonObject o => o.Select(p => p.Value),
            JsonArray a => a,
            _ => [],
        };
        foreach (var child in children.OfType<JsonNode>())
        {
            into.Add(child);
            Collect(child, into);
        }
    }
}
