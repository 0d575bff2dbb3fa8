using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using CiliumDash.Agents;
using CiliumDash.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using CiliumDash.Benchmarks.Drivers;
using CiliumDash.Connectivity;
using CiliumDash.Findings;
using CiliumDash.Flows;
using CiliumDash.Metrics;
using CiliumDash.Protocols.Agent;
using CiliumDash.Simulator.Cluster;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace CiliumDash.Benchmarks.Metrics;

/// <summary>
/// <c>metrics-scrape [--nodes 1000] [--reporters 100] [--rounds 5] [--scrapes 20]</c>: the CPU one <c>/metrics</c> scrape
/// costs at N nodes with faults, the exporter (<c>/metrics</c>) and the old hand-written writer (<c>/legacy-metrics</c>)
/// over HTTP in one process, alternating rounds. Stores are filled from the simulator's real documents through the real
/// parsers; CPU is the process's user+system time across the scrapes of a round, divided by the scrapes.
/// </summary>
internal static class MetricsScrapeDriver
{
    public const string Command = "metrics-scrape";

    public static async Task<int> RunAsync(DriverArguments args)
    {
        var nodes = args.Int("nodes", 1000);
        var reporters = args.Int("reporters", 100);
        var rounds = args.Int("rounds", 5);
        var scrapes = args.Int("scrapes", 20);
        var time = TimeProvider.System;
        using var cluster = new ClusterStore(time, "benchmark");
        using var connectivity = new ConnectivityStore(time, new ConnectivityOptions());
        using var flows = new FlowStore(time, 10_000);
        using var engine = new FindingsEngine(cluster, connectivity, flows);
        var sim = new SimulatedCluster(new SimulatorOptions { Nodes = nodes, FlowsPerSecond = 0 });
        var every = sim.Nodes.Select(n => n.Name).ToHashSet();
        sim.Faults.FailingControllerNodes = sim.Nodes.Where((_, i) => i % 10 == 0).Select(n => n.Name).ToHashSet();
        sim.Faults.MapPressureNodes = every;
        sim.Faults.EndpointUnreachableNodes = sim.Nodes.Where((_, i) => i % 50 == 1).Select(n => n.Name).ToHashSet();
        var fill = Stopwatch.StartNew();
        foreach (var (node, i) in sim.Nodes.Select((n, i) => (n, i)))
        {
            var now = time.GetUtcNow();
            var status = AgentStatusParser.Parse(Encoding.UTF8.GetBytes((await sim.ExecAsync(node, AgentCommands.Status, default)).Stdout));
            var pressure = MapPressureParser.Parse(Encoding.UTF8.GetBytes((await sim.ExecAsync(node, AgentCommands.Metrics, default)).Stdout), now);
            if (i < reporters)
            {
                connectivity.Ingest(node.Name, Encoding.UTF8.GetBytes((await sim.ExecAsync(node, AgentCommands.HealthStatus, default)).Stdout));
            }

            cluster.PollMetrics.Record(node.Name, TimeSpan.FromMilliseconds(40 + i % 50), failed: false);
            cluster.UpdateNode(node.Name, _ => new NodeSnapshot(node.Name, node.AgentPodName, new AgentContainerState("Running", true, true, null, null, null, 0),
                status.Value, null, now, now, status.Error, null) { MapPressure = pressure.Value });
        }

        var findings = engine.Derive();
        Console.WriteLine($"{nodes} nodes ({reporters} health reports) filled in {fill.Elapsed.TotalSeconds:0.0} s; {findings.All.Count} findings");

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Services.AddSingleton(cluster).AddSingleton(flows).AddSingleton(connectivity).AddSingleton(engine);
        builder.Services.AddCiliumDashMetrics(_ => new ClientCounts(() => 0, () => 0, () => 0));
        await using var app = builder.Build();
        app.MapCiliumDashMetrics();
        app.MapGet("/legacy-metrics", () => Results.Text(LegacyMetricsWriter.Render(cluster, flows, 0, 0, 0, engine.Current), "text/plain; version=0.0.4; charset=utf-8"));
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()) };

        var results = new Dictionary<string, List<double>> { ["/metrics"] = [], ["/legacy-metrics"] = [] };
        var sizes = new Dictionary<string, (int Bytes, int Series)>();
        foreach (var path in results.Keys)
        {
            var body = await http.GetStringAsync(path);
            sizes[path] = (Encoding.UTF8.GetByteCount(body), body.Split('\n').Count(l => l.Length > 0 && l[0] != '#'));
        }

        using var process = Process.GetCurrentProcess();
        for (var round = 0; round < rounds; round++)
        {
            foreach (var path in round % 2 == 0 ? results.Keys.ToArray() : results.Keys.Reverse().ToArray())
            {
                process.Refresh();
                var before = process.TotalProcessorTime;
                for (var s = 0; s < scrapes; s++)
                {
                    _ = await http.GetStringAsync(path);
                }

                process.Refresh();
                results[path].Add((process.TotalProcessorTime - before).TotalMilliseconds / scrapes);
            }
        }

        foreach (var (path, cpu) in results)
        {
            var sorted = cpu.Order().ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{path}: {sizes[path].Series} series, {sizes[path].Bytes / 1024.0:0} KB; CPU per scrape median {sorted[sorted.Count / 2]:0.0} ms (min {sorted[0]:0.0}, max {sorted[^1]:0.0}) over {rounds} rounds of {scrapes}"));
        }

        var ratio = results["/metrics"].Order().ElementAt(rounds / 2) / results["/legacy-metrics"].Order().ElementAt(rounds / 2);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"exporter / legacy CPU per scrape: {ratio:0.00}x"));
        await app.StopAsync();
        return 0;
    }
}
