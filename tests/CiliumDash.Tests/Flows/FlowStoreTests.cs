using CiliumDash.Flows;
using Microsoft.Extensions.Time.Testing;
using static CiliumDash.Tests.Builders.FlowData;

namespace CiliumDash.Tests.Flows;

public sealed class FlowStoreTests : IDisposable
{
    private readonly FlowStore _store = new(new FakeTimeProvider(), windowSize: 100);

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

        var first = _store.Page(0, 3, out var total);
        var last = _store.Page(98, 5, out _);

        Assert.Equal(100, total);
        Assert.Equal([149, 148, 147], first.Select(Sequence));
        Assert.Equal([51, 50], last.Select(Sequence));
        Assert.Empty(_store.Page(100, 5, out _));
    }

    [Fact]
    public void Page_EmptyStore_NoRows()
    {
        Assert.Empty(_store.Page(0, 10, out var total));
        Assert.Equal(0, total);
    }

    [Fact]
    public void Query_FilterAndLimit_NewestFirstWithTotalOfMatches()
    {
        AddFlows(30, i => i % 3 == 0 ? "DROPPED" : "FORWARDED");

        var rows = _store.Query(f => f.Verdict == "DROPPED", 4, out var total);

        Assert.Equal(10, total);
        Assert.Equal([27, 24, 21, 18], rows.Select(Sequence));
    }

    [Fact]
    public void Query_NoFilter_AllInWindow()
    {
        AddFlows(120);

        var rows = _store.Query(null, 1000, out var total);

        Assert.Equal((100, 100), (total, rows.Count));
        Assert.Equal(119, Sequence(rows[0]));
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
