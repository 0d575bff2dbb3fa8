namespace CiliumDash.Flows.Window;

/// <summary>
/// One flow in the window, held as a struct in an array: what differs from flow to flow (time, UUID, ports, TCP flags,
/// enums as numbers, the L7 record) inline; endpoints, addresses and the flow's context (node, services, DNS names,
/// event type, summary) as references to values shared through the window's <see cref="InternTable{TKey, TValue}"/>s.
/// Every filter of the query language reads a field here. What the row and the shared values do not hold stays as
/// protobuf bytes (the flow's own in <see cref="Segment"/>, the shared parts once per value) for export and the drawer.
/// </summary>
internal struct FlowRow
{
    public long TimeNanos;
    public Guid Uuid;

    /// <summary>A UUID that is not a GUID in its canonical lower-case form is kept as it came ("" = none).</summary>
    public string? UuidText;
    public EndpointInfo? Source;
    public EndpointInfo? Destination;

    /// <summary>Null when the flow has no IP message or an empty address.</summary>
    public Address? SourceIp;
    public Address? DestinationIp;
    public FlowContext Context;
    public L7Info? L7;

    /// <summary>
    /// Where the flow's own protobuf bytes are (<see cref="WireArena"/>), null when it has none (its IP and L4 are all
    /// in the row and it has no L7 record); read them under the window's lock.
    /// </summary>
    public WireSegment? Segment;
    public int WireOffset;
    public int WireLength;
    public ushort SourcePort;
    public ushort DestinationPort;

    /// <summary><see cref="Protocols.Hubble.Filters.FlowFilterValues.TcpFlagBits"/>, 0 when the flow has no TCP flags message.</summary>
    public ushort TcpFlags;

    /// <summary>Enum numbers (values beyond the field's range are clamped to its maximum).</summary>
    public ushort Verdict;
    public ushort DropReason;
    public byte Type;
    public byte Direction;

    /// <summary>0 = unknown, 1 = not a reply, 2 = a reply.</summary>
    public byte Reply;

    /// <summary>The L4 oneof case (TCP, UDP, ICMPv4...), as a number.</summary>
    public byte L4;
    public byte IpVersion;

    /// <summary>Which of the IP and L4 messages export rebuilds from this row instead of from the bytes (codec's bits).</summary>
    public byte Rebuilt;

    public readonly string UuidString => UuidText ?? Uuid.ToString();

    /// <summary>A copy of the row's protobuf bytes; only valid while the window's lock is held (segments are reused).</summary>
    public readonly byte[] CopyWire() => Segment is null ? [] : Segment.Bytes.AsSpan(WireOffset, WireLength).ToArray();

    public readonly bool? IsReply => Reply == 0 ? null : Reply == 2;

    public readonly bool IsDrop => Verdict == (ushort)Protocols.Hubble.Verdict.Dropped;

    public readonly Protocols.Hubble.Layer4.ProtocolOneofCase L4Case => (Protocols.Hubble.Layer4.ProtocolOneofCase)L4;

    public readonly Protocols.Hubble.Layer7.RecordOneofCase L7Case => L7?.Kind ?? Protocols.Hubble.Layer7.RecordOneofCase.None;
}

/// <summary>
/// A flow of the window as the hub's subscriptions match it (<see cref="Push.FlowFilter.Matches(WindowFlow)"/>): a copy
/// of its row, self-contained (it holds its shared values, not indexes into the window).
/// </summary>
public readonly struct WindowFlow
{
    internal WindowFlow(in FlowRow row) => Row = row;

    internal FlowRow Row { get; }
}
