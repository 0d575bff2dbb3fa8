using System.Text.Json;
using CiliumDash.Simulator.Cluster;
using Microsoft.Extensions.Time.Testing;

namespace CiliumDash.Tests.Simulator.Documents;

/// <summary>Builds simulated clusters and reads their documents for the document tests.</summary>
internal static class DocumentTestData
{
    /// <summary>The notes' probe time; a fixed start makes documents of separately built clusters comparable.</summary>
    public static readonly DateTimeOffset Start = new(2022, 8, 23, 1, 55, 59, TimeSpan.Zero);

    /// <summary>3m34.5s after start, like the notes' "endpoint-gc 3m34s ago".</summary>
    public static readonly DateTimeOffset Now = Start + TimeSpan.FromSeconds(214.5);

    public static SimulatedCluster Cluster(
        WireShape shape = WireShape.Cilium112,
        int nodes = 2,
        int seed = 1,
        IEnumerable<string>? failingControllers = null,
        IEnumerable<string>? unreachableEndpoints = null,
        IEnumerable<string>? slowLinks = null)
    {
        var faults = new SimulatorFaults
        {
            FailingControllerNodes = new HashSet<string>(failingControllers ?? []),
            EndpointUnreachableNodes = new HashSet<string>(unreachableEndpoints ?? []),
            SlowLinkNodes = new HashSet<string>(slowLinks ?? []),
        };
        var options = new SimulatorOptions { Shape = shape, Nodes = nodes, Seed = seed, Faults = faults };
        return new SimulatedCluster(options, new FakeTimeProvider(Start));
    }

    /// <summary>A cluster with every fault on, on different nodes, so one pass over its documents sees them all.</summary>
    public static SimulatedCluster AllFaults(WireShape shape, int nodes = 4) =>
        Cluster(shape, nodes, failingControllers: ["fedora", "knode1"], unreachableEndpoints: ["knode1"], slowLinks: ["knode2"]);

    public static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    public static string FixturePath(params string[] parts) =>
        Path.Combine([AppContext.BaseDirectory, "Fixtures", .. parts]);

    /// <summary>
    /// Every property path of a document: "a.b" for nested objects, "a[].b" inside arrays, and "*" for the keys of
    /// the objects listed in <paramref name="mapPaths"/> (maps keyed by data, like IPAM allocations).
    /// </summary>
    public static SortedSet<string> PropertyPaths(JsonElement root, IReadOnlySet<string> mapPaths)
    {
        var paths = new SortedSet<string>(StringComparer.Ordinal);
        Walk(root, "", paths, mapPaths);
        return paths;
    }

    private static void Walk(JsonElement element, string path, SortedSet<string> paths, IReadOnlySet<string> mapPaths)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    var name = mapPaths.Contains(path) ? "*" : property.Name;
                    var child = path.Length == 0 ? name : $"{path}.{name}";
                    paths.Add(child);
                    Walk(property.Value, child, paths, mapPaths);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    Walk(item, path + "[]", paths, mapPaths);
                }

                break;
        }
    }
}
