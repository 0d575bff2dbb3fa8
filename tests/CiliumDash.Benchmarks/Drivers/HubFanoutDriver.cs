using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using CiliumDash.Flows;
using CiliumDash.Testing;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace CiliumDash.Benchmarks.Drivers;

/// <summary>
/// The dashboard on its simulator at a fixed flow rate; first no hub clients, then N clients subscribed to all flows,
/// then the same plus one raw WebSocket client that subscribes and never reads. Reports per-client bytes/s, process
/// CPU against the no-client baseline, and push latency (receive time minus the newest flow's time) per phase.
/// </summary>
internal static class HubFanoutDriver
{
    public const string Command = "hub-fanout";

    public static async Task<int> RunAsync(DriverArguments args)
    {
        var clients = args.Int("clients", 60);
        var rate = args.Double("flows-per-second", 10_000);
        var seconds = args.Double("seconds", 15);
        args.RejectUnknown();
        Console.WriteLine($"hub-fanout: {clients} clients on flows, {rate:N0} flows/s, {seconds:0} s per phase; machine: {ProcessInfo.Machine()}");

        await using var server = new DashboardServer(new Dictionary<string, string?>
        {
            ["CiliumDash:Simulator:FlowsPerSecond"] = rate.ToString(CultureInfo.InvariantCulture),
            ["CiliumDash:Kubernetes:PollInterval"] = "00:00:10",
        });
        var baseAddress = server.BaseAddress;
        await Task.Delay(TimeSpan.FromSeconds(5));

        var store = server.Services.GetRequiredService<FlowStore>();
        var received = store.Received;
        var idle = await MeasureAsync(seconds, null);
        Console.WriteLine($"no clients:      {idle.Cores:0.00} cores; flows stored {(store.Received - received) / seconds:N0}/s (simulator, relay gRPC and dashboard in one process)");

        var meters = new List<Meter>();
        for (var i = 0; i < clients; i++)
        {
            meters.Add(await Meter.StartAsync(baseAddress));
        }

        await Task.Delay(TimeSpan.FromSeconds(3));
        var loaded = await MeasureAsync(seconds, meters);
        Report("with clients:   ", loaded, idle, meters, seconds);

        using var stalled = new ClientWebSocket();
        await stalled.ConnectAsync(new UriBuilder(baseAddress) { Scheme = "ws", Path = "/hubs/cluster" }.Uri, CancellationToken.None);
        foreach (var frame in new[] { """{"protocol":"json","version":1}""", """{"type":1,"target":"SubscribeFlows","arguments":[""]}""" })
        {
            await stalled.SendAsync(Encoding.UTF8.GetBytes(frame + "\u001e"), WebSocketMessageType.Text, true, CancellationToken.None);
        }

        await Task.Delay(TimeSpan.FromSeconds(3));
        var slow = await MeasureAsync(seconds, meters);
        Report("+1 stalled:     ", slow, idle, meters, seconds);
        Console.WriteLine($"memory: {ProcessInfo.Memory()}");
        foreach (var m in meters)
        {
            await m.DisposeAsync();
        }

        return 0;
    }

    private static void Report(string label, ProcessUsage usage, ProcessUsage idle, List<Meter> meters, double seconds)
    {
        var perClient = meters.Select(m => m.TakeBytes() / seconds).ToList();
        var latencies = meters.SelectMany(m => m.TakeLatencies()).Order().ToList();
        Console.WriteLine($"{label} {usage.Cores:0.00} cores ({usage.Cores / Math.Max(0.01, idle.Cores):0.00}× no clients); per client {perClient.Average() / 1024:0.0} KB/s " +
            $"(max {perClient.Max() / 1024:0.0}); push latency p50 {Percentile(latencies, 0.5):0} ms, p95 {Percentile(latencies, 0.95):0} ms");
    }

    private static double Percentile(List<double> sorted, double p) => sorted.Count == 0 ? double.NaN : sorted[(int)Math.Min(sorted.Count - 1, p * sorted.Count)];

    private static async Task<ProcessUsage> MeasureAsync(double seconds, List<Meter>? meters)
    {
        meters?.ForEach(m => { m.TakeBytes(); m.TakeLatencies(); });
        var before = ProcessSample.Take();
        await Task.Delay(TimeSpan.FromSeconds(seconds));
        return ProcessSample.Take() - before;
    }

    /// <summary>One hub client: counts payload bytes and the age of the newest flow in each push.</summary>
    private sealed class Meter : IAsyncDisposable
    {
        private readonly HubConnection _connection;
        private readonly Lock _gate = new();
        private List<double> _latencies = [];
        private long _bytes;

        private Meter(HubConnection connection) => _connection = connection;

        public static async Task<Meter> StartAsync(Uri server)
        {
            var meter = new Meter(new HubConnectionBuilder().WithUrl(new Uri(server, "hubs/cluster")).Build());
            meter._connection.On<string, JsonElement>("Changed", (_, payload) => meter.Record(payload));
            await meter._connection.StartAsync();
            await meter._connection.InvokeAsync("SubscribeFlows", "");
            return meter;
        }

        public long TakeBytes() => Interlocked.Exchange(ref _bytes, 0);

        public List<double> TakeLatencies()
        {
            lock (_gate)
            {
                var taken = _latencies;
                _latencies = [];
                return taken;
            }
        }

        public ValueTask DisposeAsync() => _connection.DisposeAsync();

        private void Record(JsonElement payload)
        {
            Interlocked.Add(ref _bytes, payload.GetRawText().Length);
            var newest = payload.GetProperty("flows").EnumerateArray().Select(f => f.GetProperty("time").GetDateTimeOffset()).DefaultIfEmpty().Max();
            if (newest != default)
            {
                lock (_gate)
                {
                    _latencies.Add((DateTimeOffset.UtcNow - newest).TotalMilliseconds);
                }
            }
        }
    }
}
