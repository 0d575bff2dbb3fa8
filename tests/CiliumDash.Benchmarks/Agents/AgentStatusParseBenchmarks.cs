using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using CiliumDash.Agents;
using CiliumDash.Simulator.Cluster;
using CiliumDash.Simulator.Documents;

namespace CiliumDash.Benchmarks.Agents;

/// <summary>
/// Typed parse of a full <c>cilium-dbg status -o json</c> document against the floor of building a DOM of the same
/// bytes. A one-node cluster of the current wire shape puts every simulated pod on that node, which gives the
/// simulator's maximum of 60 controllers.
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

    [Benchmark]
    public AgentStatus? TypedParse() => AgentStatusParser.Parse(_document).Value;
}
