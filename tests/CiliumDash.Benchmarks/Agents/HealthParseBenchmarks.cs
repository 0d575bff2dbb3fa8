using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using CiliumDash.Connectivity;
using CiliumDash.Protocols.Json;
using CiliumDash.Simulator.Cluster;
using CiliumDash.Simulator.Documents;

namespace CiliumDash.Benchmarks.Agents;

/// <summary>
/// One node's <c>cilium-health status -o json</c> of a 1,000-node cluster (all pairs healthy, the largest document the
/// poller reads): the streaming reader the connectivity store uses against deserializing the typed wire model, which
/// is only the first half of a typed path (the store would still have to read the model into its cells).
/// </summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 3, iterationCount: 8)]
public class HealthParseBenchmarks
{
    private byte[] _document = [];

    [Params(WireShape.Cilium112, WireShape.Current)]
    public WireShape Shape { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var cluster = new SimulatedCluster(new SimulatorOptions { Nodes = 1000, Shape = Shape, FlowsPerSecond = 0 });
        _document = Encoding.UTF8.GetBytes(HealthStatusDocuments.Render(cluster, cluster.Nodes[0], cluster.StartedAt.AddMinutes(30)));
        var typed = JsonSerializer.Deserialize(_document, CiliumJson.Context.HealthStatusResponse)!;
        using var streamed = new HealthDocument();
        var error = HealthStreamParser.Parse(_document, streamed);
        if (error is not null || streamed.Count != typed.Nodes!.Count)
        {
            throw new InvalidOperationException($"the sample document does not parse alike: {error}");
        }

        Console.WriteLine($"// health document ({Shape}): {_document.Length:N0} bytes, {typed.Nodes.Count:N0} peers");
    }

    /// <summary>What the connectivity store runs: Utf8JsonReader into pooled buffers.</summary>
    [Benchmark(Baseline = true)]
    public int StreamingParse()
    {
        using var document = new HealthDocument();
        HealthStreamParser.Parse(_document, document);
        return document.Count;
    }

    [Benchmark]
    public int TypedDeserialize() => JsonSerializer.Deserialize(_document, CiliumJson.Context.HealthStatusResponse)!.Nodes!.Count;

    /// <summary>For scale: a DOM of the same bytes, read by nobody.</summary>
    [Benchmark]
    public int JsonDocumentParse()
    {
        using var document = JsonDocument.Parse(_document);
        return document.RootElement.GetPropertyCount();
    }
}
