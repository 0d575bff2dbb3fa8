using System.Text.Json.Serialization;

namespace CiliumDash.Contract;

/// <summary>
/// <c>GET /api/v1/flows</c> (JSON) and the hub's <c>flows</c> pushes: rows newest first; <c>total</c> counts every
/// match (in a hub push: the matches since the previous push). <c>query</c> is the canonical filter and
/// <c>hubble</c> the equivalent command line.
/// </summary>
public sealed record FlowListDto(int Total, int Returned, string Query, string Hubble, IReadOnlyList<FlowRowDto> Flows)
{
    /// <summary>Hub pushes only: the server's clock when the push left its mailbox (absent in REST bodies).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? SentAt { get; init; }
}

/// <summary>One flow. Values keep Hubble's spelling (FORWARDED, POLICY_DENIED).</summary>
public sealed record FlowRowDto(
    DateTimeOffset Time,
    string Uuid,
    string Node,
    string Verdict,
    string? DropReason,
    FlowEndpointDto Source,
    FlowEndpointDto Destination,
    FlowL4Dto L4,
    string Type,
    string? TrafficDirection,
    bool? IsReply,
    string Summary);

public sealed record FlowEndpointDto(string Namespace, string Pod, string Ip, IReadOnlyList<string> Labels, uint Identity, string Workload, string Service);

public sealed record FlowL4Dto(string Protocol, uint? SourcePort, uint? DestinationPort);

/// <summary>
/// <c>GET /api/v1/flows/summary</c>. <c>totals</c> and <c>series</c> are cluster-wide and null for a team-scoped user.
/// </summary>
public sealed record FlowSummaryDto(
    FlowWindowDto Window,
    long Received,
    long Evicted,
    long Duplicates,
    IReadOnlyDictionary<string, ulong> LostEvents,
    FlowTotalsDto? Totals,
    IReadOnlyList<CountDto> Verdicts,
    IReadOnlyList<CountDto> DropReasons,
    IReadOnlyList<NamespacePairDto> Namespaces,
    IReadOnlyList<TalkerDto> TopTalkers,
    IReadOnlyList<PolicyVerdictDto> PolicyVerdicts,
    IReadOnlyList<FlowSecondDto>? Series)
{
    /// <summary>Set while the relay stream delivers only flows already seen (a relay that replays old UUIDs); null otherwise.</summary>
    public StreamWarningDto? StreamWarning { get; init; }
}

/// <summary>Why the flow stream looks stuck although the relay is connected.</summary>
public sealed record StreamWarningDto(string Message, DateTimeOffset Since, long Duplicates);

public sealed record FlowWindowDto(int Capacity, int Count, int Matched);

public sealed record FlowTotalsDto(IReadOnlyDictionary<string, long> Verdicts, IReadOnlyDictionary<string, long> DropReasons);

public sealed record CountDto(string Name, long Count);

public sealed record NamespacePairDto(string Source, string Destination, long Flows, long Drops);

public sealed record TalkerDto(string Source, string Destination, uint? Port, string Protocol, long Flows, long Drops);

public sealed record PolicyVerdictDto(string Direction, string Verdict, long Count);

public sealed record FlowSecondDto(DateTimeOffset Time, long Flows, long Drops, IReadOnlyDictionary<string, long> Verdicts, IReadOnlyDictionary<string, long> DropReasons);

/// <summary><c>POST /api/v1/embed-links</c>: a signed link to a panel page and to its image.</summary>
public sealed record EmbedLinkDto(string Url, string SvgUrl, DateTimeOffset Expires);
