using BenchmarkDotNet.Attributes;
using CiliumDash.Flows;
using CiliumDash.Protocols.Hubble.ObserverApi;

namespace CiliumDash.Benchmarks.Flows;

/// <summary>
/// The dashboard's per-flow cost (decode, redact, map to a compact row, store in the live window) against the floor of
/// decoding alone. <see cref="Ingest"/> commits every flow on its own; <see cref="IngestBatched"/> reads as the relay
/// reader does. Results are per flow: each invocation handles <see cref="Flows"/> messages.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 3, iterationCount: 8)]
#pragma warning disable CA1001 // BenchmarkDotNet disposes the store in [GlobalCleanup], which the rule does not see
public class FlowIngestBenchmarks
#pragma warning restore CA1001
{
    private const int Flows = 10_000;

    private byte[][] _messages = [];
    private FlowStore _store = null!;
    private Legacy.LegacyWindow _legacy = null!;

    [GlobalSetup]
    public void Setup()
    {
        _messages = SampleFlows.Serialized(Flows);
        _store = new FlowStore(TimeProvider.System, windowSize: Flows);
        _legacy = new Legacy.LegacyWindow(Flows);
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

    [Benchmark(OperationsPerInvoke = Flows)]
    public long Ingest()
    {
        foreach (var bytes in _messages)
        {
            _store.Stage(GetFlowsResponse.Parser.ParseFrom(bytes));
            _store.Commit();
        }

        return _store.Received;
    }

    /// <summary>What <see cref="RelayFlowSource"/> does per stream read, through the same <see cref="FlowIngest"/>.</summary>
    /// <summary>The window before rows were mapped at ingest (commit adef4cc), with the same deduplication: the baseline of this change.</summary>
    [Benchmark(OperationsPerInvoke = Flows)]
    public long LegacyIngestBatched()
    {
        var dedup = new FlowDeduplicator(Flows);
        foreach (var bytes in _messages)
        {
            var response = GetFlowsResponse.Parser.ParseFrom(bytes);
            if (dedup.IsNew(response.Flow, response.NodeName))
            {
                _legacy.Add(response);
            }
        }

        return _legacy.Count;
    }

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
