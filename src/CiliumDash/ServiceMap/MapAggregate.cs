using CiliumDash.Flows.Window;
using CiliumDash.Protocols.Hubble;

namespace CiliumDash.ServiceMap;

/// <summary>
/// Running nodes and links of a set of flows. Live: it mirrors the flow window by seeing every committed row and, once
/// it holds as many as the window, taking the oldest back out (a ring of what each row added), so an update costs a
/// few dictionary operations per flow instead of a scan of the window. For a time range it is built once from the rows
/// of that range (or, later, from stored aggregates through <see cref="Add(in MapSample)"/>). Not thread-safe: the
/// store serializes access.
/// </summary>
internal sealed class MapAggregate
{
    private readonly MapPeers _peers = new();
    private readonly Dictionary<(MapPeer, MapPeer), MapEdge> _edges = [];
    private readonly Entry[]? _ring;
    private long _added;

    /// <param name="capacity">the window's size for a live aggregate (oldest rows leave at that count); 0 = keep everything.</param>
    public MapAggregate(int capacity = 0) => _ring = capacity > 0 ? new Entry[capacity] : null;

    public int EdgeCount => _edges.Count;

    public int PeerCount => _peers.Count;

    /// <summary>Flows counted now (the window's count for a live aggregate).</summary>
    public long Flows { get; private set; }

    /// <summary>Time of the oldest flow still counted, nanoseconds since the epoch (0 = none).</summary>
    public long OldestNanos => _ring is null || _added == 0 ? _oldestNanos : _ring[(int)((_added - Math.Min(_added, _ring.Length)) % _ring.Length)].TimeNanos;

    private long _oldestNanos;

    public IEnumerable<MapEdge> Edges => _edges.Values;

    public IEnumerable<MapPeer> Peers => _peers.All;

    /// <summary>Counts a window row (and, live, takes out the row it pushes out of the window).</summary>
    public void Add(in FlowRow row)
    {
        var context = row.Context;
        var source = _peers.Resolve(row.Source, row.SourceIp, context?.SourceNames ?? []);
        var target = _peers.Resolve(row.Destination, row.DestinationIp, context?.DestinationNames ?? []);
        var reply = row.IsReply == true;

        // Replies count on the link of the connection they answer: the map shows who talks to whom, not packet direction.
        var (from, to, port) = reply ? (target, source, (int)row.SourcePort) : (source, target, (int)row.DestinationPort);
        var protocol = Protocol(row.L4Case);
        var (http, dns, isDns) = L7(row.L7);
        var sample = new MapSample(from, to, row.Verdict, row.DropReason, protocol, protocol.Length == 0 || protocol.StartsWith("ICMP", StringComparison.Ordinal) ? 0 : port,
            http, dns, isDns, context?.Policies ?? [], row.TimeNanos, 1);
        var edge = Count(sample, 1);
        var node = context?.Node ?? "";
        var (sourcePod, targetPod) = (Pod(source, row.Source, node), Pod(target, row.Destination, node));
        if (_ring is null)
        {
            _oldestNanos = _oldestNanos == 0 ? row.TimeNanos : Math.Min(_oldestNanos, row.TimeNanos);
            return;
        }

        var slot = (int)(_added % _ring.Length);
        if (_added >= _ring.Length)
        {
            Remove(_ring[slot]);
        }

        _ring[slot] = new Entry(edge, sample, sourcePod, targetPod, node);
        _added++;
    }

    /// <summary>Counts alike flows given by their peers (an aggregate fed from stored history).</summary>
    public void Add(in MapSample sample) => Count(sample, 1);

    /// <summary>A sample for a history row: peers by their parts, facts by Hubble's numbers.</summary>
    public MapSample Sample(MapPeerKey source, MapPeerKey target, int verdict, int dropReason, string protocol, int port, long timeNanos, int count) =>
        new(_peers.Resolve(source), _peers.Resolve(target), verdict, dropReason, protocol, port, -1, -2, false, [], timeNanos, count);

    private MapEdge Count(in MapSample sample, int sign)
    {
        if (!_edges.TryGetValue((sample.Source, sample.Target), out var edge))
        {
            edge = new MapEdge(sample.Source, sample.Target);
            _edges[(sample.Source, sample.Target)] = edge;
        }

        if (sign > 0)
        {
            sample.Source.References++;
            sample.Target.References++;
        }

        edge.Count(sample, sign);
        Flows += sample.Count * sign;
        return edge;
    }

    private void Remove(in Entry entry)
    {
        var sample = entry.Sample;
        var edge = entry.Edge;
        edge.Count(sample, -1);
        Flows -= sample.Count;
        entry.SourcePod?.AddPod(entry.SourcePodName!, entry.Node, -1);
        entry.TargetPod?.AddPod(entry.TargetPodName!, entry.Node, -1);
        sample.Source.References--;
        sample.Target.References--;
        if (edge.Flows <= 0)
        {
            _edges.Remove((edge.Source, edge.Target));
        }

        _peers.Forget(sample.Source);
        _peers.Forget(sample.Target);
    }

    /// <summary>
    /// The pod of a workload end and the node it runs on: Hubble gives an endpoint its agent's endpoint ID only on the
    /// node that observed the flow, so an end with an ID runs there.
    /// </summary>
    private static (MapPeer? Peer, string? Pod) Pod(MapPeer peer, EndpointInfo? endpoint, string node)
    {
        if (endpoint is not { PodName.Length: > 0 } || peer.Kind != MapNodeKinds.Workload)
        {
            return (null, null);
        }

        var on = endpoint.EndpointId != 0 ? node : "";
        peer.AddPod(endpoint.PodName, on, 1);
        return (peer, endpoint.PodName);
    }

    private static string Protocol(Layer4.ProtocolOneofCase l4) => l4 switch
    {
        Layer4.ProtocolOneofCase.TCP => "TCP",
        Layer4.ProtocolOneofCase.UDP => "UDP",
        Layer4.ProtocolOneofCase.SCTP => "SCTP",
        Layer4.ProtocolOneofCase.ICMPv4 => "ICMPv4",
        Layer4.ProtocolOneofCase.ICMPv6 => "ICMPv6",
        Layer4.ProtocolOneofCase.VRRP => "VRRP",
        Layer4.ProtocolOneofCase.IGMP => "IGMP",
        _ => "",
    };

    /// <summary>(HTTP status class or -1, DNS rcode (-1 = query) or -2, is DNS).</summary>
    private static (int Http, int Dns, bool IsDns) L7(L7Info? l7) => l7?.Kind switch
    {
        Layer7.RecordOneofCase.Http => ((int)Math.Min(l7.HttpCode / 100, 5), -2, false),
        Layer7.RecordOneofCase.Dns => (-1, l7.Type == L7FlowType.Response ? (int)l7.DnsRcode : -1, true),
        _ => (-1, -2, false),
    };

    private readonly record struct Entry(MapEdge Edge, MapSample Sample, MapPeer? SourcePod, string? SourcePodName, MapPeer? TargetPod, string? TargetPodName, string Node)
    {
        public Entry(MapEdge edge, MapSample sample, (MapPeer? Peer, string? Pod) source, (MapPeer? Peer, string? Pod) target, string node)
            : this(edge, sample, source.Peer, source.Pod, target.Peer, target.Pod, node)
        {
        }

        public long TimeNanos => Sample.TimeNanos;
    }
}
