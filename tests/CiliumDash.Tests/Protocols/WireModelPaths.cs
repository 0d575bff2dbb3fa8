using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using CiliumDash.Protocols.Json;

namespace CiliumDash.Tests.Protocols;

/// <summary>
/// Every property path a wire model declares, read from the source-generated metadata: "a.b" nested, "a[].b" inside
/// lists, "a.*" for the keys of maps keyed by data. The models are the only list of Cilium's wire names.
/// </summary>
internal static class WireModelPaths
{
    public static readonly IReadOnlySet<string> StatusResponse = Of(CiliumJson.Context.StatusResponse);

    public static readonly IReadOnlySet<string> HealthStatusResponse = Of(CiliumJson.Context.HealthStatusResponse);

    /// <summary>The paths whose keys are data (IPAM allocations, stale probes), for <c>DocumentTestData.PropertyPaths</c>.</summary>
    public static IReadOnlySet<string> Maps(IReadOnlySet<string> paths) =>
        paths.Where(p => p.EndsWith(".*", StringComparison.Ordinal)).Select(p => p[..^2]).ToHashSet();

    /// <summary>The document's paths that no model declares (a container path counts when the model has it).</summary>
    public static SortedSet<string> Unknown(IEnumerable<string> documentPaths, IReadOnlySet<string> model) =>
        new(documentPaths.Where(p => !model.Contains(p)), StringComparer.Ordinal);

    private static HashSet<string> Of(JsonTypeInfo root)
    {
        var paths = new HashSet<string>(StringComparer.Ordinal);
        Walk(root.Options, root.Type, "", paths, depth: 0);
        return paths;
    }

    private static void Walk(JsonSerializerOptions options, Type type, string path, HashSet<string> paths, int depth)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (depth > 16)
        {
            return;
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>))
        {
            Walk(options, type.GetGenericArguments()[0], path + "[]", paths, depth + 1);
            return;
        }

        var info = options.GetTypeInfo(type);
        switch (info.Kind)
        {
            case JsonTypeInfoKind.Object:
                foreach (var property in info.Properties.Where(p => !p.IsExtensionData))
                {
                    var child = path.Length == 0 ? property.Name : $"{path}.{property.Name}";
                    paths.Add(child);
                    Walk(options, property.PropertyType, child, paths, depth + 1);
                }

                break;
            case JsonTypeInfoKind.Dictionary:
                paths.Add(path + ".*");
                break;
            case JsonTypeInfoKind.Enumerable:
                Walk(options, info.ElementType!, path + "[]", paths, depth + 1);
                break;
        }
    }
}
