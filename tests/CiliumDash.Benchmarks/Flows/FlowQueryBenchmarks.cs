using BenchmarkDotNet.Attributes;
using CiliumDash.Benchmarks.Flows.Legacy;
using CiliumDash.Flows;
using CiliumDash.Flows.Query;
using CiliumDash.Flows.Window;
using CiliumDash.Protocols.Hubble;
using CiliumDash.Protocols.Hubble.ObserverApi;

namespace CiliumDash.Benchmarks.Flows;

/// <summary>
/// A filtered page over a full 100,000-flow window of the simulator's flows: three filters (a destination namespace,
/// a verdict, a destination port), the newest 1,000 matches returned as records, all matches counted. Against:
/// <see cref="PlainLoop"/>, a hand-written loop over the same rows that compares one field (the destination port) and
/// maps the same number of rows (the baseline), and <see cref="LegacyScratchQuery"/>, the window before rows were
/// mapped at ingest (a scratch protobuf per row and the protobuf matcher). Setup prints the memory each window keeps
/// per flow.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 3, iterationCount: 8)]
public class FlowQueryBenchmarks
{
    public const string Filter = "to-namespace=shop&verdict=FORWARDED&to-port=8080";

    private const int Window = 100_000;
    private const int Take = 1_000;

    private FlowStore _store = null!;
    private FlowQuery _query = null!;
    private LegacyWindow _legacy = null!;
    private Func<Flow, bool> _legacyMatcher = null!;

    [GlobalSetup]
    public void Setup()
    {
        var messages = SampleFlows.Serialized(Window);
        _query = FlowQuery.Parse(Filter);

        var (store, perFlow, allocated) = Fill(() => new FlowStore(TimeProvider.System, Window), (s, r) => s.Stage(r), s => s.Commit(), messages);
        _store = store;
        var shared = _store.Window.SharedValues;
        var page = _store.Query(_query, 0, Take);
        Console.WriteLine($"// window {_store.Count:N0} flows, {messages.Sum(m => (long)m.Length) / Window} bytes each on the wire; {Filter}: {page.Matched:N0} matches, {page.Rows.Count} returned");
        Console.WriteLine($"// rows mapped at ingest: {perFlow:N0} bytes retained per flow (GC heap after a full collection), {allocated:N0} bytes allocated per flow while filling; shared values {shared}");

        var (legacy, legacyPerFlow, legacyAllocated) = Fill(() => new LegacyWindow(Window), (w, r) => w.Add(r), _ => { }, messages);
        _legacy = legacy;
        _legacyMatcher = LegacyWindow.Matcher(_query);
        var legacyPage = _legacy.Query(_legacyMatcher, usesUuid: false, 0, Take);
        Console.WriteLine($"// legacy window: {legacyPerFlow:N0} bytes retained per flow, {legacyAllocated:N0} bytes allocated per flow; same query: {legacyPage.Matched:N0} matches");
        if (legacyPage.Matched != page.Matched || PlainLoop() <= 0)
        {
            throw new InvalidOperationException("the two windows disagree on the query");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _store.Dispose();

    /// <summary>One field compared per row, the page's rows mapped the same way; no lock, no query.</summary>
    [Benchmark(Baseline = true)]
    public int PlainLoop()
    {
        var rows = _store.Window.Rows;
        var page = new List<FlowRecord>(Take);
        var matched = 0;
        for (var i = rows.Length - 1; i >= 0; i--)
        {
            ref readonly var row = ref rows[i];
            if (row.DestinationPort == 8080)
            {
                if (page.Count < Take)
                {
                    page.Add(FlowRowCodec.ToRecord(row));
                }

                matched++;
            }
        }

        return matched + page.Count;
    }

    [Benchmark]
    public int Query() => _store.Query(_query, 0, Take).Matched;

    [Benchmark]
    public int LegacyScratchQuery() => _legacy.Query(_legacyMatcher, usesUuid: false, 0, Take).Matched;

    /// <summary>Fills a window and measures what it keeps (after a full collection) and what filling allocates, per flow.</summary>
    private static (T Window, long RetainedPerFlow, long AllocatedPerFlow) Fill<T>(Func<T> create, Action<T, GetFlowsResponse> add, Action<T> commit, byte[][] messages)
    {
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var window = create();
        for (var i = 0; i < messages.Length; i++)
        {
            add(window, GetFlowsResponse.Parser.ParseFrom(messages[i]));
            if (i % 256 == 255)
            {
                commit(window);
            }
        }

        commit(window);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        var after = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(window);
        return (window, (after - before) / messages.Length, allocated / messages.Length);
    }
}
