using System.Globalization;
using System.Text.Json;

namespace CiliumDash.Simulator.Kubernetes;

/// <summary>
/// The server-side <c>meta.k8s.io/v1</c> Table for pods that kubectl asks for (<c>Accept: ...;as=Table</c>), so that
/// <c>kubectl get pods</c> shows READY/STATUS/RESTARTS instead of only NAME and AGE.
/// </summary>
internal static class PodTable
{
    private static readonly (string Name, string Format, int Priority)[] Columns =
    [
        ("Name", "name", 0), ("Ready", "", 0), ("Status", "", 0), ("Restarts", "", 0), ("Age", "", 0), ("IP", "", 1), ("Node", "", 1),
    ];

    public static bool Wanted(string? accept) => accept is not null && accept.Contains("as=Table", StringComparison.Ordinal);

    public static byte[] Render(IEnumerable<KubeObject> items, string resourceVersion, DateTimeOffset now) => KubeJson.Render(w =>
        {
            w.WriteStartObject();
            w.WriteString("kind", "Table");
            w.WriteString("apiVersion", "meta.k8s.io/v1");
            w.WriteStartObject("metadata");
            w.WriteString("resourceVersion", resourceVersion);
            w.WriteEndObject();
            w.WriteStartArray("columnDefinitions");
            foreach (var (name, format, priority) in Columns)
            {
                w.WriteStartObject();
                w.WriteString("name", name);
                w.WriteString("type", "string");
                w.WriteString("format", format);
                w.WriteString("description", "");
                w.WriteNumber("priority", priority);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("rows");
            foreach (var item in items)
            {
                WriteRow(w, item, now);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });

    private static void WriteRow(Utf8JsonWriter w, KubeObject item, DateTimeOffset now)
    {
        using var doc = JsonDocument.Parse(item.Json);
        var root = doc.RootElement;
        var metadata = root.GetProperty("metadata");
        var status = root.GetProperty("status");
        var container = status.GetProperty("containerStatuses")[0];
        var ready = container.GetProperty("ready").GetBoolean();
        var restarts = container.GetProperty("restartCount").GetInt32();
        var reason = container.GetProperty("state").TryGetProperty("waiting", out var waiting) ? waiting.GetProperty("reason").GetString() : "Running";
        var created = DateTimeOffset.Parse(metadata.GetProperty("creationTimestamp").GetString()!, CultureInfo.InvariantCulture);
        var lastRestart = container.GetProperty("lastState").TryGetProperty("terminated", out var terminated)
            ? $" ({Age(now - DateTimeOffset.Parse(terminated.GetProperty("finishedAt").GetString()!, CultureInfo.InvariantCulture))} ago)"
            : "";

        w.WriteStartObject();
        w.WriteStartArray("cells");
        w.WriteStringValue(item.Name);
        w.WriteStringValue(ready ? "1/1" : "0/1");
        w.WriteStringValue(reason);
        w.WriteStringValue(restarts.ToString(CultureInfo.InvariantCulture) + lastRestart);
        w.WriteStringValue(Age(now - created));
        w.WriteStringValue(status.GetProperty("podIP").GetString());
        w.WriteStringValue(item.NodeName);
        w.WriteEndArray();
        w.WriteStartObject("object");
        w.WriteString("kind", "PartialObjectMetadata");
        w.WriteString("apiVersion", "meta.k8s.io/v1");
        w.WritePropertyName("metadata");
        metadata.WriteTo(w);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>kubectl's short human durations: 45s, 5m12s, 47m, 3h10m, 26h, 3d4h, 40d, 3y.</summary>
    internal static string Age(TimeSpan d)
    {
        if (d < TimeSpan.Zero)
        {
            d = TimeSpan.Zero;
        }

        var seconds = (long)d.TotalSeconds;
        var minutes = (long)d.TotalMinutes;
        var hours = (long)d.TotalHours;
        return seconds < 120 ? $"{seconds}s"
            : minutes < 10 ? (seconds % 60 == 0 ? $"{minutes}m" : $"{minutes}m{seconds % 60}s")
            : minutes < 180 ? $"{minutes}m"
            : hours < 8 ? (minutes % 60 == 0 ? $"{hours}h" : $"{hours}h{minutes % 60}m")
            : hours < 48 ? $"{hours}h"
            : hours < 24 * 8 ? (hours % 24 == 0 ? $"{hours / 24}d" : $"{hours / 24}d{hours % 24}h")
            : hours < 24 * 365 * 2 ? $"{hours / 24}d"
            : $"{hours / 24 / 365}y";
    }
}
