using System.Runtime.CompilerServices;
using CiliumDash.Configuration;
using CiliumDash.Connectivity;
using CiliumDash.Tests.Builders;
using Microsoft.Extensions.Time.Testing;

namespace CiliumDash.Tests.Connectivity;

/// <summary>The matrix model: cell size, node sets, history, baselines and events.</summary>
public sealed class ConnectivityStoreTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Start);
    private readonly ConnectivityStore _store;

    public ConnectivityStoreTests() => _store = new ConnectivityStore(_time, new ConnectivityOptions());

    /// <summary>One probe round a minute, as cilium-health does; the clock follows.</summary>
    private void Rounds(int count, long rttNs = 150_000, Probe? knode1Endpoint = null)
    {
        for (var i = 0; i < count; i++)
        {
            _time.Advance(TimeSpan.FromMinutes(1));
            Assert.Null(_store.Ingest("fedora", HealthJson.Pair("fedora", _time.GetUtcNow(), rttNs, knode1Endpoint)).Error);
        }
    }

    [Fact]
    public void ProbeCell_AtMost16Bytes() => Assert.Equal(14, Unsafe.SizeOf<ProbeCell>());

    [Fact]
    public void History_SamplesPerRound_PercentilesWithinCodecPrecision()
    {
        Rounds(50, rttNs: 200_000);
        Rounds(1, rttNs: 2_000_000);

        var path = _store.Pair("fedora", "knode1")!.Paths[(int)ProbePath.HostIcmp];

        Assert.Equal(51, path.History.Count);
        Assert.InRange(path.P50Ns!.Value, 200_000 * 0.96, 200_000 * 1.04);
        Assert.InRange(path.P99Ns!.Value, 2_000_000 * 0.96, 2_000_000 * 1.04);
    }

    [Fact]
    public void History_SameRoundReadTwice_OneSample()
    {
        Rounds(1);
        Assert.Null(_store.Ingest("fedora", HealthJson.Pair("fedora", _time.GetUtcNow())).Error);

        Assert.Single(_store.Pair("fedora", "knode1")!.Paths[0].History);
    }

    [Fact]
    public void History_OlderThanWindow_Dropped()
    {
        Rounds(90);

        var history = _store.Pair("fedora", "knode1")!.Paths[0].History;

        Assert.Equal(_store.Slots, history.Count);
        Assert.All(history, s => Assert.True(s.At >= _time.GetUtcNow() - TimeSpan.FromHours(1)));
    }

    [Fact]
    public void Degradation_RttOverKTimesBaseline_SlowEventThenRecovered()
    {
        Rounds(6, rttNs: 200_000);
        Rounds(1, rttNs: 550_000);
        Assert.Empty(_store.Events());

        Rounds(1, rttNs: 50_000_000);
        var slow = _store.Events().Where(e => e.To == "knode1" && e.Path == ProbePath.HostIcmp).ToList();
        Assert.Equal(2, _store.Events().Count);
        Assert.Equal(EventKind.Slow, Assert.Single(slow).Kind);
        Assert.Equal(50_000_000, slow[0].RttNs);
        Assert.True(_store.Pair("fedora", "knode1")!.Paths[0].Degraded);

        Rounds(1, rttNs: 210_000);
        Assert.Equal(EventKind.Recovered, _store.Events().First(e => e.To == "knode1" && e.Path == ProbePath.HostIcmp).Kind);
    }

    [Fact]
    public void Degradation_NewlyFailing_OneEventWithTheErrorText()
    {
        Rounds(3);
        Rounds(3, knode1Endpoint: Probe.Fail("Connection timed out"));

        var failing = _store.Events().Where(e => e.Kind == EventKind.Failing).ToList();

        Assert.Equal(2, failing.Count);
        Assert.All(failing, e => Assert.Equal(("fedora", "knode1", "Connection timed out"), (e.From, e.To, e.Error)));
        Assert.Equal([ProbePath.EndpointHttp, ProbePath.EndpointIcmp], failing.Select(e => e.Path));
        Assert.Equal(1, _store.Summary().EndpointOnlyPairs);
    }

    [Fact]
    public void Nodes_PolledButNotInAnyReport_NotListed()
    {
        _store.Retain(new HashSet<string> { "fedora", "knode1", "knode2" });
        Rounds(1);

        var knode2 = _store.Nodes().Single(n => n.Name == "knode2");
        var window = _store.Window([_store.Nodes()[0].Index], [knode2.Index], ProbePath.HostIcmp);

        Assert.True(knode2.Polled);
        Assert.Equal(0, knode2.ListedBy);
        Assert.Equal(CellKind.NotListed, window[0, 0].Kind);
        Assert.Equal("Cluster health: 2/3 reachable", _store.Summary().Line);
    }

    [Fact]
    public void Retain_NodeGoneEverywhere_LeavesAndIndexIsReused()
    {
        _store.Retain(new HashSet<string> { "fedora", "knode1" });
        Rounds(1);
        _store.Ingest("knode1", HealthJson.Pair("knode1", _time.GetUtcNow()));

        _store.Retain(new HashSet<string> { "fedora" });
        Assert.False(_store.Nodes().Single(n => n.Name == "knode1").Reporting);

        _store.Ingest("fedora", HealthJson.Report("fedora", _time.GetUtcNow().AddMinutes(1), HealthJson.Peer("fedora")));
        _store.Retain(new HashSet<string> { "fedora" });
        Assert.Equal(["fedora"], _store.Nodes().Select(n => n.Name));

        _store.Retain(new HashSet<string> { "fedora", "knode9" });
        Assert.Null(_store.Pair("fedora", "knode9")!.Paths[0].LastError);
        Assert.Equal(ProbeState.NoData, _store.Pair("fedora", "knode9")!.Paths[0].State);
    }

    [Fact]
    public void MarkUnread_AfterAReport_RowStaleWithReason()
    {
        Rounds(1);

        _store.MarkUnread("fedora", "timed out");

        var fedora = _store.Nodes().Single(n => n.Name == "fedora");
        Assert.True(fedora.Stale);
        Assert.Equal("timed out", fedora.ReadError);
        Assert.True(_store.Window([fedora.Index], [fedora.Index], ProbePath.HostIcmp)[0, 0].Stale);
    }

    [Fact]
    public void Blocks_WorstCellWins()
    {
        Rounds(1, knode1Endpoint: Probe.Fail());
        var order = _store.Nodes().Select(n => n.Index).ToList();

        var blocks = _store.Blocks(order, 2, ProbePath.EndpointIcmp);

        Assert.Equal(CellKind.HostOkEndpointDown, blocks[0, 0].Worst);
        Assert.Equal(1, blocks[0, 0].Failing);
        Assert.Equal(4, blocks[0, 0].Cells);
    }

    [Theory]
    [InlineData(1_500.0)]
    [InlineData(150_000.0)]
    [InlineData(75_000_000.0)]
    public void RttCodec_RoundTrip_Within4Percent(double ns) =>
        Assert.InRange(RttCodec.Decode(RttCodec.Encode(ProbeState.Ok, ns))!.Value, ns * 0.96, ns * 1.04);

    public void Dispose() => _store.Dispose();
}
