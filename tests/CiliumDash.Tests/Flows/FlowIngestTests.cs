using CiliumDash.Flows;
using CiliumDash.Protocols.Hubble;
using CiliumDash.Protocols.Hubble.ObserverApi;
using Microsoft.Extensions.Time.Testing;
using static CiliumDash.Tests.Builders.FlowData;

namespace CiliumDash.Tests.Flows;

public sealed class FlowIngestTests : IDisposable
{
    private readonly FlowStore _store = new(new FakeTimeProvider(), windowSize: 1000);

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
}
