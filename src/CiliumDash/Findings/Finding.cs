namespace CiliumDash.Findings;

/// <summary>Red = act now, amber = degraded, info = worth knowing. Declared worst first: the sort order follows it.
/// The API spells it through <see cref="FindingsApi.Severity"/>.</summary>
public enum FindingSeverity
{
    Critical,

    Warning,

    Info,
}

/// <summary>What a finding is about; only the parts that apply are set.</summary>
public sealed record FindingSubject
{
    public string? Node { get; init; }

    /// <summary>The other node of a pair (the probed destination).</summary>
    public string? Peer { get; init; }

    /// <summary>A probe path as the API spells it (<c>host</c>, <c>endpoint</c>, <c>endpoint-icmp</c>, ...).</summary>
    public string? Path { get; init; }

    public string? Controller { get; init; }

    public string? Map { get; init; }

    /// <summary>A subsystem, workload, source or datapath setting (<c>hubble-relay</c>, <c>Maglev table size</c>).</summary>
    public string? Component { get; init; }

    /// <summary>Part of the id: the same subject always gives the same key.</summary>
    internal string Key => $"node={Node}|peer={Peer}|path={Path}|controller={Controller}|map={Map}|component={Component}";
}

/// <summary>One value behind a finding and where it was read ("cilium-health on fedora").</summary>
public sealed record Evidence(string Source, string Value);

/// <summary>One thing that is wrong (or worth knowing), derived by <see cref="FindingsEngine"/> from the stores.</summary>
public sealed record Finding(
    string Id,
    FindingSeverity Severity,
    string Kind,
    FindingSubject Subject,
    string Summary,
    string? Hint,
    IReadOnlyList<Evidence> Evidence,
    DateTimeOffset Since)
{
    /// <summary>Namespaces whose flows this finding is about; null = cluster-wide (visible to every team).</summary>
    public IReadOnlySet<string>? Namespaces { get; init; }
}

/// <summary>What a rule found, before the engine gives it its id, first-seen time and hint.</summary>
/// <param name="Since">when the data itself says the fault began (a controller's last success); null = first seen.</param>
public sealed record FindingDraft(
    FindingSeverity Severity,
    string Kind,
    FindingSubject Subject,
    string Summary,
    IReadOnlyList<Evidence> Evidence,
    DateTimeOffset? Since = null);

/// <summary>The kinds the engine derives; the names are part of the API (add, never rename).</summary>
public static class FindingKinds
{
    public const string AgentNotOk = "agent-not-ok";
    public const string AgentUnreadable = "agent-unreadable";
    public const string AgentStale = "agent-stale";
    public const string ControllerFailing = "controller-failing";
    public const string ControllerFlapping = "controller-flapping";
    public const string HealthUnreadable = "health-unreadable";
    public const string EndpointUnreachable = "endpoint-unreachable";
    public const string HostUnreachable = "host-unreachable";
    public const string NodeUnreachable = "node-unreachable";
    public const string ProbeFailing = "probe-failing";
    public const string RttDegraded = "rtt-degraded";
    public const string MapPressure = "map-pressure";
    public const string Drift = "drift";
    public const string HubbleLostEvents = "hubble-lost-events";
    public const string RelayDown = "relay-down";
    public const string RelayNodeUnavailable = "relay-node-unavailable";
    public const string SourceDown = "source-down";
    public const string WorkloadNotReady = "workload-not-ready";
    public const string WorkloadNotAvailable = "workload-not-available";
    public const string WorkloadRollout = "workload-rollout";
    public const string ExecDisabled = "exec-disabled";
    public const string MapForecastFull = "map-forecast-full";
    public const string HistoryNotRecording = "history-not-recording";
}

/// <summary>Kinds the pages mark together (one list each, so every page and embed picks the same findings).</summary>
public static class FindingKindGroups
{
    /// <summary>What peers report about a node as a whole (the node the others cannot reach).</summary>
    public static readonly string[] Reachability = [FindingKinds.NodeUnreachable, FindingKinds.EndpointUnreachable, FindingKinds.HostUnreachable];

    /// <summary>Everything cilium-health tells: the connectivity page and the health card mark these.</summary>
    public static readonly string[] Connectivity = [FindingKinds.NodeUnreachable, FindingKinds.EndpointUnreachable, FindingKinds.HostUnreachable, FindingKinds.ProbeFailing, FindingKinds.RttDegraded, FindingKinds.HealthUnreadable];

    /// <summary>What limits the flows the dashboard sees: the flow pages mark these.</summary>
    public static readonly string[] Flows = [FindingKinds.RelayDown, FindingKinds.RelayNodeUnavailable, FindingKinds.HubbleLostEvents];
}
