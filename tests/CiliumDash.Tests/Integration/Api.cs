using System.Text.Json;
using System.Text.RegularExpressions;

namespace CiliumDash.Tests.Integration;

/// <summary>Reads the dashboard's REST API as raw JSON, so tests check the wire contract rather than a C# model.</summary>
internal static partial class Api
{
    public static async Task<JsonElement> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        response.EnsureSuccessStatusCode();
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.Clone();
    }

    /// <summary>Polls <paramref name="path"/> until its JSON satisfies <paramref name="condition"/>, and returns that JSON.</summary>
    public static async Task<JsonElement> WaitForAsync(HttpClient client, string path, Func<JsonElement, bool> condition, string what, TimeSpan? timeout = null)
    {
        var box = await CiliumDash.Testing.Eventually.Value(async () =>
        {
            var json = await GetAsync(client, path);
            return condition(json) ? new[] { json } : null;
        }, what, timeout);
        return box[0];
    }

    public static JsonElement Node(JsonElement nodes, string name) =>
        nodes.EnumerateArray().Single(n => n.GetProperty("name").GetString() == name);

    public static string? Error(JsonElement node) => node.GetProperty("error").GetString();

    /// <summary>The REST contract's time format: RFC 3339 in UTC, ending in Z.</summary>
    public static void AssertUtcTime(JsonElement value)
    {
        Assert.Equal(JsonValueKind.String, value.ValueKind);
        Assert.Matches(UtcTime(), value.GetString());
    }

    /// <summary>Every property name is camelCase (starts lower-case, no separators).</summary>
    public static void AssertCamelCase(JsonElement obj)
    {
        foreach (var p in obj.EnumerateObject())
        {
            Assert.Matches(CamelCase(), p.Name);
        }
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?Z$")]
    private static partial Regex UtcTime();

    [GeneratedRegex("^[a-z][a-zA-Z0-9]*$")]
    private static partial Regex CamelCase();
}
