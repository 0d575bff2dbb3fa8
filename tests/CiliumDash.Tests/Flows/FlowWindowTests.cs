using CiliumDash.Flows;
using CiliumDash.Flows.Query;
using CiliumDash.Protocols.Hubble;
using CiliumDash.Protocols.Hubble.Filters;
using Microsoft.Extensions.Time.Testing;
using static CiliumDash.Tests.Builders.FlowData;

namespace CiliumDash.Tests.Flows;

/// <summary>The window's own mechanics: shared values released with their rows, bytes kept in reused segments, scans beside ingest.</summary>
public sealed class FlowWindowTests : IDisposable
{
    private readonly FlowStore _store = new(new FakeTimeProvider(), windowSize: 100);

    public void Dispose() => _store.Dispose();

    [Fact]
    public void Commit_EveryFlowANewPod_SharedValuesBoundedByTheWindow()
    {
        for (var i = 0; i < 10_000; i++)
        {
            _store.Add(Flow(i, sourcePod: $"frontend-{i}", sourceIp: $"10.{i / 65536}.{i / 256 % 256}.{i % 256}", summary: $"TCP Flags: SYN {i}"));
        }

        var (endpoints, addresses, contexts) = _store.Window.SharedValues;
        Assert.InRange(endpoints, 1, 101);
        Assert.InRange(addresses, 1, 101);
        Assert.InRange(contexts, 1, 100);
        // Freed slots are reused, so a per-slot scan cache stays as small as the window (plus a staged batch).
        Assert.InRange(_store.Window.SlotCounts.Endpoints, 1, 128);
        Assert.Equal("frontend-9999", _store.Query(FlowQuery.Parse("from-pod=default/frontend-9999"), 0, 10).Rows.Single().Source.Pod);
        Assert.Empty(_store.Query(FlowQuery.Parse("from-pod=default/frontend-9899"), 0, 10).Rows);
    }

    [Fact]
    public void Query_AfterSlotsWereReused_StillAgreesWithTheProtobufMatcher()
    {
        for (var i = 0; i < 1_000; i++)
        {
            _store.Add(Flow(i, sourcePod: $"frontend-{i % 150}", sourceNamespace: i % 3 == 0 ? "shop" : "default", node: i % 2 == 0 ? "fedora" : "knode1"));
        }

        foreach (var text in new[] { "from-pod=default/frontend-1", "from-namespace=shop", "node-name=knode1&not-from-namespace=shop" })
        {
            var query = FlowQuery.Parse(text);
            var (white, black) = query.ToFlowFilters();
            var all = _store.Export(FlowQuery.Empty, 100, out _);

            Assert.Equal(all.Where(FlowFilterMatcher.Compile(white, black)).Select(f => f.Uuid), _store.Query(query, 0, 100).Rows.Select(r => r.Uuid));
        }
    }

    [Fact]
    public void Export_MessageLargerThanASegment_RoundTrips()
    {
        var url = "http://cart.shop/" + new string('a', 200_000);
        _store.Add(Flow(1, l7: Http(url: url)));
        _store.Add(Flow(2));

        var exported = _store.Export(FlowQuery.Parse("protocol=http"), 10, out _).Single();

        Assert.Equal(url, exported.L7.Http.Url);
        Assert.Equal(Flow(2).ToString(), _store.Export(FlowQuery.Parse("protocol=tcp&not-protocol=http"), 1, out _).Single().ToString());
    }

    [Fact]
    public void Export_AcrossManySegments_EveryFlowAsAdded()
    {
        using var store = new FlowStore(new FakeTimeProvider(), windowSize: 2_000);
        for (var i = 0; i < 5_000; i++)
        {
            store.Add(Flow(i, l7: i % 2 == 0 ? Http(url: $"http://cart.shop/api/{new string('x', i % 300)}") : null));
        }

        var exported = store.Export(FlowQuery.Empty, 2_000, out _);

        Assert.Equal(Enumerable.Range(3_000, 2_000).Reverse().Select(i => Flow(i, l7: i % 2 == 0 ? Http(url: $"http://cart.shop/api/{new string('x', i % 300)}") : null).ToString()),
            exported.Select(f => f.ToString()));
    }

    [Fact]
    public async Task Query_WhileIngesting_EveryRowMatchesAndCountsStayInTheWindow()
    {
        using var store = new FlowStore(TimeProvider.System, windowSize: 5_000);
        using var stop = new CancellationTokenSource();
        var writer = Task.Run(() =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                store.Stage(new CiliumDash.Protocols.Hubble.ObserverApi.GetFlowsResponse { Flow = Flow(i, verdict: i % 4 == 0 ? "DROPPED" : "FORWARDED", sourcePod: $"frontend-{i % 7000}", sourceNamespace: i % 7000 % 3 == 0 ? "shop" : "default") });
                if (i % 64 == 0)
                {
                    store.Commit();
                }
            }
        });
        var query = FlowQuery.Parse("verdict=DROPPED&from-pod=default/frontend");
        var pages = 0;
        while (store.Received < 100_000 && !writer.IsCompleted)
        {
            var page = store.Query(query, 0, 500);
            Assert.All(page.Rows, r => Assert.Equal(("DROPPED", "default"), (r.Verdict, r.Source.Namespace)));
            Assert.InRange(page.Matched, 0, page.InWindow);
            pages++;
        }

        await stop.CancelAsync();
        await writer;
        Assert.True(pages > 0);
    }
}
