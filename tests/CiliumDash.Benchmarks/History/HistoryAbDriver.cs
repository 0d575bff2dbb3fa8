using System.Diagnostics;
using CiliumDash.Benchmarks.Drivers;
using CiliumDash.Configuration;
using CiliumDash.Flows;
using CiliumDash.Flows.Query;
using CiliumDash.History;
using CiliumDash.Protocols.Hubble.ObserverApi;
using CiliumDash.Shared;
using Microsoft.Extensions.Logging.Abstractions;

namespace CiliumDash.Benchmarks.History;

/// <summary>
/// <c>history-ab</c>: (1) flow ingest into a FlowStore with the flow recording reading it after every batch and a
/// writer flushing to a real SQLite file, against the same ingest without, in alternating rounds (best kept);
/// (2) one simulated hour of records at 10,000 flows/s and 1,000 nodes written into each provider, its size
/// (×24 for a day) and write rate; (3) range queries over that hour, p50/p95, beside the live flow summary.
/// </summary>
internal static class HistoryAbDriver
{
    public const string Command = "history-ab";

    public static async Task<int> RunAsync(DriverArguments args)
    {
        var count = args.Int("flows", 100_000);
        var rounds = args.Int("rounds", 5);
        var nodes = args.Int("nodes", 1000);
        var pg = args.Text("postgres");
        args.RejectUnknown();
        Console.WriteLine($"history-ab: {count:N0} messages, {rounds} alternating rounds, best kept; machine: {ProcessInfo.Machine()}");
        var messages = Flows.SampleFlows.Serialized(count);
        var dir = Directory.CreateTempSubdirectory("ciliumdash-bench-hist-");
        try
        {
            double off = 0, on = 0;
            for (var r = 0; r < rounds; r++)
            {
                off = Math.Max(off, await IngestAsync(messages, null));
                on = Math.Max(on, await IngestAsync(messages, Path.Combine(dir.FullName, $"ingest{r}.db")));
            }

            Console.WriteLine($"ingest, recording off: {off,10:N0} flows/s");
            Console.WriteLine($"ingest, recording on:  {on,10:N0} flows/s  ratio {on / off:0.00}");

#pragma warning disable CA2000 // HourAsync disposes the store
            await HourAsync("Sqlite", new SqliteHistoryStore(Path.Combine(dir.FullName, "hour.db")), nodes);
            if (pg is not null)
            {
                await HourAsync("PostgreSQL", new PostgresHistoryStore(pg), nodes);
            }
#pragma warning restore CA2000

            using var live = new FlowStore(TimeProvider.System, 10_000);
            var ingest = new FlowIngest(live, messages.Length);
            foreach (var bytes in messages.Take(10_000))
            {
                ingest.Accept(GetFlowsResponse.Parser.ParseFrom(bytes));
            }

            ingest.Flush();
            Report("live flows summary (10,000-flow window)", await TimesAsync(() => Task.FromResult(live.Summarize(FlowQuery.Parse("")))));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            dir.Delete(recursive: true);
        }

        return 0;
    }

    private static async Task<double> IngestAsync(byte[][] messages, string? file)
    {
        var time = TimeProvider.System;
        using var store = new FlowStore(time, 10_000);
        using var health = new HistoryHealth(time);
        var options = new HistoryOptions { FlushInterval = TimeSpan.FromMilliseconds(500) };
#pragma warning disable CA2000 // the writer owns the store and disposes it
        await using var writer = file is null ? null : new HistoryWriter(new SqliteHistoryStore(file), options, health, time, NullLogger<HistoryWriter>.Instance);
#pragma warning restore CA2000
        var recording = writer is null ? null : new FlowRecording(store, writer, options, time);
        if (writer is not null)
        {
            await writer.StartAsync(CancellationToken.None);
            recording!.Start();
        }

        var ingest = new FlowIngest(store, messages.Length);
        var start = Stopwatch.GetTimestamp();
        var n = 0;
        foreach (var bytes in messages)
        {
            ingest.Accept(GetFlowsResponse.Parser.ParseFrom(bytes));
            if (++n % 256 == 0)
            {
                ingest.Flush();
                recording?.Read();
            }
        }

        ingest.Flush();
        recording?.Read();
        var rate = messages.Length / Stopwatch.GetElapsedTime(start).TotalSeconds;
        recording?.Stop();
        return rate;
    }

    /// <summary>One hour at the target load (10,000 flows/s, 1,000 nodes): 201 aggregate rows per 10 s, 100 raw rows per second, a health round per
    /// node per minute, 10 maps per node per minute, a few node and finding changes.</summary>
    private static async Task HourAsync(string provider, IHistoryStore store, int nodes)
    {
        await using (store)
        {
            await store.MigrateAsync(CancellationToken.None);
            var t0 = DateTimeOffset.UtcNow.AddHours(-1);
            var rows = 0L;
            var start = Stopwatch.GetTimestamp();
            for (var minute = 0; minute < 60; minute++)
            {
                var at = t0.AddMinutes(minute);
                var aggregates = Enumerable.Range(0, 6).SelectMany(b => Enumerable.Range(0, 201).Select(i => new FlowAggregateRecord(
                    at.AddSeconds(b * 10), $"ns-{i % 40}", $"app-{i}", $"ns-{(i * 7) % 40}", $"svc-{i % 50}", i % 10 == 0 ? "DROPPED" : "FORWARDED",
                    i % 10 == 0 ? "POLICY_DENIED" : null, $"node-{i % nodes}", "TCP", 8000 + (i % 20), 40 + i, Other: i == 200)));
                var raw = Enumerable.Range(0, 6000).Select(i => new RawFlowRecord(at.AddMilliseconds(i * 10), Guid.NewGuid().ToString(), $"node-{i % nodes}",
                    "DROPPED", "POLICY_DENIED", $"ns-{i % 40}", $"app-{i % 200}-7d4b9c6f5-x2x9k", $"ns-{(i * 3) % 40}", $"svc-{i % 50}-5c7d9f8b6-abcde", "TCP", 8080,
                    "10.0.0.10:41234 -> 10.0.1.20:8080 policy-verdict:none INGRESS DENIED (TCP Flags: SYN)"));
                var health = Enumerable.Range(0, nodes).Select(i => new HealthRoundRecord(at.AddSeconds(i % 60), $"node-{i}", nodes - 1, nodes - 1, 350_000 + i));
                var maps = Enumerable.Range(0, nodes).SelectMany(i => Enumerable.Range(0, 10).Select(m => new MapFillRecord(at.AddSeconds(i % 60), $"node-{i}", $"cilium_map_{m}", m / 10.0)));
                var batch = new List<HistoryRows>
                {
                    HistoryTables.FlowAggregates.Rows(aggregates), HistoryTables.RawFlows.Rows(raw), HistoryTables.HealthRounds.Rows(health), HistoryTables.MapFill.Rows(maps),
                    HistoryTables.NodeStates.Rows([new NodeStateRecord(at, $"node-{minute % nodes}", "Ok", "1.16.3", "True", "nodePort=Hybrid", "3/254", 80, minute % 2, null)]),
                    HistoryTables.Findings.Rows([new FindingEvent(at, $"f-{minute}", FindingEvent.Opened, "warning", "controller-failing", $"node-{minute}", null, "s", null, "{\"id\":\"f\"}")]),
                    HistoryTables.ControllerEpisodes.Rows([new ControllerEpisodeRecord(at, "node-1", $"c-{minute}", at, at.AddSeconds(30), 3, "map is full")]),
                };
                rows += batch.Sum(b => b.Rows.Count);
                await store.AppendAsync(batch, new RecordingSegment("bench", t0, at), CancellationToken.None);
            }

            var took = Stopwatch.GetElapsedTime(start);
            var size = await store.SizeBytesAsync(CancellationToken.None);
            Console.WriteLine($"{provider}: one simulated hour = {rows:N0} rows in {took.TotalSeconds:0.0} s ({rows / took.TotalSeconds:N0} rows/s); " +
                $"size {size / 1048576.0:N0} MiB → {size * 24 / 1073741824.0:0.0} GiB per day");
            var from = t0.AddHours(-23);
            var to = t0.AddHours(1.1);
            Report($"{provider} flow aggregates over 24 h (summed)", await TimesAsync(async () => (await store.QueryAsync(HistoryTables.FlowAggregates, new HistoryRange(from, to, 5_000_000))).Sum(a => a.Count)));
            Report($"{provider} findings replay to T (24 h)", await TimesAsync(async () => (await store.QueryAsync(HistoryTables.Findings, new HistoryRange(from, to))).Count));
            Report($"{provider} a node's controller episodes, 7 d", await TimesAsync(async () => (await store.QueryAsync(HistoryTables.ControllerEpisodes, new HistoryRange(t0.AddDays(-7), to, 100_000, "node", "node-1"))).Count));
        }
    }

    private static async Task<List<double>> TimesAsync<T>(Func<Task<T>> query, int runs = 15)
    {
        var ms = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var s = Stopwatch.GetTimestamp();
            GC.KeepAlive(await query());
            ms.Add(Stopwatch.GetElapsedTime(s).TotalMilliseconds);
        }

        ms.Sort();
        return ms;
    }

    private static void Report(string what, List<double> ms) =>
        Console.WriteLine($"{what,-55} p50 {ms[ms.Count / 2],9:0.00} ms  p95 {ms[(int)Math.Ceiling(ms.Count * 0.95) - 1],9:0.00} ms");
}
