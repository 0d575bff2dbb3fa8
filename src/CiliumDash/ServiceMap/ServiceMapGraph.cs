namespace CiliumDash.ServiceMap;

/// <summary>
/// One view of the map, what every output renders (page, REST, hub, embed, SVG): nodes and links after scope, filters,
/// hiding and grouping, each link with its counts.
/// </summary>
public sealed record ServiceMapGraph(
    IReadOnlyList<MapNodeView> Nodes,
    IReadOnlyList<MapEdgeView> Edges,
    ServiceMapQuery Query,
    bool AutoGrouped,
    IReadOnlyList<string> CollapsedNamespaces,
    IReadOnlyList<string> Namespaces,
    MapCoverage Coverage);

/// <summary>A node of a view; <see cref="Members"/> counts the finest-grain nodes a group stands for (1 otherwise).</summary>
public sealed record MapNodeView(
    string Id,
    string Kind,
    string Namespace,
    string Name,
    IReadOnlyDictionary<string, string> Labels,
    long Flows,
    long Dropped,
    int Members,
    string Filter);

/// <summary>
/// A link of a view. <see cref="State"/> is the map's one judgement of a link (see <see cref="MapEdgeStates"/>);
/// <see cref="FlowsQuery"/> is the <c>/flows</c> filter of the pair and <see cref="HubbleCommand"/> the same as a
/// command line.
/// </summary>
public sealed record MapEdgeView(
    string Id,
    string Source,
    string Target,
    long Flows,
    IReadOnlyDictionary<string, long> Verdicts,
    IReadOnlyDictionary<string, long> DropReasons,
    long Denied,
    IReadOnlyList<MapPortView> Ports,
    IReadOnlyDictionary<string, long> Http,
    IReadOnlyDictionary<string, long> Dns,
    IReadOnlyList<MapPolicyView> Policies,
    string State,
    string FlowsQuery,
    string HubbleCommand,
    DateTimeOffset? LastSeen);

public sealed record MapPortView(string Protocol, int Port, long Flows)
{
    public override string ToString() => Port == 0 ? Protocol : $"{Port}/{Protocol}";
}

/// <summary>A policy a link's flows name: <see cref="Direction"/> egress|ingress, <see cref="Verdict"/> allowed|denied.</summary>
public sealed record MapPolicyView(string Name, string Namespace, string Kind, string Direction, string Verdict, long Flows);

/// <summary>What the view's flows cover: where they came from, the time span and why older flows may be missing.</summary>
public sealed record MapCoverage(string Source, long Flows, DateTimeOffset? Oldest, DateTimeOffset? Newest, string? Note);

/// <summary>The map's judgement of a link, in one place: denied (a policy dropped some), dropped, audit, forwarded.</summary>
public static class MapEdgeStates
{
    public const string Forwarded = "forwarded";
    public const string Audit = "audit";
    public const string Dropped = "dropped";
    public const string Denied = "denied";

    public static readonly IReadOnlySet<string> PolicyDenials = new HashSet<string>(["POLICY_DENIED", "POLICY_DENY", "AUTH_REQUIRED"], StringComparer.Ordinal);

    public static string Of(IReadOnlyDictionary<string, long> verdicts, long denied) =>
        denied > 0 ? Denied
        : verdicts.GetValueOrDefault("DROPPED") + verdicts.GetValueOrDefault("ERROR") > 0 ? Dropped
        : verdicts.GetValueOrDefault("AUDIT") > 0 ? Audit
        : Forwarded;

    /// <summary>The dashboard's tone of a state (StateTones' words): bad for drops, warn for audit.</summary>
    public static string Tone(string state) => state switch
    {
        Denied or Dropped => "bad",
        Audit => "warn",
        _ => "ok",
    };
}
