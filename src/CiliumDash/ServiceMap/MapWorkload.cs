using CiliumDash.Findings;
using CiliumDash.Shared;

namespace CiliumDash.ServiceMap;

/// <summary>What the map's node panel shows: the node, its pods and the nodes they run on, and the findings about it.</summary>
public sealed record MapWorkload(MapNodeView Node, IReadOnlyList<(string Pod, string Node)> Pods, IReadOnlyList<Finding> Findings)
{
    /// <summary>
    /// Findings that concern a map node: those of a cluster node its pods run on, those about flows of its namespace,
    /// and those naming it as their component. The findings' own scope applies (a team sees only its namespaces').
    /// </summary>
    public static MapWorkload Of(MapNodeView node, IReadOnlyList<(string Pod, string Node)> pods, FindingSet findings, AccessScope scope)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(findings);
        ArgumentNullException.ThrowIfNull(scope);
        var hosts = pods.Select(p => p.Node).Where(n => n.Length > 0).ToHashSet(StringComparer.Ordinal);
        var concerning = findings.All.Where(f =>
                (f.Subject.Node is { } n && hosts.Contains(n))
                || (node.Namespace.Length > 0 && f.Namespaces?.Contains(node.Namespace) == true)
                || (f.Subject.Component is { } c && (c == node.Name || c == $"{node.Namespace}/{node.Name}")))
            .Where(f => f.Namespaces is null || f.Namespaces.Any(scope.AllowsNamespace))
            .ToList();
        return new MapWorkload(node, pods, concerning);
    }
}
