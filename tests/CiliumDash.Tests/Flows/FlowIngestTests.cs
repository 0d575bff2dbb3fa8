using CiliumDash.Flows;
using CiliumDash.Protocols.Hubble;
using CiliumDash.Protocols.Hubble.ObserverApi;
using Microsoft.Extensions.Time.Testing;
using static CiliumDash.Tests.Builders.FlowData;

namespace CiliumDash.Tests.Flows;

public sealed class FlowIngestTests : IDisposable
{
    private readonly FakeTimeProvider _time = new();
    private readonly FlowStore _store;

    public FlowIngestTests() => _store = new FlowStore(_time, windowSize: 1000);

    public void Dispose() => _store.Dispose();

    [Fact]
    public void Accept_SameFlowTwice_StoresOnceAndCountsTheDuplicate()
    {
        var ingest = new FlowIngest(_store, remember: 100);

        ingest.Accept(new GetFlowsResponse { Flow = Flow(1) });
        ingest.Accept(new GetFlowsResponse { Flow = Flow(1) });
        ingest.Flush();

        Assert.Equal((1L, 1L), (_store.Received, _store.Duplicates));
    }

    [Fact]
    public void Accept_FewerThanABatch_NotVisibleUntilFlush()
    {
        var ingest = new FlowIngest(_store, remember: 100);

        ingest.Accept(new GetFlowsResponse { Flow = Flow(1) });

        Assert.Equal(0, _store.Count);
        ingest.Flush();
        Assert.Equal(1, _store.Count);
    }

    [Fact]
    public void Accept_AFullBatch_CommitsWithoutFlush()
    {
        var ingest = new FlowIngest(_store, remember: 1000);

        for (var i = 0; i < FlowIngest.MaxBatch; i++)
        {
            ingest.Accept(new GetFlowsResponse { Flow = Flow(i) });
        }

        Assert.Equal(FlowIngest.MaxBatch, _store.Count);
    }

    [Fact]
    public void Accept_LostEventsAfterFlows_CommitsTheFlowsAndCountsTheLoss()
    {
        var ingest = new FlowIngest(_store, remember: 100);

        ingest.Accept(new GetFlowsResponse { Flow = Flow(1) });
        ingest.Accept(new GetFlowsResponse { NodeName = "knode1", LostEvents = new LostEvent { Source = LostEventSource.HubbleRingBuffer, NumEventsLost = 7 } });

        Assert.Equal(1, _store.Count);
        Assert.Equal(7ul, _store.LostBySource().Values.Single());
    }

    [Fact]
    public void Accept_OnlyDuplicatesForLongerThanTheLimit_WarnsUntilANewFlowArrives()
    {
        var ingest = new FlowIngest(_store, remember: 100);
        ingest.Accept(new GetFlowsResponse { Flow = Flow(1) });

        // A restarted relay that reuses UUIDs: it keeps sending, every flow is one already seen.
        for (var i = 0; i < 5; i++)
        {
            ingest.Accept(new GetFlowsResponse { Flow = Flow(1) });
            Assert.Null(_store.StreamWarning);
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        ingest.Accept(new GetFlowsResponse { Flow = Flow(1) });

        var warning = _store.StreamWarning;
        Assert.NotNull(warning);
        Assert.Equal(6, warning.Duplicates);
        Assert.Equal(_time.GetUtcNow() - TimeSpan.FromSeconds(5), warning.Since);
        Assert.Contains("only flows already seen", warning.Message, StringComparison.Ordinal);

        ingest.Accept(new GetFlowsResponse { Flow = Flow(2) });

        Assert.Null(_store.StreamWarning);
    }

    [Fact]
    public void Accept_BackfillOfDuplicatesThenNewFlows_NoWarning()
    {
        var ingest = new FlowIngest(_store, remember: 100);
        for (var i = 0; i < 50; i++)
        {
            ingest.Accept(new GetFlowsResponse { Flow = Flow(i) });
        }

        // A reconnect replays the recent past at once, then the stream goes on with new flows.
        for (var i = 0; i < 50; i++)
        {
            ingest.Accept(new GetFlowsResponse { Flow = Flow(i) });
        }

        _time.Advance(TimeSpan.FromSeconds(30));
        ingest.Accept(new GetFlowsResponse { Flow = Flow(50) });

        Assert.Null(_store.StreamWarning);
        Assert.Equal(50, _store.Duplicates);
    }
}
