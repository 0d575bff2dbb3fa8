using System.Text;
using CiliumDash.Configuration;
using CiliumDash.Connectivity;
using CiliumDash.Simulator.Cluster;
using CiliumDash.Simulator.Documents;

namespace CiliumDash.Benchmarks.Drivers;

/// <summary>
/// Matrix refresh: every node's cilium-health document (rendered once by the simulator) parsed and committed to the
/// connectivity store, as the poller does, with no network in between. Measures CPU and allocation per refresh and the
/// memory the store retains for the latest matrix and for an hour of history.
/// </summary>
internal static class MatrixRefreshDriver
{
    public const string Command = "matrix-refresh";

    public static Task<int> RunAsync(DriverArguments args)
    {
        var nodes = args.Int("nodes", 1000);
        var rounds = args.Int("rounds", 5);
        args.RejectUnknown();

        Console.WriteLine($"matrix-refresh: {nodes:N0} nodes, {rounds} probe rounds, {Environment.ProcessorCount} parallel ingests");
        Console.WriteLine($"machine: {ProcessInfo.Machine()}");
        var cluster = new SimulatedCluster(new SimulatorOptions { Nodes = nodes, FlowsPerSecond = 0 });
        var start = cluster.StartedAt.AddMinutes(30);
        var documents = cluster.Nodes.Select(n => Encoding.UTF8.GetBytes(HealthStatusDocuments.Render(cluster, n, start))).ToArray();
        Console.WriteLine($"documents: {documents.Average(d => d.Length) / 1024:N0} KB average, {ProcessInfo.Mb(documents.Sum(d => (long)d.Length))} in total (rendered once, outside the measurement)");

        var pathCells = (double)nodes * nodes * 4;
        var matrixOnly = Retained(cluster, documents, start, new ConnectivityOptions { HistoryWindow = TimeSpan.FromMinutes(1) }, rounds: 1, print: false);
        Console.WriteLine($"retained, latest matrix (1 history slot): {ProcessInfo.Mb(matrixOnly)}, {matrixOnly / pathCells:0.0} bytes per pair and path");
        var withHistory = Retained(cluster, documents, start, new ConnectivityOptions(), rounds, print: true);
        Console.WriteLine($"retained, matrix + 1 h of history at 1 min: {ProcessInfo.Mb(withHistory)}, {withHistory / pathCells:0.0} bytes per pair and path " +
            $"(history {ProcessInfo.Mb(withHistory - matrixOnly)}: the ring is allocated for the whole window on the first report)");
        Console.WriteLine($"memory at end: {ProcessInfo.Memory()}");
        return Task.FromResult(0);
    }

    /// <summary>Refreshes <paramref name="rounds"/> times (a new probe round each) and returns the heap the store keeps.</summary>
    private static long Retained(SimulatedCluster cluster, byte[][] documents, DateTimeOffset start, ConnectivityOptions options, int rounds, bool print)
    {
        var clock = new Clock { Now = start };
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var store = new ConnectivityStore(clock, options);
        for (var round = 0; round < rounds; round++)
        {
            var roundTime = start.AddMinutes(round);
            clock.Now = roundTime;
            foreach (var document in documents)
            {
                Stamp(document, roundTime);
            }

            var gc = GcSample.Take();
            var sample = ProcessSample.Take();
            Parallel.For(0, documents.Length, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
            {
                var result = store.Ingest(cluster.Nodes[i].Name, documents[i]);
                if (result.Error is { } error)
                {
                    throw new InvalidOperationException($"{cluster.Nodes[i].Name}: {error}");
                }
            });
            var used = ProcessSample.Take() - sample;
            if (print)
            {
                Console.WriteLine($"refresh {round + 1}: {used.Cpu.TotalMilliseconds:N0} ms CPU ({used.Cpu.TotalMilliseconds / documents.Length:0.00} ms per document), " +
                    $"{used.Wall.TotalMilliseconds:N0} ms wall, {ProcessInfo.Mb(used.Allocated)} allocated ({used.Allocated / documents.Length / 1024.0:N1} KB per document); {GcSample.Take() - gc}");
            }
        }

        var summary = store.Summary();
        var after = GC.GetTotalMemory(forceFullCollection: true);
        if (print)
        {
            Console.WriteLine($"store: {summary.Line}, {summary.Pairs:N0} pairs, {store.Events(10_000).Count} events");
        }

        GC.KeepAlive(store);
        store.Dispose();
        return after - before;
    }

    /// <summary>Rewrites the report's own timestamp in place (same length), so each refresh is a new probe round.</summary>
    private static void Stamp(byte[] document, DateTimeOffset time)
    {
        var key = document.AsSpan().LastIndexOf("\"timestamp\""u8) + 11;
        var at = key + document.AsSpan(key).IndexOf((byte)'"') + 1;
        Encoding.ASCII.GetBytes(time.UtcDateTime.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss", System.Globalization.CultureInfo.InvariantCulture), document.AsSpan(at));
    }

    private sealed class Clock : TimeProvider
    {
        public DateTimeOffset Now { get; set; }

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
