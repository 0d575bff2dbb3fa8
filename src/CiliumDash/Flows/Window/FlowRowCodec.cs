using CiliumDash.Protocols.Hubble;
using CiliumDash.Protocols.Hubble.Filters;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Endpoint = CiliumDash.Protocols.Hubble.Endpoint;

namespace CiliumDash.Flows.Window;

/// <summary>
/// The edge of the window: turns a decoded Hubble <see cref="Flow"/> (redacted first) into a <see cref="FlowRow"/>, and
/// a row into the dashboard's <see cref="FlowRecord"/> or, for export and the drawer, back into the whole message.
/// Encoding takes the message apart (do not use it afterwards). Not thread-safe: the window encodes under its writer
/// lock; mapping a row back reads only immutable shared values and may run anywhere.
/// </summary>
internal sealed class FlowRowCodec(FlowRedactor redactor)
{
    /// <summary><see cref="FlowRow.Rebuilt"/>: the IP message is rebuilt from the row's addresses and version.</summary>
    private const byte RebuiltIp = 1;

    /// <summary><see cref="FlowRow.Rebuilt"/>: the L4 message is rebuilt from the row's kind, ports and TCP flags.</summary>
    private const byte RebuiltL4 = 2;

    private readonly InternTable<Endpoint, EndpointInfo> _endpoints = new(PoolComparers.Endpoint);
    private readonly InternTable<string, Address> _addresses = new(StringComparer.Ordinal);
    private readonly InternTable<Flow, FlowContext> _contexts = new(PoolComparers.Context);
    private readonly SmallStrings _strings = new();
    private readonly WireArena _wire = new();

    /// <summary>Carries a flow's own fields while they are written to the arena; emptied after each flow.</summary>
    private readonly Flow _own = new();

    /// <summary>Per-slot cache sizes of the shared values, for a scan's filter cache.</summary>
    public (int Endpoints, int Addresses, int Contexts) SlotCounts => (_endpoints.SlotCount, _addresses.SlotCount, _contexts.SlotCount);

    /// <summary>Distinct shared values held by rows now (diagnostics and benchmarks).</summary>
    public (int Endpoints, int Addresses, int Contexts) Held => (_endpoints.Count, _addresses.Count, _contexts.Count);

    public FlowRow Encode(Flow flow, string envelopeNode, Timestamp? envelopeTime)
    {
        redactor.Redact(flow);
        var time = flow.Time ?? envelopeTime;
        var row = new FlowRow
        {
            TimeNanos = time is null ? 0 : (time.Seconds * 1_000_000_000) + time.Nanos,
            Source = flow.Source is { } s ? _endpoints.Hold(s, NewEndpoint) : null,
            Destination = flow.Destination is { } d ? _endpoints.Hold(d, NewEndpoint) : null,
            SourceIp = HoldAddress(flow.IP?.Source),
            DestinationIp = HoldAddress(flow.IP?.Destination),
            L7 = flow.L7 is { } l7 ? NewL7(l7, flow.Summary) : null,
            Verdict = Clamp16((int)flow.Verdict),
            DropReason = Clamp16((int)flow.DropReasonDesc),
            Type = Clamp8((int)flow.Type),
            Direction = Clamp8((int)flow.TrafficDirection),
            Reply = flow.IsReply is { } reply ? (byte)(reply ? 2 : 1) : (byte)0,
            IpVersion = Clamp8((int)(flow.IP?.IpVersion ?? IPVersion.IpNotUsed)),
        };

        // Hubble's UUIDs are canonical (lower-case, dashed) GUIDs; anything else is kept as it came.
        if (Guid.TryParseExact(flow.Uuid, "D", out var uuid) && !flow.Uuid.AsSpan().ContainsAnyInRange('A', 'F'))
        {
            row.Uuid = uuid;
        }
        else
        {
            row.UuidText = flow.Uuid;
        }

        EncodeL4(flow.L4, ref row);

        // The flow is split three ways. Its own bytes: the L7 record with its summary, and IP and L4 unless the row
        // already says all they hold (the common case: addresses, version, ports, TCP flags). The endpoints: shared,
        // kept once each. The rest (verdict, services, policies, event type, node, an L3/L4 summary...): few distinct
        // values in a cluster, shared as the row's context.
        var own = _own;
        if (flow.IP is { SourceXlated.Length: 0, Encrypted: false, IpVersion: >= 0 and <= (IPVersion)byte.MaxValue })
        {
            row.Rebuilt |= RebuiltIp;
        }
        else
        {
            own.IP = flow.IP;
        }

        if (flow.L4 is { } l4 && RowHoldsL4(l4))
        {
            row.Rebuilt |= RebuiltL4;
        }
        else
        {
            own.L4 = flow.L4;
        }

        (own.L7, own.Summary) = (flow.L7, flow.L7 is null ? "" : flow.Summary);
        flow.NodeName = flow.NodeName.Length > 0 ? flow.NodeName : envelopeNode;
        (flow.Time, flow.Uuid, flow.Source, flow.Destination, flow.IP, flow.L4, flow.L7) = (null, "", null, null, null, null, null);
        if (own.L7 is not null)
        {
            flow.Summary = "";
        }

        row.Context = _contexts.Hold(flow, NewContext);
        var length = own.CalculateSize();
        if (length > 0)
        {
            row.Segment = _wire.Append(length, out row.WireOffset, out var room);
            row.WireLength = length;
            own.WriteTo(room);
        }

        (own.IP, own.L4, own.L7, own.Summary) = (null, null, null, "");

        return row;
    }

    /// <summary>The row leaves the window: its shared values are held by one row less.</summary>
    public void Release(in FlowRow row)
    {
        _endpoints.Release(row.Source);
        _endpoints.Release(row.Destination);
        _addresses.Release(row.SourceIp);
        _addresses.Release(row.DestinationIp);
        _contexts.Release(row.Context);
        if (row.Segment is { } segment)
        {
            _wire.Release(segment);
        }
    }

    /// <summary>
    /// The whole flow again, every field Hubble sent (after redaction), with the node and time the row shows, from the
    /// row and a copy of its bytes (<see cref="FlowRow.CopyWire"/>).
    /// </summary>
    public static Flow ToFlow(in FlowRow row, byte[] wire)
    {
        var flow = Flow.Parser.ParseFrom(row.Context.Wire);
        flow.MergeFrom(wire);
        if ((row.Rebuilt & RebuiltIp) != 0)
        {
            flow.IP = new IP { Source = row.SourceIp?.Text ?? "", Destination = row.DestinationIp?.Text ?? "", IpVersion = (IPVersion)row.IpVersion };
        }

        if ((row.Rebuilt & RebuiltL4) != 0)
        {
            flow.L4 = RebuildL4(row);
        }

        flow.Source = row.Source is { } s ? Endpoint.Parser.ParseFrom(s.Wire) : null;
        flow.Destination = row.Destination is { } d ? Endpoint.Parser.ParseFrom(d.Wire) : null;
        flow.Uuid = row.UuidString;
        flow.Time = Timestamp(row.TimeNanos);
        return flow;
    }

    /// <summary>The dashboard's record of the row. Enum values keep Hubble's spelling; unknown numbers show as "unknown (N)".</summary>
    public static FlowRecord ToRecord(in FlowRow row)
    {
        var c = row.Context;
        var (protocol, ports) = L4Name(row.L4Case);
        return new FlowRecord(
            Time: Time(row.TimeNanos),
            Uuid: row.UuidString,
            Node: c.Node,
            Verdict: FlowMapper.Name((Verdict)row.Verdict),
            DropReason: row.IsDrop || row.DropReason != 0 ? FlowMapper.Name((DropReason)row.DropReason) : null,
            Source: Side(row.Source, row.SourceIp, c.SourceService),
            Destination: Side(row.Destination, row.DestinationIp, c.DestinationService),
            Protocol: row.L7Case switch
            {
                Layer7.RecordOneofCase.Http => "HTTP",
                Layer7.RecordOneofCase.Dns => "DNS",
                Layer7.RecordOneofCase.Kafka => "Kafka",
                _ => protocol,
            },
            SourcePort: ports ? row.SourcePort : null,
            DestinationPort: ports ? row.DestinationPort : null,
            Type: FlowMapper.Name((FlowType)row.Type),
            TrafficDirection: row.Direction == 0 ? null : FlowMapper.Name((TrafficDirection)row.Direction),
            IsReply: row.IsReply,
            Summary: row.L7 is { } l7 ? FlowMapper.Summary(l7) : c.Summary);
    }

    public static Timestamp? Timestamp(long nanos) =>
        nanos == 0 ? null : new Timestamp { Seconds = Math.DivRem(nanos, 1_000_000_000, out var rest), Nanos = (int)rest };

    public static DateTimeOffset Time(long nanos) =>
        nanos == 0 ? DateTimeOffset.MinValue : DateTimeOffset.UnixEpoch.AddTicks(nanos / 100);

    /// <summary>The protocol name of an L4 case and whether it has ports.</summary>
    public static (string Name, bool Ports) L4Name(Layer4.ProtocolOneofCase l4) => l4 switch
    {
        Layer4.ProtocolOneofCase.TCP => ("TCP", true),
        Layer4.ProtocolOneofCase.UDP => ("UDP", true),
        Layer4.ProtocolOneofCase.SCTP => ("SCTP", true),
        Layer4.ProtocolOneofCase.ICMPv4 => ("ICMPv4", false),
        Layer4.ProtocolOneofCase.ICMPv6 => ("ICMPv6", false),
        Layer4.ProtocolOneofCase.VRRP => ("VRRP", false),
        Layer4.ProtocolOneofCase.IGMP => ("IGMP", false),
        _ => ("", false),
    };

    private static FlowEndpoint Side(EndpointInfo? e, Address? ip, string service) => new(
        e?.Namespace ?? "",
        e?.PodName ?? "",
        ip?.Text ?? "",
        e?.Identity ?? 0,
        e?.Labels ?? [],
        e?.Workload ?? "",
        service);

    private static ushort Clamp16(int value) => (ushort)Math.Clamp(value, 0, ushort.MaxValue);

    private static byte Clamp8(int value) => (byte)Math.Clamp(value, 0, byte.MaxValue);

    private Address? HoldAddress(string? text) =>
        string.IsNullOrEmpty(text) ? null : _addresses.Hold(text, static t => new Address { Text = t });

    private static EndpointInfo NewEndpoint(Endpoint e) => new()
    {
        Identity = e.Identity,
        EndpointId = e.ID,
        ClusterName = e.ClusterName,
        Namespace = e.Namespace,
        PodName = e.PodName,
        Labels = e.Labels.Count == 0 ? [] : [.. e.Labels],
        Workloads = e.Workloads.Count == 0 ? [] : e.Workloads.Select(w => new WorkloadName(w.Kind, w.Name)).ToArray(),
        ReservedLabel = e.Labels.FirstOrDefault(l => l.StartsWith("reserved:", StringComparison.Ordinal)),
        Wire = e.ToByteArray(),
    };

    /// <summary>The context of a flow whose own fields, endpoints and time were taken out (the rest of the message).</summary>
    private static FlowContext NewContext(Flow rest) => new()
    {
        Node = rest.NodeName,
        HasSourceService = rest.SourceService is not null,
        SourceServiceNamespace = rest.SourceService?.Namespace ?? "",
        SourceServiceName = rest.SourceService?.Name ?? "",
        HasDestinationService = rest.DestinationService is not null,
        DestinationServiceNamespace = rest.DestinationService?.Namespace ?? "",
        DestinationServiceName = rest.DestinationService?.Name ?? "",
        SourceNames = [.. rest.SourceNames],
        DestinationNames = [.. rest.DestinationNames],
        HasEventType = rest.EventType is not null,
        EventType = rest.EventType?.Type ?? 0,
        EventSubType = rest.EventType?.SubType ?? 0,
        Summary = rest.Summary,
        Policies = Policies(rest),
        Wire = rest.ToByteArray(),
    };

    private static PolicyRef[] Policies(Flow rest)
    {
        if (rest.EgressAllowedBy.Count + rest.IngressAllowedBy.Count + rest.EgressDeniedBy.Count + rest.IngressDeniedBy.Count == 0)
        {
            return [];
        }

        static IEnumerable<PolicyRef> Of(IEnumerable<Policy> list, bool egress, bool denied) =>
            list.Select(p => new PolicyRef(p.Name, p.Namespace, p.Kind, egress, denied));
        return [.. Of(rest.EgressAllowedBy, true, false), .. Of(rest.IngressAllowedBy, false, false), .. Of(rest.EgressDeniedBy, true, true), .. Of(rest.IngressDeniedBy, false, true)];
    }

    private L7Info NewL7(Layer7 l7, string summary) => new()
    {
        Kind = l7.RecordCase,
        Type = l7.Type,
        LatencyNs = l7.LatencyNs,
        HttpCode = l7.Http?.Code ?? 0,
        HttpMethod = _strings.Share(l7.Http?.Method ?? ""),
        HttpUrl = l7.Http?.Url ?? "",
        HttpProtocol = _strings.Share(l7.Http?.Protocol ?? ""),
        DnsQuery = l7.Dns?.Query ?? "",
        DnsQtypes = l7.Dns is { Qtypes.Count: > 0 } q ? q.Qtypes.Select(_strings.Share).ToArray() : [],
        DnsIps = l7.Dns is { Ips.Count: > 0 } ips ? [.. ips.Ips] : [],
        DnsRcode = l7.Dns?.Rcode ?? 0,
        DnsTtl = l7.Dns?.Ttl ?? 0,
        DnsObservationSource = _strings.Share(l7.Dns?.ObservationSource ?? ""),
        Summary = l7.RecordCase is Layer7.RecordOneofCase.Http or Layer7.RecordOneofCase.Dns ? "" : summary,
    };

    /// <summary>Whether the row's L4 fields (kind, ports, TCP flags) are all the message holds.</summary>
    private static bool RowHoldsL4(Layer4 l4) => l4.ProtocolCase switch
    {
        Layer4.ProtocolOneofCase.TCP => l4.TCP.SourcePort <= ushort.MaxValue && l4.TCP.DestinationPort <= ushort.MaxValue,
        Layer4.ProtocolOneofCase.UDP => l4.UDP.SourcePort <= ushort.MaxValue && l4.UDP.DestinationPort <= ushort.MaxValue,
        Layer4.ProtocolOneofCase.SCTP => l4.SCTP.SourcePort <= ushort.MaxValue && l4.SCTP.DestinationPort <= ushort.MaxValue,
        _ => false,
    };

    private static Layer4 RebuildL4(in FlowRow row)
    {
        switch (row.L4Case)
        {
            case Layer4.ProtocolOneofCase.TCP:
                var tcp = new TCP { SourcePort = row.SourcePort, DestinationPort = row.DestinationPort };
                var bits = row.TcpFlags;
                if ((bits & FlowFilterValues.TcpFlagsPresent) != 0)
                {
                    tcp.Flags = new TCPFlags
                    {
                        FIN = (bits & 1) != 0, SYN = (bits & 2) != 0, RST = (bits & 4) != 0, PSH = (bits & 8) != 0, ACK = (bits & 16) != 0,
                        URG = (bits & 32) != 0, ECE = (bits & 64) != 0, CWR = (bits & 128) != 0, NS = (bits & 256) != 0,
                    };
                }

                return new Layer4 { TCP = tcp };
            case Layer4.ProtocolOneofCase.UDP:
                return new Layer4 { UDP = new UDP { SourcePort = row.SourcePort, DestinationPort = row.DestinationPort } };
            default:
                return new Layer4 { SCTP = new SCTP { SourcePort = row.SourcePort, DestinationPort = row.DestinationPort } };
        }
    }

    private static void EncodeL4(Layer4? l4, ref FlowRow row)
    {
        var kind = l4?.ProtocolCase ?? Layer4.ProtocolOneofCase.None;
        row.L4 = Clamp8((int)kind);
        switch (kind)
        {
            case Layer4.ProtocolOneofCase.TCP:
                (row.SourcePort, row.DestinationPort) = ((ushort)l4!.TCP.SourcePort, (ushort)l4.TCP.DestinationPort);
                row.TcpFlags = l4.TCP.Flags is { } f ? FlowFilterValues.TcpFlagBits(f) : (ushort)0;
                break;
            case Layer4.ProtocolOneofCase.UDP:
                (row.SourcePort, row.DestinationPort) = ((ushort)l4!.UDP.SourcePort, (ushort)l4.UDP.DestinationPort);
                break;
            case Layer4.ProtocolOneofCase.SCTP:
                (row.SourcePort, row.DestinationPort) = ((ushort)l4!.SCTP.SourcePort, (ushort)l4.SCTP.DestinationPort);
                break;
        }
    }

    /// <summary>Low-variety strings of L7 records (methods, protocols, query types), shared; starts over when full.</summary>
    private sealed class SmallStrings
    {
        private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

        public string Share(string value)
        {
            if (value.Length == 0)
            {
                return "";
            }

            if (_values.TryGetValue(value, out var shared))
            {
                return shared;
            }

            if (_values.Count >= 4096)
            {
                _values.Clear();
            }

            _values.Add(value, value);
            return value;
        }
    }
}
