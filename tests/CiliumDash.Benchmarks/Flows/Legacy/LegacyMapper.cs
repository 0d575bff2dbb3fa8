using CiliumDash.Flows;
using CiliumDash.Protocols.Hubble;
using CiliumDash.Protocols.Hubble.ObserverApi;
using Google.Protobuf.WellKnownTypes;

namespace CiliumDash.Benchmarks.Flows.Legacy;

/// <summary>The mapper of the window before rows were mapped at ingest (protobuf flow to record), kept as a benchmark baseline.</summary>
internal static class LegacyMapper
{
    /// <summary>IANA's descriptions of the common DNS rcodes, as Hubble prints them ("RCode: Non-Existent Domain").</summary>
    private static readonly Dictionary<uint, string> RcodeNames = new()
    {
        [1] = "Format Error",
        [2] = "Server Failure",
        [3] = "Non-Existent Domain",
        [4] = "Not Implemented",
        [5] = "Query Refused",
    };

    public static FlowRecord Map(Flow flow, string envelopeNode, Timestamp? envelopeTime)
    {
        ArgumentNullException.ThrowIfNull(flow);
        var time = flow.Time ?? envelopeTime;
        return Map(flow, envelopeNode, time is null ? DateTimeOffset.MinValue : time.ToDateTimeOffset());
    }

    public static FlowRecord Map(Flow flow, string envelopeNode, DateTimeOffset time)
    {
        ArgumentNullException.ThrowIfNull(flow);
        var (protocol, sport, dport) = L4(flow.L4);
        return new FlowRecord(
            Time: time,
            Uuid: flow.Uuid,
            Node: flow.NodeName.Length > 0 ? flow.NodeName : envelopeNode,
            Verdict: FlowMapper.Name(flow.Verdict),
            DropReason: flow.Verdict == Verdict.Dropped || flow.DropReasonDesc != DropReason.Unknown ? FlowMapper.Name(flow.DropReasonDesc) : null,
            Source: Endpoint(flow.Source, flow.IP?.Source, flow.SourceService),
            Destination: Endpoint(flow.Destination, flow.IP?.Destination, flow.DestinationService),
            Protocol: flow.L7 is { } l7 ? L7Protocol(l7, protocol) : protocol,
            SourcePort: sport,
            DestinationPort: dport,
            Type: FlowMapper.Name(flow.Type),
            TrafficDirection: flow.TrafficDirection == TrafficDirection.Unknown ? null : FlowMapper.Name(flow.TrafficDirection),
            IsReply: flow.IsReply,
            Summary: Summary(flow));
    }

    private static FlowEndpoint Endpoint(CiliumDash.Protocols.Hubble.Endpoint? ep, string? ip, Service? service) => new(
        ep?.Namespace ?? "",
        ep?.PodName ?? "",
        ip ?? "",
        ep?.Identity ?? 0,
        ep is null || ep.Labels.Count == 0 ? [] : ep.Labels.ToArray(),
        ep?.Workloads.FirstOrDefault()?.Name ?? "",
        service is null || service.Name.Length == 0 ? "" : $"{service.Namespace}/{service.Name}");

    private static (string Protocol, uint? Source, uint? Destination) L4(Layer4? l4) => l4?.ProtocolCase switch
    {
        Layer4.ProtocolOneofCase.TCP => ("TCP", l4.TCP.SourcePort, l4.TCP.DestinationPort),
        Layer4.ProtocolOneofCase.UDP => ("UDP", l4.UDP.SourcePort, l4.UDP.DestinationPort),
        Layer4.ProtocolOneofCase.SCTP => ("SCTP", l4.SCTP.SourcePort, l4.SCTP.DestinationPort),
        Layer4.ProtocolOneofCase.ICMPv4 => ("ICMPv4", null, null),
        Layer4.ProtocolOneofCase.ICMPv6 => ("ICMPv6", null, null),
        Layer4.ProtocolOneofCase.VRRP => ("VRRP", null, null),
        Layer4.ProtocolOneofCase.IGMP => ("IGMP", null, null),
        _ => ("", null, null),
    };

    private static string L7Protocol(Layer7 l7, string l4) => l7.RecordCase switch
    {
        Layer7.RecordOneofCase.Http => "HTTP",
        Layer7.RecordOneofCase.Dns => "DNS",
        Layer7.RecordOneofCase.Kafka => "Kafka",
        _ => l4,
    };

    private static string Summary(Flow flow)
    {
        if (flow.L7 is { } l7)
        {
            switch (l7.RecordCase)
            {
                case Layer7.RecordOneofCase.Http:
                    var h = l7.Http;
                    return h.Code == 0 ? $"{h.Protocol} {h.Method} {h.Url}" : $"{h.Protocol} {h.Code} {l7.LatencyNs / 1_000_000}ms ({h.Method} {h.Url})";
                case Layer7.RecordOneofCase.Dns:
                    var d = l7.Dns;
                    var types = string.Join(',', d.Qtypes);
                    if (l7.Type != L7FlowType.Response)
                    {
                        return $"DNS Query {d.Query} {types}";
                    }

                    // Hubble's wording: the rcode instead of the answer when the lookup failed; "Proxy" only for proxy observations.
                    var answer = d.Rcode == 0 ? $"\"{string.Join(',', d.Ips)}\"" : $"RCode: {RcodeNames.GetValueOrDefault(d.Rcode, d.Rcode.ToString(System.Globalization.CultureInfo.InvariantCulture))}";
                    var observed = d.ObservationSource == "proxy" ? "Proxy" : "Query";
                    return $"DNS Answer {answer} TTL: {d.Ttl} ({observed} {d.Query} {types})";
            }
        }

        return flow.Summary;
    }
}
