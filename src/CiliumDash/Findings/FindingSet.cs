using CiliumDash.Shared;

namespace CiliumDash.Findings;

/// <summary>A node's share of the findings: its worst severity and how many there are.</summary>
public sealed record NodeFindings(FindingSeverity Worst, int Count);

/// <summary>Findings of one severity and kind, in the set's order (GroupBy keeps it).</summary>
public sealed record FindingGroup(FindingSeverity Severity, string Kind, IReadOnlyList<Finding> Items);

/// <summary>One derivation's findings, worst first (<see cref="FindingOrder"/>), with per-node and per-kind tallies.</summary>
public sealed class FindingSet
{
    public static readonly FindingSet Empty = new([], 0, DateTimeOffset.MinValue);

    private readonly Dictionary<string, NodeFindings> _byNode = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<Finding>> _aboutNode = new(StringComparer.Ordinal);
    private IReadOnlyList<FindingGroup>? _groups;

    public FindingSet(IReadOnlyList<Finding> all, long version, DateTimeOffset derivedAt)
    {
        ArgumentNullException.ThrowIfNull(all);
        All = all;
        Version = version;
        DerivedAt = derivedAt;
        foreach (var finding in all)
        {
            Count(finding.Subject.Node, finding);
            if (finding.Subject.Peer != finding.Subject.Node)
            {
                // A failing pair concerns both of its nodes.
                Count(finding.Subject.Peer, finding);
            }
        }
    }

    public IReadOnlyList<Finding> All { get; }

    /// <summary>Increases whenever the set changes (ids, severities or summaries).</summary>
    public long Version { get; }

    public DateTimeOffset DerivedAt { get; }

    /// <summary>What the findings say about one node (as subject or as the peer of a pair); null when nothing.</summary>
    public NodeFindings? ForNode(string node) => _byNode.GetValueOrDefault(node);

    /// <summary>The findings about one node (as subject or as the peer of a pair), worst first; empty when none.</summary>
    public IReadOnlyList<Finding> AboutNode(string node) => _aboutNode.TryGetValue(node, out var list) ? list : [];

    /// <summary>The worst finding about one controller, map or setting of a node (the pages' row markers), or null.</summary>
    public Finding? About(string node, string? controller = null, string? map = null, string? component = null) =>
        AboutNode(node).FirstOrDefault(f => f.Subject.Node == node
            && (controller is null || f.Subject.Controller == controller)
            && (map is null || f.Subject.Map == map)
            && (component is null || f.Subject.Component == component));

    /// <summary>The worst finding of <paramref name="kinds"/> about a node, or null.</summary>
    public Finding? WorstAbout(string node, params string[] kinds) =>
        AboutNode(node).FirstOrDefault(f => kinds.Length == 0 || Array.IndexOf(kinds, f.Kind) >= 0);

    /// <summary>The findings one user may see: cluster-wide ones, and those about flows of namespaces in their scope.</summary>
    public IEnumerable<Finding> VisibleTo(AccessScope scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        return All.Where(f => f.Namespaces is null || !scope.IsRestricted || f.Namespaces.Any(scope.AllowsNamespace));
    }

    /// <summary>The findings by severity, then kind, in the one order (the overview's groups); built once per set.</summary>
    public IReadOnlyList<FindingGroup> Groups => _groups ??= All
        .GroupBy(f => (f.Severity, f.Kind))
        .Select(g => new FindingGroup(g.Key.Severity, g.Key.Kind, g.ToList()))
        .ToList();

    /// <summary>The findings of these kinds, worst first.</summary>
    public IReadOnlyList<Finding> OfKinds(params string[] kinds) => All.Where(f => Array.IndexOf(kinds, f.Kind) >= 0).ToList();

    /// <summary>Counts by severity and kind, for <c>/metrics</c>.</summary>
    public IEnumerable<(FindingSeverity Severity, string Kind, int Count)> Counts() =>
        All.GroupBy(f => (f.Severity, f.Kind)).Select(g => (g.Key.Severity, g.Key.Kind, g.Count()))
            .OrderBy(c => c.Severity).ThenBy(c => c.Kind, StringComparer.Ordinal);

    private void Count(string? node, Finding finding)
    {
        if (node is null)
        {
            return;
        }

        var severity = finding.Severity;
        if (!_aboutNode.TryGetValue(node, out var list))
        {
            _aboutNode[node] = list = [];
        }

        // The set is built worst first, so each node's list is too.
        list.Add(finding);

        _byNode[node] = _byNode.TryGetValue(node, out var known)
            ? new NodeFindings(severity < known.Worst ? severity : known.Worst, known.Count + 1)
            : new NodeFindings(severity, 1);
    }
}

/// <summary>The one sort order of findings: severity, then how fundamental the kind is, then subject, then id.</summary>
public static class FindingOrder
{
    /// <summary>Kinds whose fault explains others come first (a source down before the nodes it cannot read).</summary>
    private static readonly string[] Kinds =
    [
        FindingKinds.SourceDown, FindingKinds.RelayDown, FindingKinds.NodeUnreachable, FindingKinds.AgentUnreadable,
        FindingKinds.EndpointUnreachable, FindingKinds.HostUnreachable, FindingKinds.AgentNotOk, FindingKinds.WorkloadNotReady,
        FindingKinds.MapPressure, FindingKinds.ControllerFailing, FindingKinds.AgentStale, FindingKinds.HealthUnreadable,
        FindingKinds.ProbeFailing, FindingKinds.RttDegraded, FindingKinds.Drift, FindingKinds.HubbleLostEvents,
        FindingKinds.RelayNodeUnavailable, FindingKinds.ControllerFlapping, FindingKinds.WorkloadNotAvailable,
        FindingKinds.WorkloadRollout, FindingKinds.ExecDisabled, FindingKinds.MapForecastFull, FindingKinds.HistoryNotRecording,
    ];

    public static readonly IComparer<Finding> Comparer = Comparer<Finding>.Create((a, b) =>
    {
        var c = a.Severity.CompareTo(b.Severity);
        c = c != 0 ? c : Rank(a.Kind).CompareTo(Rank(b.Kind));
        c = c != 0 ? c : string.CompareOrdinal(a.Subject.Node, b.Subject.Node);
        return c != 0 ? c : string.CompareOrdinal(a.Id, b.Id);
    });

    private static int Rank(string kind)
    {
        var i = Array.IndexOf(Kinds, kind);
        return i < 0 ? Kinds.Length : i;
    }
}
