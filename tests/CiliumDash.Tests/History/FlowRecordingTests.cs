using CiliumDash.Configuration;
using CiliumDash.Flows;
using CiliumDash.History;
using CiliumDash.Shared;
using CiliumDash.Tests.Builders;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CiliumDash.Tests.History;

public sealed class FlowRecordingTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("ciliumdash-hist-");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _dir.Delete(recursive: true);
    }

    [Fact]
    public async Task Read_ManyCombinationsAndDrops_TopNPlusOtherAndCappedRawWithOverflow()
    {
        var time = new FakeTimeProvider(T0);
        using var flows = new FlowStore(time, 1000);
        using var health = new HistoryHealth(time);
        var options = new HistoryOptions { FlowAggregateTopN = 10, RawFlowsPerSecond = 5 };
#pragma warning disable CA2000 // the writer owns the store and disposes it
        await using var writer = new HistoryWriter(new SqliteHistoryStore(Path.Combine(_dir.FullName, "h.db")), options, health, time, NullLogger<HistoryWriter>.Instance);
#pragma warning restore CA2000
        var recording = new FlowRecording(flows, writer, options, time);
        recording.Start();
        for (var i = 0; i < 30; i++)
        {
            flows.Add(FlowData.Flow(i, destinationPort: (uint)(8000 + (i % 15))));
        }

        for (var i = 30; i < 38; i++)
        {
            flows.Add(FlowData.Flow(i, verdict: "DROPPED", dropReason: "POLICY_DENIED", destinationNamespace: "team-b", destinationPort: 53));
        }

        recording.Read();
        recording.Stop();
        Assert.True(await writer.FlushAsync(CancellationToken.None));

        var all = new HistoryRange(T0.AddHours(-1), T0.AddHours(1));
        var aggregates = await writer.Store.QueryAsync(HistoryTables.FlowAggregates, all);
        Assert.Equal(11, aggregates.Count);
        Assert.Equal(38, aggregates.Sum(a => a.Count));
        Assert.Equal(8, aggregates.Single(a => a.Verdict == "DROPPED").Count);
        var other = Assert.Single(aggregates, a => a.Other);
        Assert.Equal(T0, other.Time);
        var raw = await writer.Store.QueryAsync(HistoryTables.RawFlows, all);
        Assert.Equal(5, raw.Count(r => r.Verdict == "DROPPED"));
        Assert.All(raw.Where(r => r.Verdict == "DROPPED"), r => Assert.Equal(("POLICY_DENIED", "team-b", 53L), (r.DropReason, r.DestinationNamespace, r.DestinationPort!.Value)));
        Assert.StartsWith("3 more drops/errors in this second not recorded", Assert.Single(raw, r => r.Verdict == "OVERFLOW").Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_SignalledTwiceForTheSameFlows_CountsThemOnce()
    {
        var time = new FakeTimeProvider(T0);
        using var flows = new FlowStore(time, 1000);
        using var health = new HistoryHealth(time);
        var options = new HistoryOptions();
#pragma warning disable CA2000 // the writer owns the store and disposes it
        await using var writer = new HistoryWriter(new SqliteHistoryStore(Path.Combine(_dir.FullName, "h.db")), options, health, time, NullLogger<HistoryWriter>.Instance);
#pragma warning restore CA2000
        var recording = new FlowRecording(flows, writer, options, time);
        recording.Start();
        flows.Add(FlowData.Flow(1));
        recording.Read();
        recording.Read();
        flows.Add(FlowData.Flow(2));
        recording.Read();
        recording.Stop();
        Assert.True(await writer.FlushAsync(CancellationToken.None));

        var aggregates = await writer.Store.QueryAsync(HistoryTables.FlowAggregates, new HistoryRange(T0.AddHours(-1), T0.AddHours(1)));
        Assert.Equal(2, aggregates.Sum(a => a.Count));
        Assert.Equal(0, recording.Missed);
    }
}
