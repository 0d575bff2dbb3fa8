namespace CiliumDash.Contract;

/// <summary>
/// <c>/api/v1/service-map</c> and the <c>serviceMap</c> hub topic: the nodes and links of one map view.
/// <c>autoGrouped</c> says the map collapsed the namespaces listed in <c>collapsedNamespaces</c> (add them as
/// <c>expand=</c> to open one); <c>namespaces</c> are all the namespaces the caller may pick from.
/// </summary>
public sealed record ServiceMapDto(
    IReadOnlyList<ServiceMapNodeDto> Nodes,
    IReadOnlyList<ServiceMapEdgeDto> Edges,
    string GroupBy,
    string Query,
    bool AutoGrouped,
    IReadOnlyList<string> CollapsedNamespaces,
    IReadOnlyList<string> Namespaces,
    ServiceMapCoverageDto Coverage);

/// <param name="Kind"><c>workload</c>, <c>reserved</c>, <c>external</c>, <c>namespace</c>, <c>label</c> or <c>unknown</c>.</param>
/// <param name="Filter">the hubble filter flags of the node without from-/to- (e.g. <c>namespace=app&amp;workload=api</c>).</param>
public sealed record ServiceMapNodeDto(
    string Id,
    string Kind,
    string Namespace,
    string Name,
    IReadOnlyDictionary<string, string> Labels,
    long Flows,
    long Dropped,
    int Members,
    string Filter);

/// <param name="State"><c>forwarded</c>, <c>audit</c>, <c>dropped</c> or <c>denied</c> (a policy dropped some).</param>
/// <param name="FlowsQuery">the <c>/api/v1/flows</c> and <c>/flows</c> filter of the pair.</param>
public sealed record ServiceMapEdgeDto(
    string Id,
    string Source,
    string Target,
    long Flows,
    IReadOnlyDictionary<string, long> Verdicts,
    IReadOnlyDictionary<string, long> DropReasons,
    long Denied,
    IReadOnlyList<ServiceMapPortDto> Ports,
    ServiceMapL7Dto L7,
    IReadOnlyList<ServiceMapPolicyDto> Policies,
    string State,
    string FlowsQuery,
    string HubbleCommand,
    DateTimeOffset? LastSeen);

public sealed record ServiceMapPortDto(string Protocol, int Port, long Flows);

/// <summary>HTTP responses by status class (<c>2xx</c>..., <c>request</c> = no response seen) and DNS by rcode (<c>query</c> = questions).</summary>
public sealed record ServiceMapL7Dto(IReadOnlyDictionary<string, long> Http, IReadOnlyDictionary<string, long> Dns);

/// <param name="Direction"><c>egress</c> or <c>ingress</c>.</param>
/// <param name="Verdict"><c>allowed</c> or <c>denied</c>.</param>
public sealed record ServiceMapPolicyDto(string Name, string Namespace, string Kind, string Direction, string Verdict, long Flows);

/// <param name="Source"><c>window</c> (the live window) or <c>window+history</c>.</param>
public sealed record ServiceMapCoverageDto(string Source, long Flows, DateTimeOffset? Oldest, DateTimeOffset? Newest, string? Note);
