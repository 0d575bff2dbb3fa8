using BenchmarkDotNet.Attributes;
using CiliumDash.Flows;
using CiliumDash.Protocols.Hubble.ObserverApi;

namespace CiliumDash.Benchmarks.Flows;

/// <summary>
/// The dashboard's per-flow cost (decode, map to a compact row, store in the live window) against the floor of
/// decoding alone. Results are per flow: each invocation handles <see cref="Flows"/> messages.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 3, iterationCount: 8)]
#pragma warning disable CA1001 // fixed separately
public class FlowIngestBenchmarks
#pragma warning restore CA1001
{
    private const int Flows = 10_000;

    private byte[][] _messages = [];
    private FlowStore _store = null!;

    [GlobalSetup]
    public void Setup()
    {
        _messages = SampleFlows.Serialized(Flows);
        _store = new FlowStore(TimeProvider.System, windowSize: Flows);
        Console.WriteLine($"// {Flows:N0} messages, {_messages.Sum(m => (long)m.Length) / Flows} bytes each on average");
    }

    [GlobalCleanup]
    public void Cleanup() => _store.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = Flows)]
    public long Decode()
    {
        long sum = 0;
        foreach (var bytes in _messages)
        {
            sum += GetFlowsResponse.Parser.ParseFrom(bytes).Flow.Uuid.Length;
        }

        return sum;
    }

    /// <summary>Mapping without keeping the row: separates the mapper's cost from the cost of retaining a window.</summary>
    [Benchmark(OperationsPerInvoke = Flows)]
    public long DecodeAndMap()
    {
        long sum = 0;
        foreach (var bytes in _messages)
        {
            var response = GetFlowsResponse.Parser.ParseFrom(bytes);
            sum += FlowMapper.Map(response.Flow, response.NodeName, response.Time).Summary.Length;
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Flows)]
    public long Ingest()
    {
        foreach (var bytes in _messages)
        {
            var response = GetFlowsResponse.Parser.ParseFrom(bytes);
            _store.Add(response.Flow, response.NodeName, response.Time);
        }

        return _store.Received;
    }

    /// <summary>What <see cref="RelayFlowSource"/> does per stream read, through the same <see cref="FlowIngest"/>.</summary>
    [Benchmark(OperationsPerInvoke = Flows)]
    public long IngestBatched()
    {
        var ingest = new FlowIngest(_store, Flows);
        foreach (var bytes in _messages)
        {
            ingest.Accept(GetFlowsResponse.Parser.ParseFrom(bytes));
        }

        ingest.Flush();
        return _store.Received;
    }
}
