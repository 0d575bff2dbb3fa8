using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using CiliumDash.Configuration;
using CiliumDash.Contract;
using CiliumDash.Findings;
using CiliumDash.History;
using CiliumDash.Testing;
using CiliumDash.Tests.Integration;
using Microsoft.Data.Sqlite;

namespace CiliumDash.Tests.History;

/// <summary>A store that refuses writes costs the history, never the live view, and says so in a finding.</summary>
public sealed class HistoryFaultTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("ciliumdash-hist-");

    private string File => Path.Combine(_dir.FullName, HistoryHosting.FileName);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _dir.Delete(recursive: true);
    }

    [Fact]
    public async Task Writer_SqliteFileLocked_FindingSaysSinceWhenAndWhyThenRecordingResumes()
    {
#pragma warning disable CA2000 // the recording's writer owns the store and disposes it
        await using var recording = new HistoryRecording(new SqliteHistoryStore(File), T0);
#pragma warning restore CA2000
        await recording.Recorder.StartAsync(CancellationToken.None);
        recording.Writer.Enqueue(HistoryTables.MapFill, new MapFillRecord(T0, "n", "m", 0.1));
        Assert.True(await recording.Writer.FlushAsync(CancellationToken.None));

        await using (var locker = new SqliteConnection($"Data Source={File};Pooling=False"))
        {
            await locker.OpenAsync();
            await using (var begin = locker.CreateCommand())
            {
                begin.CommandText = "BEGIN EXCLUSIVE;";
                await begin.ExecuteNonQueryAsync();
            }

            recording.Writer.Enqueue(HistoryTables.MapFill, new MapFillRecord(T0.AddSeconds(1), "n", "m", 0.2));
            Assert.False(await recording.Writer.FlushAsync(CancellationToken.None));

            var finding = Assert.Single(recording.Engine.Derive().All, f => f.Kind == FindingKinds.HistoryNotRecording);
            Assert.Equal("history not recorded since 2026-03-01 12:00:00 UTC: the SQLite file is locked by another process", finding.Summary);
            Assert.Equal(T0, finding.Since);
            Assert.NotNull(finding.Hint);
        }

        SqliteConnection.ClearAllPools();
        Assert.True(await recording.Writer.FlushAsync(CancellationToken.None));

        Assert.DoesNotContain(recording.Engine.Derive().All, f => f.Kind == FindingKinds.HistoryNotRecording);
        // What waited in the queue during the outage is written once the store takes writes again.
        var kept = await recording.Writer.Store.QueryAsync(HistoryTables.MapFill, new HistoryRange(T0, T0.AddHours(1)));
        Assert.Equal([0.1, 0.2], kept.Select(k => k.Fill));
    }

    [Fact]
    public async Task Writer_QueueFull_DropsBeyondCapacityAndCountsThem()
    {
#pragma warning disable CA2000 // the recording's writer owns the store and disposes it
        await using var recording = new HistoryRecording(new SqliteHistoryStore(File), T0, new HistoryOptions { QueueCapacity = 100 });
#pragma warning restore CA2000
        await recording.Recorder.StartAsync(CancellationToken.None);
        for (var i = 0; i < 150; i++)
        {
            recording.Writer.Enqueue(HistoryTables.MapFill, new MapFillRecord(T0.AddSeconds(i), "n", "m", i));
        }

        Assert.True(await recording.Writer.FlushAsync(CancellationToken.None));

        Assert.Equal(50, recording.Writer.Dropped);
        Assert.Equal(50, recording.Health.State.Dropped);
        Assert.Equal(100, (await recording.Writer.Store.QueryAsync(HistoryTables.MapFill, new HistoryRange(T0, T0.AddHours(1)))).Count);
    }

    [Fact]
    public async Task Dashboard_PostgresUnreachable_LiveRestAnswersAndFindingSaysWhy()
    {
        using var dashboard = new DashboardServer(new Dictionary<string, string?>
        {
            ["CiliumDash:History:Enabled"] = "true",
            ["CiliumDash:History:Provider"] = "PostgreSQL",
            ["CiliumDash:History:ConnectionString"] = $"Host=127.0.0.1;Port={ClosedPort()};Database=history;Username=dash;Password=not-to-be-shown;Timeout=2",
        });
        using var client = dashboard.CreateLoopbackClient();

        var findings = await Api.WaitForAsync(client, "/api/v1/findings",
            f => f.EnumerateArray().Any(x => x.GetProperty("kind").GetString() == FindingKinds.HistoryNotRecording), "the history-not-recording finding", TimeSpan.FromSeconds(30));
        var finding = findings.EnumerateArray().Single(x => x.GetProperty("kind").GetString() == FindingKinds.HistoryNotRecording);
        Assert.Contains("PostgreSQL unreachable", finding.GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("not-to-be-shown", findings.GetRawText(), StringComparison.Ordinal);

        // The live views answer meanwhile; the past says why it cannot be shown.
        await Api.WaitForAsync(client, "/api/v1/nodes", n => n.GetArrayLength() > 0, "live nodes", TimeSpan.FromSeconds(30));
        using var past = await client.GetAsync("/api/v1/findings?at=10m");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, past.StatusCode);
        Assert.Contains("PostgreSQL unreachable", await past.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var status = JsonSerializer.Deserialize<HistoryStatusDto>(await client.GetStringAsync("/api/v1/history"), ApiJson.Options)!;
        Assert.False(status.Recording);
        Assert.StartsWith("PostgreSQL 127.0.0.1:", status.Store, StringComparison.Ordinal);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
