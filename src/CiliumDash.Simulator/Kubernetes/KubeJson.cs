using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace CiliumDash.Simulator.Kubernetes;

/// <summary>One served object: its rendered JSON plus what label and field selectors look at.</summary>
/// <param name="NodeName">spec.nodeName for pods; null for kinds without that field (a selector on it is refused).</param>
internal sealed record KubeObject(
    string? Namespace,
    string Name,
    IReadOnlyDictionary<string, string> Labels,
    string? NodeName,
    string ResourceVersion,
    byte[] Json);

/// <summary>Small helpers for writing Kubernetes-shaped JSON with <see cref="Utf8JsonWriter"/>.</summary>
internal static class KubeJson
{
    public const string ContentType = "application/json";

    public static byte[] Render(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>RFC 3339 in UTC with second precision, as the API server writes metav1.Time.</summary>
    public static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>A stable uid per object, so that repeated lists agree and owner references line up.</summary>
    public static string Uid(string kind, string? ns, string name)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes($"{kind}/{ns}/{name}"), hash);
        return new Guid(hash[..16]).ToString();
    }

    public static void WriteMetadata(
        Utf8JsonWriter w,
        string kind,
        string? ns,
        string name,
        string resourceVersion,
        DateTimeOffset created,
        IReadOnlyDictionary<string, string>? labels,
        long? generation = null,
        (string ApiVersion, string Kind, string Name)? owner = null)
    {
        w.WriteStartObject("metadata");
        w.WriteString("name", name);
        if (ns is not null)
        {
            w.WriteString("namespace", ns);
        }

        w.WriteString("uid", Uid(kind, ns, name));
        w.WriteString("resourceVersion", resourceVersion);
        if (generation is { } g)
        {
            w.WriteNumber("generation", g);
        }

        w.WriteString("creationTimestamp", Time(created));
        if (labels is { Count: > 0 })
        {
            WriteStringMap(w, "labels", labels);
        }

        if (owner is var (apiVersion, ownerKind, ownerName))
        {
            w.WriteStartArray("ownerReferences");
            w.WriteStartObject();
            w.WriteString("apiVersion", apiVersion);
            w.WriteString("kind", ownerKind);
            w.WriteString("name", ownerName);
            w.WriteString("uid", Uid(ownerKind, ownerKind == "Node" ? null : ns, ownerName));
            w.WriteBoolean("controller", true);
            w.WriteBoolean("blockOwnerDeletion", true);
            w.WriteEndObject();
            w.WriteEndArray();
        }

        w.WriteEndObject();
    }

    public static void WriteStringMap(Utf8JsonWriter w, string property, IReadOnlyDictionary<string, string> map)
    {
        w.WriteStartObject(property);
        foreach (var (key, value) in map.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            w.WriteString(key, value);
        }

        w.WriteEndObject();
    }

    public static byte[] List(string apiVersion, string listKind, string resourceVersion, IEnumerable<KubeObject> items) => Render(w =>
    {
        w.WriteStartObject();
        w.WriteString("kind", listKind);
        w.WriteString("apiVersion", apiVersion);
        w.WriteStartObject("metadata");
        w.WriteString("resourceVersion", resourceVersion);
        w.WriteEndObject();
        w.WriteStartArray("items");
        foreach (var item in items)
        {
            w.WriteRawValue(item.Json, skipInputValidation: true);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    });

    /// <summary>A watch event line (without the newline).</summary>
    public static byte[] WatchEvent(string type, KubeObject item) => Render(w =>
    {
        w.WriteStartObject();
        w.WriteString("type", type);
        w.WritePropertyName("object");
        w.WriteRawValue(item.Json, skipInputValidation: true);
        w.WriteEndObject();
    });
}
