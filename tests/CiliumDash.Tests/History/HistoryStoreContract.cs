using CiliumDash.Configuration;
using CiliumDash.History;

namespace CiliumDash.Tests.History;

/// <summary>The one store test suite: every provider runs exactly these tests against a real engine.</summary>
public abstract class HistoryStoreContract : IAsyncLifetime
{
    protected static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private IHistoryStore? _store;

    protected IHistoryStore Store => _store ?? throw new InvalidOperationException("not initialised");

    public async Task InitializeAsync()
    {
        _store = await CreateStoreAsync();
        await _store.MigrateAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }

        await CleanupAsync();
    }

    /// <summary>A store on an empty database or file of its own.</summary>
    protected abstract Task<IHistoryStore> CreateStoreAsync();

    /// <summary>Writes a schema version newer than the app into the store.</summary>
    protected abstract Task MarkSchemaVersionAsync(int version);

    protected virtual Task CleanupAsync() => Task.CompletedTask;

    protected static RecordingSegment Segment(DateTimeOffset from, DateTimeOffset to, string id = "s1") => new(id, from, to);

    [Fact]
    public async Task Append_EveryKind_ReadsBackEqualRecords()
    {
        var finding = new FindingEvent(T0, "agent-not-ok-1", FindingEvent.Opened, "critical", "agent-not-ok", "node-1", null, "agent on node-1 reports Failure", "team-a,team-b", "{\"id\":\"x\"}");
        var node = new NodeStateRecord(T0, "node-1", "Ok", "1.16.3", "True", "{\"dsr\":\"Hybrid\"}", "3/254", 80, 1, null);
        var episode = new ControllerEpisodeRecord(T0, "node-1", "sync-lb-maps", T0.AddMinutes(-3), null, 4, "map is full");
        var closed = episode with { Time = T0.AddMinutes(1), End = T0.AddMinutes(1) };
        var map = new MapFillRecord(T0, "node-1", "cilium_ct4_global", 0.8125);
        var health = new HealthRoundRecord(T0, "node-1", 2, 3, 1.5e6);
        var unmeasured = health with { Node = "node-2", WorstRttNs = null };
        var pair = new PairEventRecord(T0, "node-1", "node-2", "endpoint", "failed", "connection refused");
        var aggregate = new FlowAggregateRecord(T0, "default", "web", "kube-system", "coredns", "DROPPED", "POLICY_DENIED", "node-1", "UDP", 53, 17);
        var other = new FlowAggregateRecord(T0, "", "", "", "", "", null, "", "", null, 5, Other: true);
        var raw = new RawFlowRecord(T0, "u-1", "node-1", "DROPPED", "POLICY_DENIED", "default", "web-1", "kube-system", "coredns-1", "UDP", 53, "UDP 10.0.0.1:1 -> 10.0.0.2:53");
        var ev = new HistoryClusterEvent(T0, "agent-restart", "node-1", "kube-system", "cilium-abcde", "OOMKilled");

        await Store.AppendAsync(
        [
            HistoryTables.Findings.Rows([finding]), HistoryTables.NodeStates.Rows([node]), HistoryTables.ControllerEpisodes.Rows([episode, closed]),
            HistoryTables.MapFill.Rows([map]), HistoryTables.HealthRounds.Rows([health, unmeasured]), HistoryTables.PairEvents.Rows([pair]),
            HistoryTables.FlowAggregates.Rows([aggregate, other]), HistoryTables.RawFlows.Rows([raw]), HistoryTables.ClusterEvents.Rows([ev]),
        ], Segment(T0, T0.AddMinutes(1)), CancellationToken.None);

        var range = new HistoryRange(T0.AddHours(-1), T0.AddHours(1));
        Assert.Equal([finding], await Store.QueryAsync(HistoryTables.Findings, range));
        Assert.Equal([node], await Store.QueryAsync(HistoryTables.NodeStates, range));
        Assert.Equal([episode, closed], await Store.QueryAsync(HistoryTables.ControllerEpisodes, range));
        Assert.Equal([map], await Store.QueryAsync(HistoryTables.MapFill, range));
        Assert.Equal([health, unmeasured], await Store.QueryAsync(HistoryTables.HealthRounds, range));
        Assert.Equal([pair], await Store.QueryAsync(HistoryTables.PairEvents, range));
        Assert.Equal([aggregate, other], await Store.QueryAsync(HistoryTables.FlowAggregates, range));
        Assert.Equal([raw], await Store.QueryAsync(HistoryTables.RawFlows, range));
        Assert.Equal([ev], await Store.QueryAsync(HistoryTables.ClusterEvents, range));
    }

    [Fact]
    public async Task Read_RangeNodeAndNewest_ReturnsOnlyThoseOldestFirst()
    {
        var records = Enumerable.Range(0, 10).Select(i => new MapFillRecord(T0.AddMinutes(i), i % 2 == 0 ? "even" : "odd", "m", i / 10.0)).ToList();
        await Store.AppendAsync([HistoryTables.MapFill.Rows(records)], Segment(T0, T0.AddMinutes(10)), CancellationToken.None);

        var inRange = await Store.QueryAsync(HistoryTables.MapFill, new HistoryRange(T0.AddMinutes(2), T0.AddMinutes(5)));
        Assert.Equal(records[2..5], inRange);
        var even = await Store.QueryAsync(HistoryTables.MapFill, new HistoryRange(T0, T0.AddHours(1), Column: "node", Value: "even"));
        Assert.Equal(records.Where(r => r.Node == "even"), even);
        var newest = await Store.QueryAsync(HistoryTables.MapFill, new HistoryRange(T0, T0.AddHours(1), Limit: 3, Newest: true));
        Assert.Equal(records[7..], newest);
    }

    [Fact]
    public async Task Read_ColumnNotIndexed_IsRefused()
    {
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => Store.ReadAsync(HistoryTables.MapFill, new HistoryRange(T0, T0.AddHours(1), Column: "fill; DROP TABLE x", Value: "1"), CancellationToken.None));
        Assert.Contains("cannot be filtered", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migrate_Again_KeepsRecords()
    {
        var map = new MapFillRecord(T0, "n", "m", 0.5);
        await Store.AppendAsync([HistoryTables.MapFill.Rows([map])], Segment(T0, T0), CancellationToken.None);

        await Store.MigrateAsync(CancellationToken.None);

        Assert.Equal([map], await Store.QueryAsync(HistoryTables.MapFill, new HistoryRange(T0, T0.AddSeconds(1))));
    }

    [Fact]
    public async Task Migrate_SchemaNewerThanApp_FailsNamingBothVersions()
    {
        await MarkSchemaVersionAsync(HistorySchema.Version + 5);

        var ex = await Assert.ThrowsAsync<HistorySchemaException>(() => Store.MigrateAsync(CancellationToken.None));

        Assert.Contains($"schema version {HistorySchema.Version + 5}, newer than this CiliumDash knows ({HistorySchema.Version})", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Segments_WithHole_CoverageReportsGap()
    {
        await Store.AppendAsync([], Segment(T0, T0.AddMinutes(10), "a"), CancellationToken.None);
        await Store.AppendAsync([], Segment(T0.AddMinutes(30), T0.AddMinutes(40), "b"), CancellationToken.None);
        // A later append extends the segment it belongs to.
        await Store.AppendAsync([], Segment(T0.AddMinutes(30), T0.AddMinutes(60), "b"), CancellationToken.None);

        var segments = await Store.SegmentsAsync(T0, T0.AddMinutes(60), CancellationToken.None);
        var coverage = HistorySchema.Coverage(segments, T0, T0.AddMinutes(60), TimeSpan.FromSeconds(30));

        Assert.Equal(T0, coverage.RecordedSince);
        Assert.Equal([new HistoryGap(T0.AddMinutes(10), T0.AddMinutes(30))], coverage.Gaps);
    }

    [Fact]
    public async Task Prune_PastRetention_RemovesOnlyOldRecords()
    {
        var retention = new HistoryRetentionOptions { MapFill = TimeSpan.FromDays(2) };
        var old = new MapFillRecord(T0.AddDays(-5), "n", "m", 0.1);
        var recent = new MapFillRecord(T0.AddHours(-1), "n", "m", 0.2);
        var finding = new FindingEvent(T0.AddDays(-5), "f", FindingEvent.Opened, "warning", "drift", null, null, "s", null, "{}");
        await Store.AppendAsync([HistoryTables.MapFill.Rows([old, recent]), HistoryTables.Findings.Rows([finding])], Segment(T0.AddDays(-5), T0), CancellationToken.None);

        await Store.PruneAsync(retention, long.MaxValue, T0, CancellationToken.None);

        var all = new HistoryRange(T0.AddDays(-10), T0.AddDays(1));
        Assert.Equal([recent], await Store.QueryAsync(HistoryTables.MapFill, all));
        Assert.Equal([finding], await Store.QueryAsync(HistoryTables.Findings, all));
    }

    [Fact]
    public async Task Prune_OverSizeCap_DropsOldestBulkRowsFirst()
    {
        var findings = new FindingEvent(T0.AddDays(-3), "f", FindingEvent.Opened, "warning", "drift", null, null, "s", null, "{}");
        for (var day = 3; day >= 0; day--)
        {
            var rows = Enumerable.Range(0, 2000).Select(i => new RawFlowRecord(T0.AddDays(-day).AddSeconds(i), $"u{day}-{i}", "n", "DROPPED", "POLICY_DENIED",
                "default", new string('p', 200), "default", new string('q', 200), "TCP", 80, new string('s', 300))).ToList();
            await Store.AppendAsync([HistoryTables.RawFlows.Rows(rows), HistoryTables.Findings.Rows(day == 3 ? [findings] : [])], Segment(T0.AddDays(-3), T0), CancellationToken.None);
        }

        var before = await Store.SizeBytesAsync(CancellationToken.None);
        await Store.PruneAsync(new HistoryRetentionOptions(), before * 2 / 3, T0, CancellationToken.None);

        Assert.True(await Store.SizeBytesAsync(CancellationToken.None) <= before * 2 / 3, "the store is within its cap after pruning");
        var kept = await Store.QueryAsync(HistoryTables.RawFlows, new HistoryRange(T0.AddDays(-10), T0.AddDays(1)));
        Assert.DoesNotContain(kept, r => r.Time < T0.AddDays(-2));
        Assert.Contains(kept, r => r.Time >= T0);
        Assert.Equal([findings], await Store.QueryAsync(HistoryTables.Findings, new HistoryRange(T0.AddDays(-10), T0.AddDays(1))));
    }

    [Fact]
    public async Task Size_AfterAppend_Grows()
    {
        var before = await Store.SizeBytesAsync(CancellationToken.None);
        var rows = Enumerable.Range(0, 5000).Select(i => new MapFillRecord(T0.AddSeconds(i), "node-" + (i % 50), "cilium_ct4_global", i / 5000.0));
        await Store.AppendAsync([HistoryTables.MapFill.Rows(rows)], Segment(T0, T0.AddSeconds(5000)), CancellationToken.None);

        Assert.True(await Store.SizeBytesAsync(CancellationToken.None) > before);
    }
}
