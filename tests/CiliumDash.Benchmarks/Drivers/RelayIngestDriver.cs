using System.Diagnostics;
using CiliumDash.Flows;
using CiliumDash.Protocols.Hubble.ObserverApi;
using CiliumDash.Simulator.Cluster;
using CiliumDash.Simulator.Relay;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;

namespace CiliumDash.Benchmarks.Drivers;

/// <summary>
/// End to end: the simulator (its own process) generates flows at a fixed rate, a GetFlows follow stream carries them over
/// loopback gRPC, and the dashboard's path (deduplicate, redact, map to a row, store) takes them in. Afterwards the same generated
/// messages (captured from the stream) are decoded alone and ingested alone on one thread, for the ratio against raw decode.
/// </summary>
internal static class RelayIngestDriver
{
    public const string Command = "relay-ingest";

    private const int WindowSize = 10_000;

    /// <summary>Messages of the stream kept as bytes for the raw-decode comparison.</summary>
    private const int SampleSize = 100_000;

    public static async Task<int> RunAsync(DriverArguments args)
    {
        var rate = args.Double("flows-per-second", 100_000);
        var seconds = args.Double("seconds", 10);
        var warmup = args.Double("warmup-seconds", 3);
        var nodes = args.Int("nodes", 16);
        args.RejectUnknown();

        var options = new SimulatorOptions { Nodes = nodes, FlowsPerSecond = rate };
        var work = Directory.CreateTempSubdirectory("ciliumdash-relay-ingest-").FullName;
        Console.WriteLine($"relay-ingest: {nodes} nodes, {rate:N0} flows/s offered by the simulator in its own process, {warmup:0.#} s warm-up, {seconds:0.#} s measured");
        Console.WriteLine($"machine: {ProcessInfo.Machine()}");

        await using var sim = await SimulatorProcess.StartAsync(rate, nodes, work);
        var sample = new List<byte[]>(SampleSize);
        Console.WriteLine();
        Console.WriteLine("A. the simulator, live:");
        var live = await MeasureAsync(sim.RelayUrl, sim.Process, sample, warmup, seconds);
        Console.WriteLine($"delivered:     {live.Rate:N0} flows/s ({live.Rate / rate:P0} of offered)");
        live.Print("simulator CPU", "generation + gRPC serving");

        // The same messages again, served from their bytes as fast as this side takes them: the ceiling of the dashboard
        // side, which the simulator's rate limit hides.
        var recorded = Path.Combine(work, "messages.bin");
        ReplayRelayServer.Save(recorded, sample);
        var port = ChildProcess.FreePort();
        await using var replay = ChildProcess.Start("replay", ReplayRelayServer.Dll, [ReplayRelayServer.Command, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--messages", recorded], work);
        await SimulatorProcess.WaitAsync(() => SimulatorProcess.Accepts(port), replay, "the replay server");
        Console.WriteLine();
        Console.WriteLine($"B. the same {sample.Count:N0} messages replayed from their bytes (own process, fresh UUIDs), as fast as they are taken:");
        var saturated = await MeasureAsync(new Uri($"http://127.0.0.1:{port}"), replay, null, warmup, seconds);
        Console.WriteLine($"delivered:     {saturated.Rate:N0} flows/s");
        saturated.Print("replay server CPU", "copying recorded bytes");

        // The stream's own messages (captured during warm-up), decoded alone and ingested alone on this thread.
        var messages = sample.ToArray();
        var decode = BestOf(5, () => DecodeOnly(messages));
        var ingest = BestOf(5, () => IngestOnly(messages));
        var generate = BestOf(3, () => Generate(options, messages.Length));
        Console.WriteLine();
        Console.WriteLine($"{messages.Length:N0} captured messages, {messages.Sum(m => (long)m.Length) / Math.Max(1, messages.Length)} bytes each on average");
        Console.WriteLine($"same messages, one thread: raw decode {decode:N0} flows/s; decode+store (redact, map to a row, store, batches of {FlowIngest.MaxBatch}) " +
            $"{ingest:N0} flows/s (ratio {ingest / decode:0.00})");
        Console.WriteLine($"end to end vs raw decode: A (simulator, rate-limited) {live.Rate / decode:0.00}×; B (replay, saturated) {saturated.Rate / decode:0.00}× (goal ≥ 0.5×)");
        Console.WriteLine($"dashboard-side CPU per flow: A {decode * live.MicrosPerFlow / 1e6:0.0}×, B {decode * saturated.MicrosPerFlow / 1e6:0.0}× a raw decode");
        Console.WriteLine($"simulator generation ceiling (template + materialize + serialize, one thread): {generate:N0} flows/s");
        return 0;
    }

    /// <summary>Follows <paramref name="relay"/> as RelayFlowSource does; measures this process and the server's after a warm-up.</summary>
    private static async Task<Measured> MeasureAsync(Uri relay, ChildProcess server, List<byte[]>? sample, double warmup, double seconds)
    {
        using var store = new FlowStore(TimeProvider.System, WindowSize);
        var counters = new Counters();
        using var stop = new CancellationTokenSource();
        var reader = FollowAsync(relay, store, counters, sample, stop.Token);
        await Task.Delay(TimeSpan.FromSeconds(warmup));
        var (flows0, lost0) = counters.Read();
        var before = ProcessSample.Take();
        var serverBefore = server.Sample();
        var gcBefore = GcSample.Take();
        await Task.Delay(TimeSpan.FromSeconds(seconds));
        var after = ProcessSample.Take();
        var serverAfter = server.Sample();
        var gc = GcSample.Take() - gcBefore;
        var (flows1, lost1) = counters.Read();
        var memory = ProcessInfo.Memory();
        await stop.CancelAsync();
        await reader;
        var used = after - before;
        var delivered = flows1 - flows0;
        return new Measured(delivered, used, lost1 - lost0, ProcSample.CoreShare(serverBefore, serverAfter), gc, $"{memory}; window {store.Count:N0} flows");
    }

    private static async Task FollowAsync(Uri relay, FlowStore store, Counters counters, List<byte[]>? sample, CancellationToken ct)
    {
        // The dashboard's own channel settings (HTTP/2 window included).
        using var channel = RelayChannel.Create(relay.ToString(), new CiliumDash.Configuration.RelayTlsOptions());
        var client = new Observer.ObserverClient(channel);
        // The dashboard's own reader logic: deduplicate, encode as flows arrive, commit what arrived together.
        var ingest = new FlowIngest(store, WindowSize);
        try
        {
            using var call = client.GetFlows(new GetFlowsRequest { Follow = true }, cancellationToken: ct);
            var stream = call.ResponseStream;
            while (true)
            {
                var next = stream.MoveNext(ct);
                if (!next.IsCompleted)
                {
                    ingest.Flush();
                }

                if (!await next)
                {
                    break;
                }

                var response = stream.Current;
                if (response.ResponseTypesCase == GetFlowsResponse.ResponseTypesOneofCase.Flow)
                {
                    if (sample?.Count < SampleSize)
                    {
                        // Re-encoding a decoded message gives its wire bytes back; only during warm-up, before measuring.
                        sample.Add(response.ToByteArray());
                    }

                    counters.Flow();
                }
                else if (response.ResponseTypesCase == GetFlowsResponse.ResponseTypesOneofCase.LostEvents)
                {
                    counters.Lost(response.LostEvents.NumEventsLost);
                }

                ingest.Accept(response);
            }
        }
        catch (Exception ex) when (ct.IsCancellationRequested && ex is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled })
        {
            // the driver stopped the stream
        }
    }

    private static double DecodeOnly(byte[][] messages)
    {
        var start = Stopwatch.GetTimestamp();
        long sum = 0;
        foreach (var bytes in messages)
        {
            sum += GetFlowsResponse.Parser.ParseFrom(bytes).Flow.Uuid.Length;
        }

        GC.KeepAlive(sum);
        return messages.Length / Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    private static double IngestOnly(byte[][] messages)
    {
        using var store = new FlowStore(TimeProvider.System, WindowSize);
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < messages.Length; i++)
        {
            store.Stage(GetFlowsResponse.Parser.ParseFrom(messages[i]));
            if (i % FlowIngest.MaxBatch == FlowIngest.MaxBatch - 1)
            {
                store.Commit();
            }
        }

        store.Commit();

        return messages.Length / Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    private static double Generate(SimulatorOptions options, int count)
    {
        var cluster = new SimulatedCluster(options);
        var rings = cluster.Nodes.Select((n, i) => (n.Name, i)).ToDictionary(p => p.Name, p => p.i, StringComparer.Ordinal);
        var generator = new FlowGenerator(FlowTemplateBuilder.Build(cluster, rings), options.Seed);
        var nanos = FlowGenerationService.UnixNanos(cluster.StartedAt);
        var start = Stopwatch.GetTimestamp();
        long bytes = 0;
        for (var i = 0; i < count; i++)
        {
            var template = generator.Next(out var index);
            bytes += template.Materialize(nanos + i, index, generator.Ids).ToByteArray().Length;
        }

        GC.KeepAlive(bytes);
        return count / Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    /// <summary>The fastest of several rounds: on a shared machine the slower rounds measure the neighbours.</summary>
    private static double BestOf(int rounds, Func<double> round) => Enumerable.Range(0, rounds).Max(_ => round());

    private static double Micros(TimeSpan cpu, long flows) => cpu.TotalMicroseconds / Math.Max(1, flows);

    private sealed record Measured(long Delivered, ProcessUsage Used, long Lost, double ServerCores, GcSample Gc, string Memory)
    {
        public double Rate => Delivered / Used.Wall.TotalSeconds;

        public double MicrosPerFlow => Micros(Used.Cpu, Delivered);

        public void Print(string server, string serverWork)
        {
            Console.WriteLine($"lost events:   {Lost:N0} flows reported lost by the relay while measuring");
            Console.WriteLine($"dashboard side CPU: {Used.Cores:P0} of one core; {MicrosPerFlow:0.00} µs per flow (gRPC client + dedup + store, this process only)");
            Console.WriteLine($"{server}: {ServerCores:P0} of one core ({serverWork}, its own process)");
            Console.WriteLine($"allocated:     {Used.Allocated / Math.Max(1, Delivered):N0} bytes per flow (dashboard side)");
            Console.WriteLine($"GC:            {Gc}");
            Console.WriteLine($"memory:        {Memory}");
        }
    }

    private sealed class Counters
    {
        private long _flows;
        private long _lost;

        public void Flow() => Interlocked.Increment(ref _flows);

        public void Lost(ulong n) => Interlocked.Add(ref _lost, (long)n);

        public (long Flows, long Lost) Read() => (Interlocked.Read(ref _flows), Interlocked.Read(ref _lost));
    }
}
