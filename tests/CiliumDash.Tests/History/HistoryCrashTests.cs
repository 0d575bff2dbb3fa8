using System.Diagnostics;
using CiliumDash.History;
using CiliumDash.Testing;
using Microsoft.Data.Sqlite;

namespace CiliumDash.Tests.History;

/// <summary>
/// The dashboard as a separate process recording into SQLite (a fast simulated cluster, 200 ms flushes), killed while
/// it writes: the file opens again intact, with every transaction that had committed before the kill.
/// </summary>
public sealed class HistoryCrashTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("ciliumdash-hist-");

    private string File => Path.Combine(_dir.FullName, HistoryHosting.FileName);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _dir.Delete(recursive: true);
    }

    [Fact]
    public async Task Kill_WhileRecording_ReopensIntactWithEverythingCommitted()
    {
        for (var round = 0; round < 2; round++)
        {
            long committed;
            using (var child = StartDashboard())
            {
                // Node states committed, then writing repeatedly: the segment's end moved on since.
                await Eventually.True(async () => System.IO.File.Exists(File) && await Scalar("SELECT COUNT(*) FROM history_node_states;") is > 0L, "the child's first node states", TimeSpan.FromSeconds(60));
                var first = await LastWrite();
                await Eventually.True(async () => await LastWrite() > first + 300, "more writes");
                committed = await LastWrite();
                child.Kill(entireProcessTree: true);
                await child.WaitForExitAsync();
            }

            SqliteConnection.ClearAllPools();
            await using var store = new SqliteHistoryStore(File);
            await store.MigrateAsync(CancellationToken.None);
            Assert.Equal("ok", await Scalar("PRAGMA integrity_check;"));
            Assert.True(await LastWrite() >= committed, $"round {round}: a transaction committed before the kill was lost");
            var nodes = await store.QueryAsync(HistoryTables.NodeStates, new HistoryRange(DateTimeOffset.UnixEpoch, DateTimeOffset.UtcNow.AddHours(1)));
            Assert.NotEmpty(nodes);
        }
    }

    private async Task<long> LastWrite() =>
        System.IO.File.Exists(File) && await Scalar("SELECT COALESCE(MAX(ended), 0) FROM history_segments;") is long v ? v : 0;

    private async Task<object?> Scalar(string sql)
    {
        await using var c = new SqliteConnection($"Data Source={File};Mode=ReadOnly;Pooling=False");
        await c.OpenAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return await cmd.ExecuteScalarAsync();
    }

    private Process StartDashboard()
    {
        var bin = AppContext.BaseDirectory;
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = bin,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in (string[])[Path.Combine(bin, "CiliumDash.dll"), "--urls", "http://127.0.0.1:0",
                     "--CiliumDash:History:Path", _dir.FullName, "--CiliumDash:History:FlushInterval", "00:00:00.2",
                     "--CiliumDash:Simulator:Nodes", "20", "--CiliumDash:Simulator:FlowsPerSecond", "2000", "--Serilog:MinimumLevel:Default", "Warning"])
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("the dashboard did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}
