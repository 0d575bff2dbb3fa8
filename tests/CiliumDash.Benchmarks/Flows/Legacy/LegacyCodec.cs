using CiliumDash.Protocols.Hubble;
using Endpoint = CiliumDash.Protocols.Hubble.Endpoint;
using Google.Protobuf.WellKnownTypes;

namespace CiliumDash.Benchmarks.Flows.Legacy;

/// <summary>
/// Turns a decoded <see cref="Flow"/> into a compact <see cref="LegacyRow"/> and back. Encoding takes the message apart
/// (it must not be used afterwards); decoding builds a new message whose shared parts must not be mutated.
/// Not thread-safe: the store encodes under its writer lock.
/// </summary>
internal sealed class LegacyCodec
{
    // Bounds: a cluster has at most a few thousand endpoints and policies in view; a bigger churn only costs re-sharing.
    private readonly LegacyPool<string> _strings = new(32_768, StringComparer.Ordinal);
    private readonly LegacyPool<Endpoint> _endpoints = new(16_384, LegacyComparers.Endpoint);
    private readonly LegacyPool<IP> _ips = new(65_536);
    private readonly LegacyPool<Layer4> _otherL4 = new(1_024);
    private readonly LegacyPool<Flow> _rests = new(16_384, LegacyComparers.Rest);

    public LegacyRow Encode(Flow flow, string envelopeNode, Timestamp? envelopeTime)
    {
        var time = flow.Time ?? envelopeTime;
        var row = new LegacyRow
        {
            TimeNanos = time is null ? 0 : (time.Seconds * 1_000_000_000) + time.Nanos,
            Node = _strings.Intern(flow.NodeName.Length > 0 ? flow.NodeName : envelopeNode),
            Source = flow.Source is null ? null : _endpoints.Intern(flow.Source),
            Destination = flow.Destination is null ? null : _endpoints.Intern(flow.Destination),
            Ip = flow.IP is null ? null : _ips.Intern(flow.IP),
            L7 = flow.L7,
            // L7 summaries carry URLs and answers, nearly all distinct: sharing them would only churn the pool.
            Summary = flow.L7 is null ? _strings.Intern(flow.Summary) : flow.Summary,
        };
        if (Guid.TryParse(flow.Uuid, out var uuid))
        {
            row.Uuid = uuid;
        }
        else
        {
            row.UuidText = flow.Uuid;
        }

        EncodeL4(flow.L4, ref row);
        flow.Time = null;
        flow.Uuid = "";
        flow.NodeName = "";
        flow.Source = null;
        flow.Destination = null;
        flow.IP = null;
        flow.L4 = null;
        flow.L7 = null;
        flow.Summary = "";
        row.Rest = _rests.Intern(flow);
        return row;
    }

    /// <summary>The whole flow again (for export and the detail drawer).</summary>
    public static Flow Decode(in LegacyRow row)
    {
        var flow = row.Rest.Clone();
        Fill(flow, row, withUuid: true);
        flow.Time = Timestamp(row.TimeNanos);
        flow.L4 = DecodeL4(row, null);
        return flow;
    }

    public static Timestamp? Timestamp(long nanos) =>
        nanos == 0 ? null : new Timestamp { Seconds = Math.DivRem(nanos, 1_000_000_000, out var rest), Nanos = (int)rest };

    public static DateTimeOffset Time(long nanos) =>
        nanos == 0 ? DateTimeOffset.MinValue : DateTimeOffset.UnixEpoch.AddTicks(nanos / 100);

    /// <summary>Sets the row's own fields on a message that already carries <see cref="LegacyRow.Rest"/>'s.</summary>
    internal static void Fill(Flow flow, in LegacyRow row, bool withUuid)
    {
        flow.Uuid = withUuid ? row.UuidString : "";
        flow.NodeName = row.Node;
        flow.Source = row.Source;
        flow.Destination = row.Destination;
        flow.IP = row.Ip;
        flow.L7 = row.L7;
        flow.Summary = row.Summary;
    }

    /// <summary>The row's L4 as a message; <paramref name="reuse"/> (TCP, UDP, SCTP slots) avoids allocating when matching.</summary>
    internal static Layer4? DecodeL4(in LegacyRow row, Layer4[]? reuse)
    {
        switch (row.L4Case)
        {
            case Layer4.ProtocolOneofCase.TCP:
                var tcp = reuse?[0] ?? new Layer4 { TCP = new TCP { Flags = new TCPFlags() } };
                tcp.TCP.SourcePort = row.SourcePort;
                tcp.TCP.DestinationPort = row.DestinationPort;
                SetFlags(tcp.TCP, row.TcpFlags, reuse is null);
                return tcp;
            case Layer4.ProtocolOneofCase.UDP:
                var udp = reuse?[1] ?? new Layer4 { UDP = new UDP() };
                udp.UDP.SourcePort = row.SourcePort;
                udp.UDP.DestinationPort = row.DestinationPort;
                return udp;
            case Layer4.ProtocolOneofCase.SCTP:
                var sctp = reuse?[2] ?? new Layer4 { SCTP = new SCTP() };
                sctp.SCTP.SourcePort = row.SourcePort;
                sctp.SCTP.DestinationPort = row.DestinationPort;
                return sctp;
            default:
                return row.OtherL4;
        }
    }

    private void EncodeL4(Layer4? l4, ref LegacyRow row)
    {
        row.L4Case = l4?.ProtocolCase ?? Layer4.ProtocolOneofCase.None;
        switch (row.L4Case)
        {
            case Layer4.ProtocolOneofCase.TCP:
                (row.SourcePort, row.DestinationPort) = ((ushort)l4!.TCP.SourcePort, (ushort)l4.TCP.DestinationPort);
                row.TcpFlags = l4.TCP.Flags is { } f ? FlagBits(f) : (ushort)0;
                break;
            case Layer4.ProtocolOneofCase.UDP:
                (row.SourcePort, row.DestinationPort) = ((ushort)l4!.UDP.SourcePort, (ushort)l4.UDP.DestinationPort);
                break;
            case Layer4.ProtocolOneofCase.SCTP:
                (row.SourcePort, row.DestinationPort) = ((ushort)l4!.SCTP.SourcePort, (ushort)l4.SCTP.DestinationPort);
                break;
            case Layer4.ProtocolOneofCase.None:
                break;
            default:
                row.OtherL4 = _otherL4.Intern(l4!);
                break;
        }
    }

    /// <summary>Bit 15 marks "flags present", so a TCP flow without a flags message decodes without one.</summary>
    private static ushort FlagBits(TCPFlags f) => (ushort)(0x8000
        | (f.FIN ? 1 : 0) | (f.SYN ? 2 : 0) | (f.RST ? 4 : 0) | (f.PSH ? 8 : 0) | (f.ACK ? 16 : 0)
        | (f.URG ? 32 : 0) | (f.ECE ? 64 : 0) | (f.CWR ? 128 : 0) | (f.NS ? 256 : 0));

    private static void SetFlags(TCP tcp, ushort bits, bool fresh)
    {
        if (fresh && (bits & 0x8000) == 0)
        {
            tcp.Flags = null;
            return;
        }

        var f = tcp.Flags ??= new TCPFlags();
        f.FIN = (bits & 1) != 0;
        f.SYN = (bits & 2) != 0;
        f.RST = (bits & 4) != 0;
        f.PSH = (bits & 8) != 0;
        f.ACK = (bits & 16) != 0;
        f.URG = (bits & 32) != 0;
        f.ECE = (bits & 64) != 0;
        f.CWR = (bits & 128) != 0;
        f.NS = (bits & 256) != 0;
    }
}
