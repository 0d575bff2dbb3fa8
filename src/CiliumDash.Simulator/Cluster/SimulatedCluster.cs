using CiliumDash.Protocols.Agent;
using CiliumDash.Simulator.Documents;

namespace CiliumDash.Simulator.Cluster;

/// <summary>
/// The state of a simulated Cilium cluster: nodes, pods, Cilium's workloads, faults, and the answers the agents give
/// to the fixed exec commands. Served over the real protocols by the Kubernetes and hubble-relay stand-ins.
/// </summary>
public sealed class SimulatedCluster
{
    public const string CiliumNamespace = "kube-system";
    public const string ClusterName = "default";

    private readonly RecordedScenario? _recorded;
    private readonly Dictionary<string, SimNode> _nodesByPod;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, (HealthKey Key, string Document)> _health = new();

    public SimulatedCluster(SimulatorOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        Time = time ?? TimeProvider.System;
        StartedAt = Time.GetUtcNow();
        var random = new Random(options.Seed);

        if (options.Scenario is { } dir)
        {
            _recorded = RecordedScenario.Load(dir);
            Nodes = ClusterTopology.BuildNodes(_recorded.NodeNames.Count, random, _recorded.NodeNames);
        }
        else
        {
            if (options.Nodes is < 1 or > SimulatorOptions.MaxNodes)
            {
                throw new ArgumentOutOfRangeException(nameof(options), $"Nodes must be 1 to {SimulatorOptions.MaxNodes}.");
            }

            Nodes = ClusterTopology.BuildNodes(options.Nodes, random);
        }

        CiliumVersion = options.Shape == WireShape.Cilium112 ? "1.12.0" : "1.18.0";
        CiliumGitSha = options.Shape == WireShape.Cilium112 ? "9447cd1" : "274205f0";
        Workloads = ClusterTopology.BuildWorkloads(Nodes.Count);
        Pods = ClusterTopology.BuildPods(Nodes, CiliumVersion, random);
        _nodesByPod = Nodes.ToDictionary(n => n.AgentPodName, StringComparer.Ordinal);
        Changes = new Kubernetes.ClusterChanges(this);
    }

    public SimulatorOptions Options { get; }

    public TimeProvider Time { get; }

    public DateTimeOffset StartedAt { get; }

    public IReadOnlyList<SimNode> Nodes { get; }

    public IReadOnlyList<SimPod> Pods { get; }

    public IReadOnlyList<SimWorkload> Workloads { get; }

    public SimulatorFaults Faults => Options.Faults;

    /// <summary>e.g. 1.12.0; the agent's version line is "1.12.0 (v1.12.0-9447cd1)". Moves on <see cref="Kubernetes.ClusterChanges.UpgradeCilium"/>.</summary>
    public string CiliumVersion { get; internal set; }

    /// <summary>Policies, agent restarts, nodes joining and leaving, upgrades: over time and on command.</summary>
    public Kubernetes.ClusterChanges Changes { get; }

    public string CiliumGitSha { get; }

    public bool IsReplay => _recorded is not null;

    /// <summary>In replay mode, the recorded <c>flows.jsonl</c> (which may not exist); null for a generated cluster.</summary>
    public string? ReplayFlowsPath => _recorded?.FlowsPath;

    public SimNode? FindNodeByAgentPod(string podName) => _nodesByPod.GetValueOrDefault(podName);

    /// <summary>
    /// Runs one of the fixed agent commands in a node's cilium-agent container. Anything else exits 1 with a usage
    /// error, as the real binaries would. A hanging node never completes until <paramref name="ct"/> fires.
    /// </summary>
    public async Task<ExecResult> ExecAsync(SimNode node, IReadOnlyList<string> command, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(command);
        if (Faults.HangingExecNodes.Contains(node.Name))
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, Time, ct);
        }

        if (Faults.FailingExecNodes.Contains(node.Name))
        {
            return new ExecResult(1, "", "Error: Get \"http://localhost/v1/healthz\": dial unix /var/run/cilium/cilium.sock: connect: connection refused\nIs the agent running?\n");
        }

        var now = Time.GetUtcNow();
        if (command.Count > 0 && command[0] == "cilium-dbg" && Options.Shape == WireShape.Cilium112 && _recorded is null)
        {
            return ExecResult.NotFound("cilium-dbg");   // renamed in 1.15: a 1.12 image has only "cilium"
        }

        if (Matches(command, AgentCommands.Status) || Matches(command, AgentCommands.StatusLegacy))
        {
            var doc = _recorded?.StatusJson(node.Name) ?? AgentStatusDocuments.Render(this, node, now);
            if (Faults.MalformedStatusNodes.Contains(node.Name))
            {
                doc = doc[..(doc.Length / 2)];
            }

            return ExecResult.Ok(doc);
        }

        if (Matches(command, AgentCommands.HealthStatus) || Matches(command, AgentCommands.HealthProbe))
        {
            return ExecResult.Ok(_recorded?.HealthJson(node.Name) ?? HealthDocument(node, now));
        }

        if (Matches(command, AgentCommands.Metrics) || Matches(command, AgentCommands.MetricsLegacy))
        {
            return ExecResult.Ok(AgentMetricsDocuments.Render(this, node, now));
        }

        var binary = command.Count > 0 ? command[0] : "";
        return binary is "cilium" or "cilium-dbg" or "cilium-health"
            ? new ExecResult(1, "", $"Error: unknown command \"{string.Join(' ', command.Skip(1))}\" for \"{binary}\"\n")
            : ExecResult.NotFound(binary);
    }

    /// <summary>
    /// A real agent answers <c>cilium-health status</c> from its last periodic probe round; so does the simulator: the
    /// document is rendered once per node and round (and per fault setting), not on every exec. At 1,000 nodes the
    /// cache holds one ~0.7 MB document per node.
    /// </summary>
    private string HealthDocument(SimNode node, DateTimeOffset now)
    {
        var key = new HealthKey(HealthStatusDocuments.RoundOf(this, node, now), Faults.EndpointUnreachableNodes, Faults.SlowLinkNodes, Faults.HangingExecNodes);
        if (_health.TryGetValue(node.Index, out var cached) && cached.Key == key)
        {
            return cached.Document;
        }

        var document = HealthStatusDocuments.Render(this, node, now);
        _health[node.Index] = (key, document);
        return document;
    }

    /// <summary>What a health document depends on besides the node: the round and the fault sets (replaced, never mutated).</summary>
    private sealed record HealthKey(long Round, IReadOnlySet<string> EndpointUnreachable, IReadOnlySet<string> SlowLink, IReadOnlySet<string> Hanging);

    private static bool Matches(IReadOnlyList<string> command, IReadOnlyList<string> expected) =>
        command.Count == expected.Count && command.SequenceEqual(expected, StringComparer.Ordinal);
}
