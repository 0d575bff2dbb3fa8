using System.Text.Json;

namespace CiliumDash.Tests.Contract;

/// <summary>
/// The published fields of an OpenAPI document, flattened: per operation, its query/route parameters and every JSON
/// path its responses can carry (<c>$.controllers[].lastFailure</c>, maps as <c>.*</c>), with the JSON types found
/// there. $refs are resolved, so a renamed C# type (a new schema name) is not a change; a renamed property is.
/// </summary>
internal static class OpenApiFields
{
    public static Dictionary<string, HashSet<string>> Of(JsonElement document)
    {
        var fields = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var schemas = document.TryGetProperty("components", out var c) && c.TryGetProperty("schemas", out var s) ? s : default;
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                var op = $"{operation.Name.ToUpperInvariant()} {path.Name}";
                Add(fields, op, []);
                foreach (var parameter in operation.Value.TryGetProperty("parameters", out var ps) ? ps.EnumerateArray() : default(JsonElement.ArrayEnumerator))
                {
                    Add(fields, $"{op} parameter {parameter.GetProperty("in").GetString()}:{parameter.GetProperty("name").GetString()}", []);
                }

                if (!operation.Value.TryGetProperty("responses", out var responses))
                {
                    continue;
                }

                foreach (var response in responses.EnumerateObject())
                {
                    if (response.Value.TryGetProperty("content", out var content) && content.TryGetProperty("application/json", out var json) && json.TryGetProperty("schema", out var schema))
                    {
                        Walk(schema, $"{op} {response.Name} $", schemas, fields, []);
                    }
                }
            }
        }

        return fields;
    }

    /// <summary>What <paramref name="pinned"/> publishes that <paramref name="current"/> lacks or types differently, one line each.</summary>
    public static List<string> Missing(JsonElement pinned, JsonElement current)
    {
        var now = Of(current);
        var missing = new List<string>();
        foreach (var (path, types) in Of(pinned).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (!now.TryGetValue(path, out var currentTypes))
            {
                missing.Add($"missing: {path}");
            }
            else if (!types.IsSubsetOf(currentTypes))
            {
                missing.Add($"type changed: {path} was {string.Join("|", types.Order())}, is {string.Join("|", currentTypes.Order())}");
            }
        }

        return missing;
    }

    private static void Walk(JsonElement schema, string at, JsonElement schemas, Dictionary<string, HashSet<string>> fields, HashSet<string> refs)
    {
        var types = Add(fields, at, []);
        if (schema.TryGetProperty("$ref", out var reference))
        {
            var name = reference.GetString()!.Split('/')[^1];
            if (schemas.ValueKind == JsonValueKind.Object && schemas.TryGetProperty(name, out var target) && refs.Add(name))
            {
                Walk(target, at, schemas, fields, refs);
                refs.Remove(name);
            }

            return;
        }

        if (schema.TryGetProperty("type", out var type))
        {
            foreach (var t in type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(x => x.GetString()!) : [type.GetString()!])
            {
                if (t != "null")
                {
                    types.Add(t);
                }
            }
        }

        foreach (var combinator in new[] { "oneOf", "anyOf", "allOf" })
        {
            if (schema.TryGetProperty(combinator, out var list))
            {
                foreach (var option in list.EnumerateArray())
                {
                    Walk(option, at, schemas, fields, refs);
                }
            }
        }

        if (schema.TryGetProperty("properties", out var properties))
        {
            foreach (var p in properties.EnumerateObject())
            {
                Walk(p.Value, $"{at}.{p.Name}", schemas, fields, refs);
            }
        }

        if (schema.TryGetProperty("items", out var items) && items.ValueKind == JsonValueKind.Object)
        {
            Walk(items, at + "[]", schemas, fields, refs);
        }

        if (schema.TryGetProperty("additionalProperties", out var values) && values.ValueKind == JsonValueKind.Object)
        {
            Walk(values, at + ".*", schemas, fields, refs);
        }
    }

    private static HashSet<string> Add(Dictionary<string, HashSet<string>> fields, string path, HashSet<string> types)
    {
        if (!fields.TryGetValue(path, out var known))
        {
            fields[path] = known = types;
        }

        return known;
    }
}
