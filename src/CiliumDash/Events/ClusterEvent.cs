using CiliumDash.Shared;

namespace CiliumDash.Events;

/// <summary>What happened in the cluster, as the timeline and the history show it.</summary>
public enum ClusterEventKind
{
    AgentRestart,
    CiliumVersionChanged,
    NodeJoined,
    NodeLeft,
    PolicyCreated,
    PolicyChanged,
    PolicyDeleted,
}

/// <summary>
/// One change seen on the Kubernetes API. <see cref="Name"/> is the policy's, pod's, node's or DaemonSet's name;
/// <see cref="Detail"/> says what changed (restart reason, old → new version, policy kind). Every text field comes
/// from the cluster and is cut to a bounded length at the edge (<see cref="ClusterEvent.Create"/>).
/// </summary>
/// <param name="Sequence">increases with every event of this process (a stable order for equal times).</param>
public sealed record ClusterEvent(long Sequence, ClusterEventKind Kind, DateTimeOffset Time, string? Node, string? Namespace, string Name, string Detail)
{
    /// <summary>Longest name kept: a DNS subdomain's limit, which the API server enforces for these kinds.</summary>
    public const int MaxName = 253;

    /// <summary>Longest detail kept (a termination reason and a version pair fit easily).</summary>
    public const int MaxDetail = 512;

    /// <summary>The API's spelling of each kind (<c>agent-restart</c>, <c>policy-created</c>, ...).</summary>
    public static string WireName(ClusterEventKind kind) => kind switch
    {
        ClusterEventKind.AgentRestart => "agent-restart",
        ClusterEventKind.CiliumVersionChanged => "cilium-version-changed",
        ClusterEventKind.NodeJoined => "node-joined",
        ClusterEventKind.NodeLeft => "node-left",
        ClusterEventKind.PolicyCreated => "policy-created",
        ClusterEventKind.PolicyChanged => "policy-changed",
        _ => "policy-deleted",
    };

    public static IReadOnlyList<string> WireNames { get; } = [.. Enum.GetValues<ClusterEventKind>().Select(WireName)];

    public static bool TryParseKind(string? text, out ClusterEventKind kind)
    {
        foreach (var k in Enum.GetValues<ClusterEventKind>())
        {
            if (string.Equals(WireName(k), text, StringComparison.Ordinal))
            {
                kind = k;
                return true;
            }
        }

        kind = default;
        return false;
    }

    public bool IsPolicy => Kind is ClusterEventKind.PolicyCreated or ClusterEventKind.PolicyChanged or ClusterEventKind.PolicyDeleted;

    /// <summary>
    /// The team-scope rule of cluster events, for every view (REST, hub, history, timeline): a namespaced policy's
    /// event is seen only by a team that covers its namespace; everything cluster-wide (agents, versions, nodes,
    /// clusterwide policies) by everyone.
    /// </summary>
    public bool IsVisibleTo(AccessScope scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        return !IsPolicy || Namespace is null || scope.AllowsNamespace(Namespace);
    }

    /// <summary>An event with every cluster-supplied text cut to its bound (names, namespace, node, detail).</summary>
    public static ClusterEvent Create(long sequence, ClusterEventKind kind, DateTimeOffset time, string? node, string? ns, string? name, string? detail) =>
        new(sequence, kind, time, Bound(node, MaxName), Bound(ns, MaxName), Bound(name, MaxName) ?? "", Bound(detail, MaxDetail) ?? "");

    /// <summary>Cuts to <paramref name="max"/> characters (never between the halves of a surrogate pair), marking the cut.</summary>
    public static string? Bound(string? text, int max)
    {
        if (text is null || text.Length <= max)
        {
            return text;
        }

        var keep = max - 1;
        if (char.IsHighSurrogate(text[keep - 1]))
        {
            keep--;
        }

        return string.Concat(text.AsSpan(0, keep), VisibleText.Ellipsis);
    }
}
