using CiliumDash.Protocols.Hubble;
using Endpoint = CiliumDash.Protocols.Hubble.Endpoint;

namespace CiliumDash.Benchmarks.Flows.Legacy;

/// <summary>
/// One flow in the window, held as a struct in an array: what differs from flow to flow (time, UUID, ports, TCP
/// flags, L7 record) is stored inline; everything else points at shared objects from the <see cref="LegacyCodec"/>'s
/// pools (the endpoints with their label lists, the IP pair, node and summary strings, and a <see cref="Rest"/> flow
/// carrying verdict, type, policies and the other low-variety fields). About 100 bytes per flow plus the L7 record.
/// </summary>
internal struct LegacyRow
{
    public long TimeNanos;
    public Guid Uuid;

    /// <summary>A UUID that is not a GUID (or empty) is kept as text.</summary>
    public string? UuidText;
    public string Node;
    public Endpoint? Source;
    public Endpoint? Destination;
    public IP? Ip;
    public Layer4.ProtocolOneofCase L4Case;
    public ushort SourcePort;
    public ushort DestinationPort;
    public ushort TcpFlags;

    /// <summary>ICMP, VRRP, IGMP: shared, as they vary little.</summary>
    public Layer4? OtherL4;
    public Layer7? L7;
    public string Summary;
    public Flow Rest;

    public readonly string UuidString => UuidText ?? Uuid.ToString();

    public readonly bool IsDrop => Rest.Verdict == Verdict.Dropped;
}
