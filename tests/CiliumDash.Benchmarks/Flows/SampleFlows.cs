using CiliumDash.Simulator.Cluster;
using CiliumDash.Simulator.Relay;
using Google.Protobuf;

namespace CiliumDash.Benchmarks.Flows;

/// <summary>Flows as the simulated relay would send them, serialized once so benchmarks measure only the consumer.</summary>
internal static class SampleFlows
{
    /// <summary>
    /// <paramref name="count"/> <c>GetFlowsResponse</c> messages drawn from the generator's weighted template mix,
    /// one millisecond apart, each as its wire bytes.
    /// </summary>
    public static byte[][] Serialized(int count, SimulatorOptions? options = null)
    {
        var cluster = new SimulatedCluster(options ?? new SimulatorOptions());
        var rings = cluster.Nodes.Select((n, i) => (n.Name, i)).ToDictionary(p => p.Name, p => p.i, StringComparer.Ordinal);
        var generator = new FlowGenerator(FlowTemplateBuilder.Build(cluster, rings), cluster.Options.Seed);
        var start = FlowGenerationService.UnixNanos(cluster.StartedAt);
        var messages = new byte[count][];
        for (var i = 0; i < count; i++)
        {
            var template = generator.Next(out var index);
            messages[i] = template.Materialize(start + (i * 1_000_000L), index, generator.Ids).ToByteArray();
        }

        return messages;
    }
}
