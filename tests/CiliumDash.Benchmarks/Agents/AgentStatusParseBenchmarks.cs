using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using CiliumDash.Agents;
using CiliumDash.Protocols.Json;
using CiliumDash.Simulator.Cluster;
using CiliumDash.Simulator.Documents;

namespace CiliumDash.Benchmarks.Agents;

/// <summary>
/// A full <c>cilium-dbg status -o json</c> document read into <see cref="AgentStatus"/> through the typed wire model
/// (source-generated deserialization + mapping), and the deserialization alone, against the floor of building a DOM
/// of the same bytes (docs/benchmarks.md §2 has the JsonDocument walk this replaced, measured side by side). A
/// one-node cluster of the current wire shape puts every simulated pod on that node, which gives the simulator's
/// maximum of 60 controllers.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 3, iterationCount: 8)]
public class AgentStatusParseBenchmarks
{
    private byte[] _document = [];

    [GlobalSetup]
    public void Setup()
    {
        var cluster = new SimulatedCluster(new SimulatorOptions { Nodes = 1, Shape = WireShape.Current });
        _document = Encoding.UTF8.GetBytes(AgentStatusDocuments.Render(cluster, cluster.Nodes[0], cluster.StartedAt.AddMinutes(30)));
        var status = AgentStatusParser.Parse(_document).Value ?? throw new InvalidOperationException("the sample document does not parse");
        Console.WriteLine($"// status document: {_document.Length:N0} bytes, {status.Controllers?.Count} controllers, {status.BpfMaps?.Maps.Count} BPF maps");
    }

    [Benchmark(Baseline = true)]
    public int JsonDocumentParse()
    {
        using var document = JsonDocument.Parse(_document);
        return document.RootElement.GetPropertyCount();
    }

    /// <summary>What the dashboard runs: deserialize the wire model, map it.</summary>
    [Benchmark]
    public AgentStatus? TypedParse() => AgentStatusParser.Parse(_document).Value;

    /// <summary>The deserialization alone, without the mapping.</summary>
    [Benchmark]
    public object? TypedDeserializeOnly() => JsonSerializer.Deserialize(_document, CiliumJson.Context.StatusResponse);
}
