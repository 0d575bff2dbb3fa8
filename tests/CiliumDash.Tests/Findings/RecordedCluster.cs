using System.Text.Json.Nodes;
using CiliumDash.Simulator.Cluster;
using CiliumDash.Simulator.Documents;

namespace CiliumDash.Tests.Findings;

/// <summary>
/// A recorded cluster folder in a temp directory (<c>nodes/&lt;node&gt;/status.json</c>, <c>health.json</c>,
/// <c>flows.jsonl</c>), as a support engineer would receive it: documents rendered by the simulator's generator for
/// these node names, then edited where a test plants a fault.
/// </summary>
internal sealed class RecordedCluster : IDisposable
{
    private readonly SimulatedCluster _generator;

    public RecordedCluster(params string[] nodes)
    {
        Directory = Path.Combine(Path.GetTempPath(), "ciliumdash-findings-" + Guid.NewGuid().ToString("N"));
        foreach (var node in nodes)
        {
            System.IO.Directory.CreateDirectory(Path.Combine(Directory, "nodes", node));
        }

        _generator = new SimulatedCluster(new SimulatorOptions { Scenario = Directory });
        At = _generator.StartedAt.AddMinutes(5);
    }

    public string Directory { get; }

    /// <summary>Faults the rendered health documents show (endpoint unreachable, nodes down).</summary>
    public SimulatorFaults Faults => _generator.Faults;

    private DateTimeOffset At { get; }

    /// <summary>Writes every node's documents; <paramref name="status"/> and <paramref name="health"/> edit them per node.</summary>
    public void Write(Action<string, JsonObject>? status = null, Action<string, JsonObject>? health = null, IEnumerable<string>? flowLines = null)
    {
        foreach (var node in _generator.Nodes)
        {
            var doc = JsonNode.Parse(AgentStatusDocuments.Render(_generator, node, At))!.AsObject();
            status?.Invoke(node.Name, doc);
            File.WriteAllText(Path.Combine(Directory, "nodes", node.Name, "status.json"), doc.ToJsonString());
            var report = JsonNode.Parse(HealthStatusDocuments.Render(_generator, node, At))!.AsObject();
            health?.Invoke(node.Name, report);
            File.WriteAllText(Path.Combine(Directory, "nodes", node.Name, "health.json"), report.ToJsonString());
        }

        if (flowLines is not null)
        {
            File.WriteAllLines(Path.Combine(Directory, "flows.jsonl"), flowLines);
        }
    }

    /// <summary>The first object under <paramref name="root"/> that has <paramref name="key"/> (depth first).</summary>
    public static JsonObject Holder(JsonNode root, string key) => Find(root, key) ?? throw new KeyNotFoundException($"no object with '{key}' in the document");

    /// <summary>Sets the size of a map in <c>bpf-maps.maps</c>.</summary>
    public static void MapSize(JsonObject status, string map, long size)
    {
        foreach (var entry in status["bpf-maps"]!["maps"]!.AsArray())
        {
            if ((string?)entry!["name"] == map)
            {
                entry["size"] = size;
                return;
            }
        }

        throw new KeyNotFoundException($"no map '{map}' in the document");
    }

    /// <summary>Makes the first controller of the document fail as the agent reports it; returns its name.</summary>
    public static string FailFirstController(JsonObject status, string message, DateTimeOffset at)
    {
        var controller = status["controllers"]!.AsArray()[0]!;
        var s = controller["status"]!.AsObject();
        s["consecutive-failure-count"] = 5;
        s["failure-count"] = 5;
        s["last-failure-msg"] = message;
        s["last-failure-timestamp"] = at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture);
        return (string)controller["name"]!;
    }

    public void Dispose()
    {
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }

    private static JsonObject? Find(JsonNode node, string key)
    {
        if (node is JsonObject o && o.ContainsKey(key))
        {
            return o;
        }

        IEnumerable<JsonNode?> children = node switch { JsonObject obj => obj.Select(p => p.Value), JsonArray arr => arr, _ => [] };
        return children.OfType<JsonNode>().Select(c => Find(c, key)).FirstOrDefault(f => f is not null);
    }
}
