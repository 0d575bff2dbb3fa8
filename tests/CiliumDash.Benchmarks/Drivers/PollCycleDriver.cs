using System.Net;
using System.Text;
using CiliumDash.Agents;
using CiliumDash.Cluster;
using CiliumDash.Configuration;
using CiliumDash.Connectivity;
using CiliumDash.Findings;
using CiliumDash.Flows;
using CiliumDash.Hosting;
using CiliumDash.Protocols.Agent;
using CiliumDash.Simulator.Cluster;
using CiliumDash.Simulator.Documents;
using CiliumDash.Simulator.Hosting;
using k8s;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using CiliumDash.Shared;

namespace CiliumDash.Benchmarks.Drivers;

/// <summary>
/// Full agent poll cycles (discovery, then status and cilium-health exec per node over the Kubernetes exec WebSocket)
/// against a large simulated cluster, then the same with status only, to show which document dominates. The full mode
/// ends with one cycle after the simulator's clock has moved into the next probe round, when every agent has a new
/// cilium-health document (a real agent probes once a minute; cycles within a round get the same document).
/// With <c>--findings compare</c> it runs the full mode twice instead, without and with the findings engine deriving
/// after every store change, on a cluster where 5 % of the nodes have failing controllers and 1 % an unreachable
/// health endpoint, and then times single derivations over the filled stores.
/// </summary>
internal static class PollCycleDriver
{
    public const string Command = "poll-cycle";

    public static async Task<int> RunAsync(DriverArguments args)
    {
        var nodes = args.Int("nodes", 1000);
        var concurrency = args.Int("concurrency", 32);
        var cycles = args.Int("cycles", 3);
        var findings = args.Text("findings") ?? "off";
        args.RejectUnknown();
        if (findings is not ("off" or "compare"))
        {
            Console.Error.WriteLine($"--findings must be off or compare, not '{findings}'");
            return 2;
        }


        Console.WriteLine($"poll-cycle: {nodes:N0} nodes, {concurrency} concurrent execs, {cycles} cycles per mode");
        Console.WriteLine($"machine: {ProcessInfo.Machine()}");
        var clock = new SteppedClock();
        var cluster = new SimulatedCluster(new SimulatorOptions { Nodes = nodes, FlowsPerSecond = 0 }, clock);
        if (findings == "compare")
        {
            cluster.Faults.FailingControllerNodes = cluster.Nodes.Where(n => n.Index % 20 == 7).Select(n => n.Name).ToHashSet();
            cluster.Faults.EndpointUnreachableNodes = cluster.Nodes.Where(n => n.Index % 100 == 3).Select(n => n.Name).ToHashSet();
            Console.WriteLine($"faults: {cluster.Faults.FailingControllerNodes.Count} nodes with failing controllers, {cluster.Faults.EndpointUnreachableNodes.Count} with an unreachable health endpoint");
        }

        DocumentSizes(cluster);

        var loopback = new IPEndPoint(IPAddress.Loopback, 0);
        await using var host = await SimulatorHost.StartAsync(cluster, loopback, loopback);
        var options = new CiliumDashOptions { Kubernetes = { MaxConcurrentExecs = concurrency } };
        using var client = new Kubernetes(new KubernetesClientConfiguration { Host = host.KubeUrl.ToString().TrimEnd('/'), AccessToken = "x" });
        using var full = new KubernetesAgentSource(client, options.Kubernetes, host.KubeUrl.ToString());
        var statusOnly = new StatusOnlySource(full, new AgentExec(client), options.Kubernetes.Namespace);

        if (findings == "compare")
        {
            await MeasureAsync("status + health, findings off", full, options, nodes, cycles, clock, findings: false);
            await MeasureAsync("status + health, findings on", full, options, nodes, cycles, clock, findings: true);
        }
        else
        {
            await MeasureAsync("status + health", full, options, nodes, cycles, clock);
            await MeasureAsync("status only", statusOnly, options, nodes, cycles, clock: null);
        }

        Console.WriteLine($"memory at end: {ProcessInfo.Memory()}");
        return 0;
    }

    private static async Task MeasureAsync(string mode, IAgentSource source, CiliumDashOptions options, int nodes, int cycles, SteppedClock? clock, bool findings = false)
    {
        Console.WriteLine();
        Console.WriteLine($"== {mode}");
        using var store = new ClusterStore(TimeProvider.System, source.Target);
        using var connectivity = new ConnectivityStore(TimeProvider.System, options.Connectivity);
        using var flows = new FlowStore(TimeProvider.System, 1000);
        // As the app wires it: subscribed to the stores' signals, deriving on their timer threads during the cycle.
        using var engine = findings ? new FindingsEngine(store, connectivity, flows) : null;
        engine?.Start();
        using var poller = new AgentStatusPoller(_ => source, new ClusterConnection(), store, connectivity, Options.Create(options), TimeProvider.System,
            NullLogger<AgentStatusPoller>.Instance);
        for (var cycle = 1; cycle <= cycles; cycle++)
        {
            await CycleAsync($"cycle {cycle}", poller, source, store, nodes, engine);
        }

        if (clock is not null)
        {
            // 1.12 agents probe every 60 s: a minute later every node is in its next round.
            clock.Advance(TimeSpan.FromSeconds(61));
            await CycleAsync("new probe round", poller, source, store, nodes, engine);
        }

        if (engine is not null)
        {
            DerivationCost(engine, store, connectivity);
        }

        // What the store holds for the nodes: the heap with them, minus the heap once they are dropped.
        var withNodes = GC.GetTotalMemory(forceFullCollection: true);
        store.RetainNodes(new HashSet<string>(StringComparer.Ordinal));
        var without = GC.GetTotalMemory(forceFullCollection: true);
        Console.WriteLine($"retained by the store: {(withNodes - without) / 1024.0 / nodes:N1} KB per node ({ProcessInfo.Mb(withNodes - without)} for {nodes:N0} nodes)");
        // The probe matrix and its history live in the connectivity store, sized by configuration (section 5).
        connectivity.Retain(new HashSet<string>(StringComparer.Ordinal));
        var withoutMatrix = GC.GetTotalMemory(forceFullCollection: true);
        Console.WriteLine($"retained by the connectivity store (matrix + history window): {(without - withoutMatrix) / 1024.0 / nodes:N1} KB per node ({ProcessInfo.Mb(without - withoutMatrix)} for {nodes:N0} nodes)");
    }

    private static async Task CycleAsync(string label, AgentStatusPoller poller, IAgentSource source, ClusterStore store, int nodes, FindingsEngine? engine)
    {
        var derivations = engine?.Derivations ?? 0;
        var before = ProcessSample.Take();
        await poller.PollOnceAsync(source, CancellationToken.None);
        var used = ProcessSample.Take() - before;
        Console.WriteLine($"{label}: {used.Wall.TotalSeconds:0.00} s wall, {used.Cpu.TotalMilliseconds / nodes:0.00} ms CPU per node ({used.Cores:0.00} cores), " +
            $"{used.Allocated / nodes / 1024.0:N0} KB allocated per node; {Outcome(store)}" +
            (engine is null ? "" : $"; {engine.Derivations - derivations} derivations of the findings during the cycle"));
    }

    /// <summary>Single derivations over the filled stores, one after the other on this thread: CPU and allocation each.</summary>
    private static void DerivationCost(FindingsEngine engine, ClusterStore store, ConnectivityStore connectivity)
    {
        const int Runs = 10;
        engine.Derive();
        var before = ProcessSample.Take();
        FindingSet set = FindingSet.Empty;
        for (var i = 0; i < Runs; i++)
        {
            set = engine.Derive();
        }

        var used = ProcessSample.Take() - before;
        var kinds = string.Join(", ", set.Counts().GroupBy(c => c.Kind).Select(g => $"{g.Sum(c => c.Count)} {g.Key}"));
        Console.WriteLine($"one derivation: {used.Cpu.TotalMilliseconds / Runs:0.0} ms CPU, {used.Wall.TotalMilliseconds / Runs:0.0} ms wall, " +
            $"{used.Allocated / Runs / 1024.0 / 1024:0.0} MB allocated; {set.All.Count} findings ({kinds})");
        Console.WriteLine($"  of which: reading the nodes {Cpu(() => store.Nodes):0.0} ms, the reachability pass over the matrix {Cpu(() => connectivity.Reachability()):0.0} ms, " +
            $"drift {Cpu(() => CiliumDash.Findings.Rules.DriftRules.Of(store.Nodes).Count()):0.0} ms (CPU per call)");
    }

    private static double Cpu(Func<object> work)
    {
        const int Runs = 10;
        var before = ProcessSample.Take();
        for (var i = 0; i < Runs; i++)
        {
            GC.KeepAlive(work());
        }

        return (ProcessSample.Take() - before).Cpu.TotalMilliseconds / Runs;
    }

    /// <summary>A cycle only counts if the nodes were read; a separate method so no snapshot list outlives it.</summary>
    private static string Outcome(ClusterStore store)
    {
        var snapshots = store.Nodes;
        var error = snapshots.Select(n => n.Error ?? n.HealthError).FirstOrDefault(e => e is not null);
        return $"{snapshots.Count(n => n.Status is not null):N0} statuses and {snapshots.Count(n => n.Health is not null):N0} health reports in the store, " +
            $"{snapshots.Count(n => n.Error is not null || n.HealthError is not null)} nodes with errors" + (error is null ? "" : $" (e.g. {error})");
    }

    /// <summary>The simulator renders every document on each exec; this is that share of a cycle's CPU.</summary>
    private static void DocumentSizes(SimulatedCluster cluster)
    {
        var now = cluster.StartedAt.AddMinutes(30);
        var node = cluster.Nodes[^1];
        var status = Encoding.UTF8.GetByteCount(AgentStatusDocuments.Render(cluster, node, now));
        var health = Encoding.UTF8.GetByteCount(HealthStatusDocuments.Render(cluster, node, now));
        // Process CPU time rather than a stopwatch: on this shared machine wall time counts other programs' turns too.
        var start = ProcessSample.Take();
        foreach (var n in cluster.Nodes.Take(100))
        {
            AgentStatusDocuments.Render(cluster, n, now);
        }

        var statusRender = ProcessSample.Take() - start;
        start = ProcessSample.Take();
        foreach (var n in cluster.Nodes.Take(100))
        {
            HealthStatusDocuments.Render(cluster, n, now);
        }

        var healthRender = ProcessSample.Take() - start;
        Console.WriteLine($"documents of {node.Name}: status {status:N0} bytes, health {health:N0} bytes");
        Console.WriteLine($"simulator render cost (one thread, first 100 nodes, process CPU): status {statusRender.Cpu.TotalMilliseconds / 100:0.00} ms, " +
            $"health {healthRender.Cpu.TotalMilliseconds / 100:0.00} ms per node ({healthRender.Allocated / 100 / 1024.0:N0} KB allocated); " +
            $"wall {statusRender.Wall.TotalMilliseconds / 100:0.00} ms and {healthRender.Wall.TotalMilliseconds / 100:0.00} ms");
    }

    /// <summary>The system clock plus an offset the driver moves forward; timers stay the system's.</summary>
    private sealed class SteppedClock : TimeProvider
    {
        private long _offsetTicks;

        public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);

        public override DateTimeOffset GetUtcNow() => base.GetUtcNow().AddTicks(Interlocked.Read(ref _offsetTicks));
    }

    /// <summary>The Kubernetes source without the cilium-health exec: splits a cycle's cost between the two documents.</summary>
    private sealed class StatusOnlySource(IAgentSource inner, AgentExec exec, string ns) : IAgentSource
    {
        private volatile bool _legacy;

        public string Target => inner.Target;

        public Task<AgentDiscovery> DiscoverAsync(CancellationToken ct) => inner.DiscoverAsync(ct);

        public async Task<AgentRead> ReadAsync(AgentTarget agent, CancellationToken ct)
        {
            ExecOutput output;
            try
            {
                output = await exec.RunAsync(ns, agent.PodName, AgentCommands.AgentContainer, _legacy ? AgentCommands.StatusLegacy : AgentCommands.Status,
                    AgentStatusParser.MaxDocumentBytes, ct);
            }
            catch (AgentExecException ex) when (ex.BinaryMissing && !_legacy)
            {
                // 1.12 agents (the simulator's default shape) only have the old binary name; remembered, as the real source does per pod.
                _legacy = true;
                output = await exec.RunAsync(ns, agent.PodName, AgentCommands.AgentContainer, AgentCommands.StatusLegacy, AgentStatusParser.MaxDocumentBytes, ct);
            }

            return output.ExitCode == 0
                ? new AgentRead(output.Stdout, null, null, null)
                : new AgentRead(null, $"exit code {output.ExitCode}: {output.Stderr}", null, null);
        }
    }
}
