namespace CiliumDash.Flows;

/// <summary>One side of a flow, as the table and filters need it.</summary>
public sealed record FlowEndpoint(string Namespace, string Pod, string Ip, uint Identity, IReadOnlyList<string> Labels, string Workload, string Service);

/// <summary>
/// A flow held in the live window: a compact row, not the decoded protobuf message. Enum values keep Hubble's
/// spelling (FORWARDED, POLICY_DENIED); numbers this build does not know show as "unknown (N)".
/// </summary>
public sealed record FlowRecord(
    DateTimeOffset Time,
    string Uuid,
    string Node,
    string Verdict,
    string? DropReason,
    FlowEndpoint Source,
    FlowEndpoint Destination,
    string Protocol,
    uint? SourcePort,
    uint? DestinationPort,
    string Type,
    string? TrafficDirection,
    bool? IsReply,
    string Summary);

/// <summary>Hubble's lost-event notices, counted per source (ring buffer, perf buffer, events queue).</summary>
public sealed record LostEventRecord(DateTimeOffset Time, string Node, string Source, ulong NumLost);

/// <summary>A relay node status event: which nodes connected, became unavailable or erred.</summary>
public sealed record NodeStatusRecord(DateTimeOffset Time, string State, IReadOnlyList<string> Nodes, string Message);

/// <summary>
/// A flow with every field Hubble sent, for the detail drawer: its Hubble JSON (one GetFlowsResponse) and the same as
/// flattened <c>path = value</c> pairs (e.g. <c>egress_allowed_by[0].name</c>).
/// </summary>
public sealed record FlowDetail(FlowRecord Record, string Json, IReadOnlyList<KeyValuePair<string, string>> Fields);
