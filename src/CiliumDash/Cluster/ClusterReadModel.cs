using CiliumDash.Agents;
using CiliumDash.Contract;
using CiliumDash.Findings;
using CiliumDash.Flows;
using CiliumDash.Shared;

namespace CiliumDash.Cluster;

/// <summary>The order of the node list: by name (REST's default), or what needs attention first (the nodes page).</summary>
public enum NodeOrder
{
    Name,

    /// <summary>Worst findings first (critical, warning, info, none), then more findings, then by name.</summary>
    ProblemsFirst,
}

/// <summary>A map's smallest and largest configured size over the nodes; it differs between nodes when they are not equal.</summary>
public sealed record MapSizeRange(string Name, long Min, long Max)
{
    public bool Differs => Min != Max;
}

/// <summary>A map over 80 % full on a node.</summary>
public sealed record MapFillDto(string Node, string Map, double Ratio);

/// <summary>What the BPF maps page shows (see <see cref="ClusterReadModel.BpfMapsOverview"/>).</summary>
public sealed record BpfMapsView(
    IReadOnlyList<(string Map, IReadOnlyList<(long Size, IReadOnlyList<string> Nodes)> Sizes)> Differences,
    IReadOnlyList<NodeBpfMapsDto> Nodes,
    IReadOnlyList<string> MapNames,
    IReadOnlyList<MapFillDto> High,
    IReadOnlyList<(string Node, string Why)> Unavailable,
    int NodesWithPressure)
{
    /// <summary>Nodes whose dynamically sized maps follow their memory under the ratio (their sizes are no drift).</summary>
    public IReadOnlySet<string> FollowMemory { get; init; } = new HashSet<string>();
}

/// <summary>
/// The read model of the cluster: one query per view, each answering with the contract's sealed records. The pages,
/// <c>/api/v1/...</c>, the hub's topics and the embeds all render these, so every judgement (cilium-cli's rules,
/// "failing", "flapping"), every sort order and every count is made here once.
/// </summary>
public sealed class ClusterReadModel(ClusterStore store, FlowStore flows, ClusterConnection connection, TimeProvider time, FindingsEngine findings)
{
    /// <summary><c>/api/v1/cluster</c>, the <c>cluster</c> topic, the overview page and the cluster embed.</summary>
    public ClusterDto ClusterOverview()
    {
        var nodes = store.Nodes;
        var workloads = store.Workloads;
        var summary = ClusterSummaryBuilder.Build(workloads, nodes, time.GetUtcNow());
        var info = connection.Current;
        var phases = workloads.Components.ToDictionary(w => w.Name, w => w.PodPhases, StringComparer.Ordinal);
        return new ClusterDto(
            info?.Description ?? "connecting",
            info?.Simulated ?? false,
            new NodeCountsDto(summary.NodesTotal, summary.NodesReady),
            summary.Components.Select(c => new ComponentDto(c.Name, c.Kind, c.State, c.Desired, c.Ready, c.Available, c.Unavailable)
            {
                Exists = c.Exists,
                PodPhases = phases.TryGetValue(c.Name, out var p) ? p : new Dictionary<string, int>(),
            }).ToList(),
            new ClusterPodsDto(summary.ManagedPods, summary.TotalPods),
            summary.Images.Select(i => new ImageDto(i.Component, i.Image, i.Count)).ToList(),
            summary.Errors.Select(Problem).ToList(),
            summary.Warnings.Select(Problem).ToList(),
            Source(flows.Relay) with { Warning = flows.StreamWarning?.Message },
            Source(store.AgentSource))
        {
            ClusterMesh = nodes.Any(n => n.Status?.ClusterMesh is { Clusters.Count: > 0 }) ? "OK" : "disabled",
            LastUpdated = nodes.Max(n => n.LastUpdated),
        };
    }

    /// <summary><c>/api/v1/nodes</c>, the <c>nodes</c> topic, the nodes page.</summary>
    public IReadOnlyList<NodeRowDto> NodeRows(NodeOrder order = NodeOrder.Name)
    {
        var judged = findings.Current;
        var rows = store.Nodes.Select(n => (Row: NodeRow(n, judged), Worst: judged.ForNode(n.Name)));
        if (order == NodeOrder.ProblemsFirst)
        {
            // What is failing is what the operator came for: the findings' own severity order, then the count.
            rows = rows.OrderBy(r => r.Worst is { } w ? (int)w.Worst : int.MaxValue).ThenByDescending(r => r.Worst?.Count ?? 0)
                .ThenBy(r => r.Row.Name, NaturalOrder.Instance);
        }

        return rows.Select(r => r.Row).ToList();
    }

    /// <summary>One element of <see cref="NodeRows"/> (the node embed); null when the node is not known.</summary>
    public NodeRowDto? NodeRow(string name) => store.GetNode(name) is { } node ? NodeRow(node, findings.Current) : null;

    /// <summary><c>/api/v1/nodes/{name}</c> and the node page; null when the node is not known.</summary>
    public NodeDetailDto? NodeDetail(string name) =>
        store.GetNode(name) is { } node ? NodeDetailMapping.Map(node, NodeProblems.For(node, time.GetUtcNow()), store.ExecDisabled) : null;

    /// <summary>
    /// <c>/api/v1/controllers</c>, the <c>controllers</c> topic, the controllers page and embed: every controller
    /// failing now (cilium-cli's rule), a failure on many nodes first, then the longest streak, then by node.
    /// </summary>
    public IReadOnlyList<FailingControllerDto> FailingControllers()
    {
        var now = time.GetUtcNow();
        var current = store.Nodes.SelectMany(n => (n.Status?.Controllers ?? []).Where(c => c.Failing).Select(c => (Node: n.Name, Controller: c))).ToList();
        var spread = current.GroupBy(x => x.Controller.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        return current.Select(x =>
            {
                var c = x.Controller;
                var record = store.ControllerHistory.Get(x.Node, c.Name);
                return new FailingControllerDto(x.Node, c.Name, c.ConsecutiveFailureCount, c.FailureCount, c.SuccessCount, c.LastFailureMessage, c.LastSuccess, c.LastFailure)
                {
                    Since = record?.Open?.Start ?? c.LastSuccess,
                    Flapping = record is not null && ControllerHistory.IsFlapping(record, now),
                    NodesWithSameFailure = spread[c.Name],
                };
            })
            .OrderByDescending(f => f.NodesWithSameFailure).ThenByDescending(f => f.ConsecutiveFailureCount)
            .ThenBy(f => f.Node, StringComparer.Ordinal).ThenBy(f => f.Name, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>
    /// The controllers page's history table: failure episodes the dashboard saw across polls, open ones first, then
    /// newest; at most <paramref name="max"/>.
    /// </summary>
    public IReadOnlyList<(ControllerRecord Record, FailureEpisode Episode, bool Flapping)> ControllerEpisodes(int max = 500)
    {
        var now = time.GetUtcNow();
        return store.ControllerHistory.All().SelectMany(r => r.Episodes.Select(e => (r, e)))
            .OrderByDescending(x => x.e.End is null).ThenByDescending(x => x.e.Start).Take(max)
            .Select(x => (x.r, x.e, ControllerHistory.IsFlapping(x.r, now))).ToList();
    }

    /// <summary><c>/api/v1/bpf-maps</c> and the <c>bpfMaps</c> topic: each node's configured map sizes, by node name.</summary>
    public IReadOnlyList<NodeBpfMapsDto> BpfMaps() =>
        store.Nodes.Where(n => n.Status?.BpfMaps is not null)
            .Select(n => new NodeBpfMapsDto(n.Name, n.Status!.BpfMaps!.DynamicSizeRatio, n.Status.BpfMaps.Maps.Select(m => new BpfMapDto(m.Name, m.Size)).ToList()))
            .ToList();

    /// <summary>Each map's configured size across the nodes that report it, by map name (the BPF maps embed).</summary>
    public IReadOnlyList<MapSizeRange> BpfMapSizes() =>
        store.Nodes.Where(n => n.Status?.BpfMaps is not null)
            .SelectMany(n => n.Status!.BpfMaps!.Maps)
            .GroupBy(m => m.Name, StringComparer.Ordinal)
            .Select(g => new MapSizeRange(g.Key, g.Min(m => m.Size), g.Max(m => m.Size)))
            .OrderBy(m => m.Name, StringComparer.Ordinal).ToList();

    /// <summary>
    /// The BPF maps page: maps whose size differs between nodes, each node's sizes (at most <paramref name="maxNodes"/>),
    /// maps over 80 % full cluster-wide (fullest first), and why nodes have no fill levels.
    /// </summary>
    public BpfMapsView BpfMapsOverview(int maxNodes = 500)
    {
        var all = store.Nodes;
        var differences = Findings.Drift.MapSizeDifferences(all);
        var nodes = BpfMaps().Take(maxNodes).ToList();
        var high = all.SelectMany(n => n.MapPressure?.OverHigh.Select(m => new MapFillDto(n.Name, m.MapName, m.Ratio)) ?? [])
            .OrderByDescending(m => m.Ratio).ThenBy(m => m.Node, StringComparer.Ordinal).Take(maxNodes).ToList();
        var unavailable = all.Where(n => n.MapPressure is null)
            .Select(n => (n.Name, Why: n.MapPressureError ?? (store.ExecDisabled ? MapPressureReads.ReadOnlyReason : null)))
            .Where(n => n.Why is not null).Select(n => (n.Name, n.Why!)).ToList();
        var follow = all.Where(n => n.Status?.BpfMaps is { } b && Findings.Rules.DynamicMapSizing.Explains(b, n.MemoryBytes)).Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
        return new BpfMapsView(differences, nodes, nodes.SelectMany(n => n.Maps.Select(m => m.Name)).Distinct(StringComparer.Ordinal).ToList(),
            high, unavailable, all.Count(n => n.MapPressure is not null)) { FollowMemory = follow };
    }

    /// <summary>The nodes × datapath settings table (the drift page).</summary>
    public DriftTable Drift() => Findings.Drift.Build(store.Nodes);

    public int NodeCount => store.NodeCount;

    private static NodeRowDto NodeRow(NodeSnapshot n, FindingSet judged) =>
        new(n.Name, n.State, n.Status?.Version, n.LastUpdated, n.Stale, n.Error, n.AgentPod,
            new ControllerCountsDto(n.Status?.Controllers?.Count ?? 0, n.FailingControllers) { Reported = n.Status?.Controllers is not null })
        {
            KubeProxyReplacementMode = n.Status?.KubeProxyReplacement?.Mode,
            Health = n.Health is { } h ? new HealthCountsDto(h.Reachable, h.Total) : null,
            Severity = judged.ForNode(n.Name) is { } f ? FindingsApi.Severity(f.Worst) : null,
            Problems = judged.ForNode(n.Name)?.Count ?? 0,
        };

    private static ProblemDto Problem(ClusterProblem p) => new(p.Component, p.Node, p.Pod, p.Message);

    private static SourceDto Source(SourceHealth h) => new(h.State.ToString(), h.LastError, h.LastSuccess, h.Target);
}
