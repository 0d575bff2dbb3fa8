using System.Net;
using CiliumDash.Agents;
using CiliumDash.Protocols.Agent;
using CiliumDash.Simulator.Cluster;
using CiliumDash.Simulator.Hosting;
using k8s;

namespace CiliumDash.Benchmarks.Drivers;

/// <summary>
/// AgentExec against the StreamDemuxer baseline (<see cref="DemuxerExec"/>), alternating in one process: CPU and
/// allocation per exec, and the wall time of the first round, when the thread pool still has its start-up size.
/// </summary>
internal static class ExecAbDriver
{
    public const string Command = "exec-ab";

    public static async Task<int> RunAsync(DriverArguments args)
    {
        var execs = args.Int("execs", 1000);
        var nodes = args.Int("nodes", 200);
        // Which runs first: the first round is the one with the thread pool at its start-up size.
        var agentExecFirst = args.Text("first") == "AgentExec";
        args.RejectUnknown();
        var cluster = new SimulatedCluster(new SimulatorOptions { Nodes = nodes, FlowsPerSecond = 0 });
        var loopback = new IPEndPoint(IPAddress.Loopback, 0);
        await using var host = await SimulatorHost.StartAsync(cluster, loopback, loopback);
        using var client = new Kubernetes(new KubernetesClientConfiguration { Host = host.KubeUrl.ToString().TrimEnd('/'), AccessToken = "x" });
        var now = new AgentExec(client);
        var demuxer = new DemuxerExec(client);
        var pods = cluster.Nodes.Select(n => n.AgentPodName).ToArray();
        Console.WriteLine($"exec-ab: {(agentExecFirst ? "AgentExec" : "StreamDemuxer")} first, {execs:N0} execs of 'cilium status -o json' per round, 32 at a time, {nodes} nodes; machine: {ProcessInfo.Machine()}");
        for (var round = 0; round < 4; round++)
        {
            var both = new (string, Func<string, Task>)[]
            {
                ("StreamDemuxer", p => demuxer.RunAsync("kube-system", p, AgentCommands.AgentContainer, AgentCommands.StatusLegacy, CancellationToken.None)),
                ("AgentExec", p => now.RunAsync("kube-system", p, AgentCommands.AgentContainer, AgentCommands.StatusLegacy, 4 << 20, CancellationToken.None)),
            };
            foreach (var (name, run) in agentExecFirst ? both.Reverse() : both)
            {
                var before = ProcessSample.Take();
                await Parallel.ForEachAsync(Enumerable.Range(0, execs), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, _) => await run(pods[i % pods.Length]));
                var used = ProcessSample.Take() - before;
                using var self = System.Diagnostics.Process.GetCurrentProcess();
                Console.WriteLine($"round {round} {name,-13}: {used.Wall.TotalSeconds:0.00} s, {used.Cpu.TotalMilliseconds / execs:0.000} ms CPU per exec, " +
                    $"{used.Allocated / execs / 1024.0:N0} KB allocated per exec, {self.Threads.Count} threads");
            }
        }

        return 0;
    }
}
