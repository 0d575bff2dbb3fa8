using System.Text;
using System.Text.Json;
using CiliumDash.Simulator.Cluster;

namespace CiliumDash.Simulator.Documents;

/// <summary>
/// <c>cilium-dbg metrics list -o json</c>: a JSON array of <c>{"labels", "name", "value"}</c>. A few unrelated metrics
/// surround <c>cilium_bpf_map_pressure</c> (label <c>map_name</c>, used entries / configured size) for the node's maps,
/// as a real agent's list holds hundreds of metrics the dashboard must skip.
/// </summary>
internal static class AgentMetricsDocuments
{
    public const string PressureMetric = "cilium_bpf_map_pressure";

    /// <summary>Maps the agent reports pressure for, with a typical fill band (low, high) on a quiet cluster.</summary>
    private static readonly (string Map, double Low, double High)[] Maps =
    [
        ("cilium_ct4_global", 0.05, 0.35),
        ("cilium_ct_any4_global", 0.01, 0.10),
        ("cilium_ipcache", 0.001, 0.02),
        ("cilium_lb4_services_v2", 0.001, 0.01),
        ("cilium_lb4_backends_v3", 0.001, 0.01),
        ("cilium_snat_v4_external", 0.02, 0.30),
        ("cilium_lxc", 0.0005, 0.01),
    ];

    /// <summary>What the map-pressure fault sets: two maps over 80 %.</summary>
    private static readonly Dictionary<string, double> Pressured = new(StringComparer.Ordinal)
    {
        ["cilium_ct4_global"] = 0.93,
        ["cilium_snat_v4_external"] = 0.86,
    };

    public static string Render(SimulatedCluster cluster, SimNode node, DateTimeOffset now)
    {
        var random = WireFormat.NodeRandom(cluster.Options.Seed, node.Index, salt: 7);
        var faulted = cluster.Faults.MapPressureNodes.Contains(node.Name);

        // Small, smooth movement: a few tenths of a percent over minutes, so successive reads differ like a live map.
        var minutes = (now - cluster.StartedAt).TotalMinutes;
        double Wobble(double phase) => 0.003 * Math.Sin(minutes / 3 + phase);

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            Metric(writer, "cilium_agent_api_process_time_seconds", [("method", "GET"), ("path", "/v1/healthz"), ("return_code", "200")], 0.0004);
            Metric(writer, "cilium_endpoint", [], NodeInventory.For(cluster, node).EndpointIds.Count());
            foreach (var (map, low, high) in Maps)
            {
                var ratio = faulted && Pressured.TryGetValue(map, out var high80)
                    ? high80
                    : low + (random.NextDouble() * (high - low)) + Wobble(random.NextDouble() * Math.PI);
                Metric(writer, PressureMetric, [("map_name", map)], Math.Max(0, Math.Round(ratio, 6)));
            }

            // Policy maps are only reported once they pass a threshold: the host endpoint's is the usual one.
            var hostPolicy = 0.12 + (random.NextDouble() * 0.1);
            Metric(writer, PressureMetric, [("map_name", $"cilium_policy_{NodeInventory.For(cluster, node).HostEndpointId:00000}")], Math.Round(hostPolicy, 6));
            Metric(writer, "cilium_unreachable_nodes", [], 0);
            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void Metric(Utf8JsonWriter writer, string name, (string Key, string Value)[] labels, double value)
    {
        writer.WriteStartObject();
        writer.WriteStartObject("labels");
        foreach (var (key, v) in labels)
        {
            writer.WriteString(key, v);
        }

        writer.WriteEndObject();
        writer.WriteString("name", name);
        writer.WriteNumber("value", value);
        writer.WriteEndObject();
    }
}
