using CiliumDash.Flows;
using CiliumDash.Flows.Query;
using CiliumDash.Protocols.Hubble;
using CiliumDash.Protocols.Hubble.ObserverApi;
using Microsoft.Extensions.Time.Testing;
using static CiliumDash.Tests.Builders.FlowData;

namespace CiliumDash.Tests.Flows;

public sealed class FlowStoreTests : IDisposable
{
    private readonly FlowStore _store = new(new FakeTimeProvider(), windowSize: 100);

    private IReadOnlyList<FlowRecord> Page(int skip, int take, out int total)
    {
        var page = _store.Query(FlowQuery.Empty, skip, take);
        total = page.Matched;
        return page.Rows;
    }

    private static int Sequence(FlowRecord f) => int.Parse(f.Uuid[^12..], System.Globalization.CultureInfo.InvariantCulture);

    private void AddFlows(int count, Func<int, string>? verdict = null)
    {
        for (var i = 0; i < count; i++)
        {
            _store.Add(Flow(i, verdict: verdict?.Invoke(i) ?? "FORWARDED"));
        }
    }

    [Fact]
    public void Add_BeyondTheWindow_EvictsOldestAndCountsIt()
    {
        AddFlows(150);

        Assert.Equal(100, _store.Count);
        Assert.Equal(50, _store.Evicted);
        Assert.Equal(150, _store.Received);
    }

    [Fact]
    public void Add_WithinTheWindow_NothingEvicted()
    {
        AddFlows(100);

        Assert.Equal((100, 0L), (_store.Count, _store.Evicted));
    }

    [Fact]
    public void Page_NewestFirstAcrossTheWrap()
    {
        AddFlows(150);

        var first = Page(0, 3, out var total);
        var last = Page(98, 5, out _);

        Assert.Equal(100, total);
        Assert.Equal([149, 148, 147], first.Select(Sequence));
        Assert.Equal([51, 50], last.Select(Sequence));
        Assert.Empty(Page(100, 5, out _));
    }

    [Fact]
    public void Commit_BeyondTheWindow_InOrderEvictsOldestAndSkipsNonFlows()
    {
        foreach (var i in Enumerable.Range(0, 150))
        {
            _store.Stage(new GetFlowsResponse { Flow = Flow(i), NodeName = "knode1" });
        }

        _store.Stage(new GetFlowsResponse { LostEvents = new LostEvent { NumEventsLost = 3 } });
        _store.Commit();

        Assert.Equal((100, 50L, 150L), (_store.Count, _store.Evicted, _store.Received));
        Assert.Equal([149, 148], Page(0, 2, out _).Select(Sequence));
    }

    [Fact]
    public void Commit_AfterSingleAdds_NotifiesOnceAndKeepsArrivalOrder()
    {
        AddFlows(2);
        var before = _store.Changed.Version;

        _store.Stage(new GetFlowsResponse { Flow = Flow(2) });
        _store.Stage(new GetFlowsResponse { Flow = Flow(3) });
        _store.Commit();

        Assert.Equal(before + 1, _store.Changed.Version);
        Assert.Equal([3, 2, 1, 0], Page(0, 10, out _).Select(Sequence));
    }

    [Fact]
    public void Stage_BeforeCommit_NotVisibleNorNotified()
    {
        var before = _store.Changed.Version;

        _store.Stage(new GetFlowsResponse { Flow = Flow(0) });
        _store.Stage(new GetFlowsResponse { NodeStatus = new CiliumDash.Protocols.Hubble.RelayApi.NodeStatusEvent() });

        Assert.Equal((0, 0L, before), (_store.Count, _store.Received, _store.Changed.Version));
        _store.Commit();
        Assert.Equal((1, 1L, before + 1), (_store.Count, _store.Received, _store.Changed.Version));
        Assert.Equal([0], Page(0, 10, out _).Select(Sequence));
    }

    [Fact]
    public void Commit_NothingStaged_NoNotification()
    {
        var before = _store.Changed.Version;

        _store.Commit();

        Assert.Equal(before, _store.Changed.Version);
    }

    [Fact]
    public void Page_EmptyStore_NoRows()
    {
        Assert.Empty(Page(0, 10, out var total));
        Assert.Equal(0, total);
    }

    [Fact]
    public void Query_FilterAndPage_NewestFirstWithCountOfMatches()
    {
        AddFlows(30, i => i % 3 == 0 ? "DROPPED" : "FORWARDED");

        var page = _store.Query(FlowQuery.Parse("verdict=DROPPED"), 1, 3);

        Assert.Equal((10, 30), (page.Matched, page.InWindow));
        Assert.Equal([24, 21, 18], page.Rows.Select(Sequence));
    }

    [Fact]
    public void Export_Limit_NewestFirstEveryField()
    {
        AddFlows(20);

        var flows = _store.Export(FlowQuery.Empty, 5, out var matched);

        Assert.Equal(20, matched);
        Assert.Equal(5, flows.Count);
        Assert.Equal(Flow(19).ToString(), flows[0].ToString());
    }

    [Fact]
    public void Find_UuidInWindow_AllFieldsIncludingNested()
    {
        AddFlows(5);

        var detail = _store.Find(Flow(3).Uuid);

        Assert.NotNull(detail);
        Assert.Equal(Flow(3).Uuid, detail.Record.Uuid);
        Assert.Contains(detail.Fields, f => f.Key == "source.labels[0]" && f.Value == "k8s:app=frontend");
        Assert.Contains(detail.Fields, f => f.Key == "l4.TCP.flags.SYN" && f.Value == "true");
        Assert.Null(_store.Find("not-a-uuid"));
    }

    [Fact]
    public void CountsByVerdict_CountsEveryFlowReceived()
    {
        AddFlows(150, i => i < 10 ? "DROPPED" : "FORWARDED");

        var counts = _store.CountsByVerdict();

        Assert.Equal(10, counts["DROPPED"]);
        Assert.Equal(140, counts["FORWARDED"]);
    }

    [Fact]
    public void AddLost_SumsPerSource()
    {
        var at = DateTimeOffset.UnixEpoch;
        _store.AddLost(new LostEventRecord(at, "fedora", "PERF_EVENT_RING_BUFFER", 5));
        _store.AddLost(new LostEventRecord(at, "knode1", "PERF_EVENT_RING_BUFFER", 7));
        _store.AddLost(new LostEventRecord(at, "knode1", "HUBBLE_RING_BUFFER", 1));

        Assert.Equal(new Dictionary<string, ulong> { ["PERF_EVENT_RING_BUFFER"] = 12, ["HUBBLE_RING_BUFFER"] = 1 }, _store.LostBySource());
    }

    [Fact]
    public void AddNodeStatus_KeepsTheLast100()
    {
        for (var i = 0; i < 105; i++)
        {
            _store.AddNodeStatus(new NodeStatusRecord(DateTimeOffset.UnixEpoch, "NODE_CONNECTED", [$"node{i}"], ""));
        }

        var events = _store.NodeEvents();
        Assert.Equal(100, events.Count);
        Assert.Equal("node5", events[0].Nodes[0]);
    }

    public void Dispose() => _store.Dispose();
}
