using System.Globalization;
using System.Text.Json;
using CiliumDash.Shared;

namespace CiliumDash.Agents;

/// <summary>
/// The agent's <c>cilium_bpf_map_pressure</c> figures: per BPF map, used entries over configured size (1.0 = full).
/// Values are kept as the agent reported them, even when they cannot be a fill level (negative, NaN, far over 1).
/// </summary>
/// <param name="Warnings">pressure entries that could not be read, with their index in the list.</param>
public sealed record MapPressure(IReadOnlyList<(string MapName, double Ratio)> Maps, DateTimeOffset ReadAt, IReadOnlyList<string> Warnings)
{
    /// <summary>Over this a map is a problem: inserts start failing when it reaches 1.</summary>
    public const double High = 0.8;

    /// <summary>Over this a map is worth watching.</summary>
    public const double Elevated = 0.6;

    /// <summary>The level word the API and pages show for a fill ratio: high, elevated or normal.</summary>
    public static string LevelOf(double ratio) => ratio > High ? "high" : ratio > Elevated ? "elevated" : "normal";

    public IEnumerable<(string MapName, double Ratio)> OverHigh => Maps.Where(m => m.Ratio > High).OrderByDescending(m => m.Ratio);
}

/// <summary>
/// Reads <c>cilium-dbg metrics list -o json</c> (or the agent's <c>GET /v1/metrics/</c>): an array of
/// <c>{"name", "labels", "value"}</c>. Everything but <c>cilium_bpf_map_pressure</c> is skipped; bad input never throws.
/// </summary>
public static class MapPressureParser
{
    public const string Metric = "cilium_bpf_map_pressure";

    /// <summary>A real list is tens of KB; larger answers are refused to keep the poller bounded.</summary>
    public const int MaxDocumentBytes = WireJson.MaxDocumentBytes;

    private const int MaxWarnings = 20;

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 16 };

    public static ParseResult<MapPressure> Parse(ReadOnlyMemory<byte> utf8, DateTimeOffset readAt)
    {
        if (utf8.Length > MaxDocumentBytes)
        {
            return ParseResult.Fail<MapPressure>($"metrics list is {utf8.Length:N0} bytes, over the {MaxDocumentBytes:N0}-byte limit");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8, DocumentOptions);
        }
        catch (JsonException ex)
        {
            return ParseResult.Fail<MapPressure>($"malformed metrics JSON at {ex.Path ?? "$"} (line {(ex.LineNumber ?? 0) + 1}, byte {ex.BytePositionInLine ?? 0})");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Array)
            {
                return ParseResult.Fail<MapPressure>($"metrics JSON at $: expected an array of metrics, found {Kind(root)}");
            }

            var maps = new List<(string, double)>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var warnings = new List<string>();
            var index = 0;
            foreach (var entry in root.EnumerateArray())
            {
                if (Read(entry, $"$[{index}]", out var warning) is { } map)
                {
                    // A map reported twice (should not happen) keeps its first figure rather than showing two rows.
                    if (seen.Add(map.MapName))
                    {
                        maps.Add(map);
                    }
                }
                else if (warning is not null && warnings.Count < MaxWarnings)
                {
                    warnings.Add(warning);
                }

                index++;
            }

            maps.Sort((a, b) => string.CompareOrdinal(a.Item1, b.Item1));
            return ParseResult.Ok<MapPressure>(new MapPressure(maps, readAt, warnings));
        }
    }

    /// <summary>One pressure entry, or null with a warning when it is one but unreadable (null warning: another metric).</summary>
    private static (string MapName, double Ratio)? Read(JsonElement entry, string path, out string? warning)
    {
        warning = null;
        if (entry.ValueKind != JsonValueKind.Object)
        {
            warning = $"{path}: expected a metric object, found {Kind(entry)}";
            return null;
        }

        if (!entry.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String || !name.ValueEquals(Metric))
        {
            return null;
        }

        if (!entry.TryGetProperty("labels", out var labels) || labels.ValueKind != JsonValueKind.Object
            || !labels.TryGetProperty("map_name", out var mapName) || mapName.ValueKind != JsonValueKind.String
            || mapName.GetString() is not { Length: > 0 } map)
        {
            warning = $"{path}: {Metric} without a map_name label";
            return null;
        }

        if (!entry.TryGetProperty("value", out var value))
        {
            warning = $"{path}: {Metric} for {map} has no value";
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number)
        {
            // A number too large for a double (1e999) is still a number: infinitely full, with its sign.
            return (map, value.TryGetDouble(out var ratio) ? ratio : value.GetRawText().StartsWith('-') ? double.NegativeInfinity : double.PositiveInfinity);
        }

        // Prometheus spells non-finite values as strings; keep them so the page can show them for what they are.
        if (value.ValueKind == JsonValueKind.String && value.GetString() is { } text
            && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed))
        {
            return (map, parsed);
        }

        warning = $"{path}: {Metric} for {map} has a value that is not a number ({Kind(value)})";
        return null;
    }

    private static string Kind(JsonElement e) => e.ValueKind.ToString().ToLowerInvariant();
}
