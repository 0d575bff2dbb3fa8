using System.Diagnostics;
using CiliumDash.Benchmarks.Drivers;
using CiliumDash.Benchmarks.Flows.Legacy;
using CiliumDash.Flows;
using CiliumDash.Protocols.Hubble.ObserverApi;

namespace CiliumDash.Benchmarks.Flows;

/// <summary>
/// <c>ingest-ab</c>: raw decode, the window before rows were mapped at ingest (<see cref="LegacyWindow"/>) and today's
/// ingest (<see cref="FlowIngest"/> into a <see cref="FlowStore"/>) over the same distinct messages of the simulator,
/// in alternating rounds on one thread; the best round of each is kept, so the machine's neighbours cost every variant
/// alike. Prints flows per second and each variant's ratio to raw decode.
/// </summary>
internal static class IngestAbDriver
{
    public const string Command = "ingest-ab";

    public static Task<int> RunAsync(DriverArguments args)
    {
        var count = args.Int("flows", 100_000);
        var window = args.Int("window", 10_000);
        var rounds = args.Int("rounds", 7);
        args.RejectUnknown();

        var messages = SampleFlows.Serialized(count);
        Console.WriteLine($"ingest-ab: {count:N0} messages ({messages.Sum(m => (long)m.Length) / count} bytes each), window {window:N0}, {rounds} alternating rounds, best kept");
        Console.WriteLine($"machine: {ProcessInfo.Machine()}");
        var best = new double[3];
        for (var round = 0; round < rounds; round++)
        {
            best[0] = Math.Max(best[0], Rate(messages, () => Decode(messages)));
            best[1] = Math.Max(best[1], Rate(messages, () => Legacy(messages, window)));
            best[2] = Math.Max(best[2], Rate(messages, () => Ingest(messages, window)));
        }

        Console.WriteLine($"raw decode:                          {best[0],10:N0} flows/s");
        Console.WriteLine($"before (protobuf rows, adef4cc):     {best[1],10:N0} flows/s  ratio {best[1] / best[0]:0.00}");
        Console.WriteLine($"after (rows mapped at ingest):       {best[2],10:N0} flows/s  ratio {best[2] / best[0]:0.00}");
        return Task.FromResult(0);
    }

    private static double Rate(byte[][] messages, Action run)
    {
        var start = Stopwatch.GetTimestamp();
        run();
        return messages.Length / Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    private static void Decode(byte[][] messages)
    {
        long sum = 0;
        foreach (var bytes in messages)
        {
            sum += GetFlowsResponse.Parser.ParseFrom(bytes).Flow.Uuid.Length;
        }

        GC.KeepAlive(sum);
    }

    private static void Legacy(byte[][] messages, int window)
    {
        var legacy = new LegacyWindow(window);
        var dedup = new FlowDeduplicator(messages.Length);
        foreach (var bytes in messages)
        {
            var response = GetFlowsResponse.Parser.ParseFrom(bytes);
            if (dedup.IsNew(response.Flow, response.NodeName))
            {
                legacy.Add(response);
            }
        }
    }

    private static void Ingest(byte[][] messages, int window)
    {
        using var store = new FlowStore(TimeProvider.System, window);
        var ingest = new FlowIngest(store, messages.Length);
        foreach (var bytes in messages)
        {
            ingest.Accept(GetFlowsResponse.Parser.ParseFrom(bytes));
        }

        ingest.Flush();
    }
}
