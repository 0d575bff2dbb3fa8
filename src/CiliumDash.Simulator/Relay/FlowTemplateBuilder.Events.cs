using CiliumDash.Protocols.Hubble;
using CiliumDash.Simulator.Cluster;

namespace CiliumDash.Simulator.Relay;

/// <summary>The per-event half of the builder: turns one conversation into the events each node records.</summary>
internal sealed partial class FlowTemplateBuilder
{
    /// <summary>One side of a conversation. <paramref name="Node"/> is set when Cilium on that node sees it as a local endpoint.</summary>
    private sealed record Peer(Endpoint Endpoint, string Ip, string? Node, Service? Service, string[] Names, string Host, string Interface);

    private sealed record HttpCall(string Method, string Path);

    private static HttpCall Http(string method, string path) => new(method, path);

    private static readonly (bool Syn, bool Ack, bool Psh, bool Fin, bool Reply, int Weight)[] TcpPhases =
    [
        (true, false, false, false, false, 1),
        (true, true, false, false, true, 1),
        (false, true, true, false, false, 2),
        (false, true, true, false, true, 2),
        (false, true, false, false, false, 1),
        (false, true, false, true, false, 1),
    ];

    private void Edges(List<SimPod> from, List<SimPod> to, uint port, int weight, HttpCall? http,
        string? policy = null, bool audit = false, DropReason drop = DropReason.Unknown)
    {
        foreach (var s in from)
        {
            foreach (var d in to)
            {
                Tcp(PodPeer(s), PodPeer(d), port, weight, http, policy, audit, drop);
            }
        }
    }

    private void Tcp(Peer src, Peer dst, uint port, int weight, HttpCall? http, string? policy = null, bool audit = false,
        DropReason drop = DropReason.Unknown, bool noService = false, bool translate = false)
    {
        var service = noService ? null : dst.Service;
        if (drop != DropReason.Unknown)
        {
            // Drops of the SYN (and its retransmits): at the destination for policy, at the source for routing.
            var node = drop == DropReason.StaleOrUnroutableIp ? src.Node : dst.Node ?? src.Node;
            var f = Base(src, dst, service, node!, reply: false, Tcp(port, EphemeralSide.Source, syn: true), "TCP Flags: SYN");
            f.Verdict = Verdict.Dropped;
            f.DropReasonDesc = drop;
            f.DropReason = (uint)drop;
            f.EventType = new CiliumEventType { Type = DropEvent, SubType = (int)drop };
            f.TrafficDirection = node == dst.Node ? TrafficDirection.Ingress : TrafficDirection.Egress;
            Add(f, EphemeralSide.Source, weight * 2);
            return;
        }

        if (dst.Node is { } dstNode && (policy is not null || audit || http is not null))
        {
            var f = Base(src, dst, service, dstNode, reply: false, Tcp(port, EphemeralSide.Source, syn: true), "TCP Flags: SYN");
            f.EventType = new CiliumEventType { Type = PolicyVerdictEvent };
            f.Verdict = audit ? Verdict.Audit : http is not null ? Verdict.Redirected : Verdict.Forwarded;
            f.PolicyMatchType = 2;   // L3-L4 match
            f.TrafficDirection = TrafficDirection.Ingress;
            if (policy is not null)
            {
                f.IngressAllowedBy.Add(new Policy
                {
                    Name = policy, Namespace = dst.Endpoint.Namespace, Kind = "CiliumNetworkPolicy", Revision = 3,
                    Labels = { $"k8s:io.cilium.k8s.policy.name={policy}", $"k8s:io.cilium.k8s.policy.namespace={dst.Endpoint.Namespace}" },
                });
            }

            Add(f, EphemeralSide.Source, weight);
        }

        if (translate && src.Node is { } sockNode)
        {
            var f = Base(src, dst, service, sockNode, reply: false, Tcp(port, EphemeralSide.Source), $"{src.Ip} -> {dst.Ip}:{port} post-xlate-fwd");
            f.Type = FlowType.Sock;
            f.Verdict = Verdict.Translated;
            f.EventType = new CiliumEventType { Type = TraceSockEvent };
            f.SockXlatePoint = SocketTranslationPoint.SockXlatePointPostDirectionFwd;
            Add(f, EphemeralSide.Source, weight);
        }

        foreach (var (syn, ack, psh, fin, reply, phaseWeight) in TcpPhases)
        {
            var flags = FlagsText(syn, ack, psh, fin);
            var side = reply ? EphemeralSide.Destination : EphemeralSide.Source;
            var (from, to) = reply ? (dst, src) : (src, dst);
            var l4 = Tcp(port, side, syn, ack, psh, fin);
            Trace(from, to, reply ? null : service, reply, l4, $"TCP Flags: {flags}", side, weight * phaseWeight);
        }

        if (http is not null && dst.Node is { } proxyNode)
        {
            var url = $"http://{dst.Host}{http.Path}";
            var request = Base(src, dst, service, proxyNode, reply: false, Tcp(port, EphemeralSide.Source), $"HTTP/1.1 {http.Method} {url}");
            request.Type = FlowType.L7;
            request.EventType = new CiliumEventType { Type = L7Event };
            request.TrafficDirection = TrafficDirection.Ingress;
            request.L7 = new Layer7 { Type = L7FlowType.Request, Http = new HTTP { Method = http.Method, Url = url, Protocol = "HTTP/1.1" } };
            Add(request, EphemeralSide.Source, weight * 2);
            foreach (var (code, latencyMs, share) in new[] { (200u, 4, 2 * weight), (503u, 998, 1) })
            {
                var response = Base(dst, src, null, proxyNode, reply: true, Tcp(port, EphemeralSide.Destination),
                    $"HTTP/1.1 {code} {latencyMs}ms ({http.Method} {url})");
                response.Type = FlowType.L7;
                response.EventType = new CiliumEventType { Type = L7Event };
                response.TrafficDirection = TrafficDirection.Ingress;
                response.L7 = new Layer7
                {
                    Type = L7FlowType.Response, LatencyNs = (ulong)latencyMs * 1_000_000 + 123_456,
                    Http = new HTTP { Code = code, Method = http.Method, Url = url, Protocol = "HTTP/1.1" },
                };
                Add(response, EphemeralSide.Destination, share);
            }
        }
    }

    private void Dns(SimPod client, SimPod server, string query)
    {
        var src = PodPeer(client);
        var dst = PodPeer(server);
        Trace(src, dst, dst.Service, false, Udp(53, EphemeralSide.Source), "UDP", EphemeralSide.Source, 2);
        Trace(dst, src, null, true, Udp(53, EphemeralSide.Destination), "UDP", EphemeralSide.Destination, 2);
        var node = src.Node!;
        var request = Base(src, dst, dst.Service, node, reply: false, Udp(53, EphemeralSide.Source), $"DNS Query {query} A");
        request.Type = FlowType.L7;
        request.EventType = new CiliumEventType { Type = L7Event };
        request.TrafficDirection = TrafficDirection.Egress;
        request.L7 = new Layer7 { Type = L7FlowType.Request, Dns = new DNS { Query = query, ObservationSource = "proxy", Qtypes = { "A" } } };
        Add(request, EphemeralSide.Source, 2);
        var answer = ServiceIp(query);
        var response = Base(dst, src, null, node, reply: true, Udp(53, EphemeralSide.Destination),
            $"DNS Answer \"{answer}\" TTL: 30 (Proxy {query} A)");
        response.Type = FlowType.L7;
        response.EventType = new CiliumEventType { Type = L7Event };
        response.TrafficDirection = TrafficDirection.Egress;
        response.L7 = new Layer7
        {
            Type = L7FlowType.Response, LatencyNs = 412_345,
            Dns = new DNS { Query = query, Ips = { answer }, Ttl = 30, ObservationSource = "proxy", Rcode = 0, Qtypes = { "A" }, Rrtypes = { "A" } },
        };
        Add(response, EphemeralSide.Destination, 2);
    }

    private void Icmp(Peer src, Peer dst, int weight)
    {
        Trace(src, dst, null, false, new Layer4 { ICMPv4 = new ICMPv4 { Type = 8 } }, "ICMPv4 EchoRequest", EphemeralSide.None, weight);
        Trace(dst, src, null, true, new Layer4 { ICMPv4 = new ICMPv4 { Type = 0 } }, "ICMPv4 EchoReply", EphemeralSide.None, weight);
    }

    /// <summary>A forwarded trace event: leaving the sender's node (unless both ends share a node) and arriving at the receiver.</summary>
    private void Trace(Peer from, Peer to, Service? service, bool reply, Layer4 l4, string summary, EphemeralSide side, int weight)
    {
        // The connection's direction is relative to the endpoint that opened it, so replies keep it.
        if (from.Node is { } fromNode && from.Node != to.Node)
        {
            var f = Base(from, to, service, fromNode, reply, l4, summary);
            f.TraceObservationPoint = TraceObservationPoint.ToStack;
            f.EventType = new CiliumEventType { Type = TraceEvent, SubType = 3 };
            f.TrafficDirection = reply ? TrafficDirection.Ingress : TrafficDirection.Egress;
            Add(f, side, weight);
        }

        if (to.Node is { } toNode)
        {
            var f = Base(from, to, service, toNode, reply, l4, summary);
            f.TraceObservationPoint = TraceObservationPoint.ToEndpoint;
            f.EventType = new CiliumEventType { Type = TraceEvent };
            f.TrafficDirection = reply ? TrafficDirection.Egress : TrafficDirection.Ingress;
            f.Interface = new NetworkInterface { Index = (uint)(to.Endpoint.ID % 97) + 8, Name = to.Interface };
            Add(f, side, weight);
        }
    }

    private static Flow Base(Peer src, Peer dst, Service? service, string node, bool reply, Layer4 l4, string summary)
    {
        var flow = new Flow
        {
            Verdict = Verdict.Forwarded,
            IP = new IP { Source = src.Ip, Destination = dst.Ip, IpVersion = IPVersion.Ipv4 },
            L4 = l4,
            Source = src.Endpoint,
            Destination = dst.Endpoint,
            Type = FlowType.L3L4,
            NodeName = node,
            Reply = reply,
            IsReply = reply,
            DestinationService = service,
            SourceService = reply ? src.Service : null,
            Summary = summary,
        };
        flow.SourceNames.Add(src.Names);
        flow.DestinationNames.Add(dst.Names);
        return flow;
    }

    private void Add(Flow prototype, EphemeralSide side, int weight)
    {
        if (_rings.TryGetValue(prototype.NodeName, out var ring))
        {
            _templates.Add(new FlowTemplate(ring, prototype, side, Math.Max(1, weight)));
        }
    }

    private static Layer4 Tcp(uint port, EphemeralSide side, bool syn = false, bool ack = false, bool psh = false, bool fin = false)
    {
        var flags = new TCPFlags { SYN = syn, ACK = ack, PSH = psh, FIN = fin };
        var forward = side == EphemeralSide.Source;
        return new Layer4 { TCP = new TCP { SourcePort = forward ? 0 : port, DestinationPort = forward ? port : 0, Flags = flags } };
    }

    private static Layer4 Udp(uint port, EphemeralSide side)
    {
        var forward = side == EphemeralSide.Source;
        return new Layer4 { UDP = new UDP { SourcePort = forward ? 0 : port, DestinationPort = forward ? port : 0 } };
    }

    private static string FlagsText(bool syn, bool ack, bool psh, bool fin)
    {
        var parts = new List<string>(3);
        if (syn) { parts.Add("SYN"); }
        if (ack) { parts.Add("ACK"); }
        if (psh) { parts.Add("PSH"); }
        if (fin) { parts.Add("FIN"); }
        return string.Join(", ", parts);
    }
}
