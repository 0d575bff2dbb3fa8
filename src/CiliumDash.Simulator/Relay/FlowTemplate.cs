using CiliumDash.Protocols.Hubble;
using CiliumDash.Protocols.Hubble.ObserverApi;
using Google.Protobuf.WellKnownTypes;

namespace CiliumDash.Simulator.Relay;

/// <summary>Which port of a templated flow is the client's ephemeral port (varies per flow).</summary>
internal enum EphemeralSide
{
    None,
    Source,
    Destination,
}

/// <summary>
/// One kind of event between two endpoints as seen on one node (e.g. "SYN from cart to catalog at the destination
/// node"). The prototype is built once; every flow of this kind shares its sub-messages, and only the time, UUID and
/// ephemeral port are new. The shared sub-messages are never mutated after construction.
/// </summary>
internal sealed class FlowTemplate
{
    public FlowTemplate(int ring, Flow prototype, EphemeralSide ephemeral, int weight)
    {
        Ring = ring;
        Prototype = prototype;
        Ephemeral = ephemeral;
        Weight = weight;
        Namespaces = new[] { prototype.Source?.Namespace, prototype.Destination?.Namespace }
            .Where(ns => !string.IsNullOrEmpty(ns)).OfType<string>().Distinct().ToArray();
    }

    public int Ring { get; }

    public Flow Prototype { get; }

    public EphemeralSide Ephemeral { get; }

    /// <summary>Relative frequency of this event among all templates.</summary>
    public int Weight { get; }

    public IReadOnlyList<string> Namespaces { get; }

    /// <summary>Set once the first flow of this template was stored (namespaces are then "seen").</summary>
    public bool Emitted { get; set; }

    public GetFlowsResponse Materialize(long unixNanos, long index, FlowIdSpace ids)
    {
        var p = Prototype;
        var time = new Timestamp { Seconds = unixNanos / 1_000_000_000, Nanos = (int)(unixNanos % 1_000_000_000) };
        var flow = new Flow
        {
            Time = time,
            Uuid = FlowIds.Uuid(ids, index),
            Verdict = p.Verdict,
            DropReason = p.DropReason,
            DropReasonDesc = p.DropReasonDesc,
            IP = p.IP,
            L4 = Ephemeral == EphemeralSide.None ? p.L4 : WithPort(p.L4, FlowIds.EphemeralPort(ids.Seed, index)),
            Source = p.Source,
            Destination = p.Destination,
            Type = p.Type,
            NodeName = p.NodeName,
            L7 = p.L7,
            Reply = p.Reply,
            IsReply = p.IsReply,
            EventType = p.EventType,
            SourceService = p.SourceService,
            DestinationService = p.DestinationService,
            TrafficDirection = p.TrafficDirection,
            PolicyMatchType = p.PolicyMatchType,
            TraceObservationPoint = p.TraceObservationPoint,
            Interface = p.Interface,
            SockXlatePoint = p.SockXlatePoint,
            Summary = p.Summary,
        };
        flow.SourceNames.Add(p.SourceNames);
        flow.DestinationNames.Add(p.DestinationNames);
        flow.IngressAllowedBy.Add(p.IngressAllowedBy);
        flow.EgressAllowedBy.Add(p.EgressAllowedBy);
        return new GetFlowsResponse { Flow = flow, NodeName = p.NodeName, Time = time };
    }

    private Layer4 WithPort(Layer4 l4, uint port) => l4.ProtocolCase switch
    {
        Layer4.ProtocolOneofCase.TCP => new Layer4
        {
            TCP = new TCP
            {
                SourcePort = Ephemeral == EphemeralSide.Source ? port : l4.TCP.SourcePort,
                DestinationPort = Ephemeral == EphemeralSide.Destination ? port : l4.TCP.DestinationPort,
                Flags = l4.TCP.Flags,
            },
        },
        Layer4.ProtocolOneofCase.UDP => new Layer4
        {
            UDP = new UDP
            {
                SourcePort = Ephemeral == EphemeralSide.Source ? port : l4.UDP.SourcePort,
                DestinationPort = Ephemeral == EphemeralSide.Destination ? port : l4.UDP.DestinationPort,
            },
        },
        _ => l4,
    };
}

/// <summary>
/// Where a run's flow UUIDs come from: the seed (which also fixes every flow's content) and a run number drawn at
/// start. A simulator restarted with the same seed sends the same flows again, but under new UUIDs, as a restarted
/// Hubble would; a client that deduplicates by UUID across the restart must not drop them.
/// </summary>
internal readonly record struct FlowIdSpace(int Seed, ulong Run)
{
    /// <summary>A new run of <paramref name="seed"/>.</summary>
    public static FlowIdSpace NewRun(int seed) => new(seed, (ulong)Random.Shared.NextInt64() ^ ((ulong)Random.Shared.NextInt64() << 1));
}

/// <summary>Deterministic per-flow values derived from (seed, run, generation index), so nothing random is stored per flow.</summary>
internal static class FlowIds
{
    public static ulong Mix(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }

    /// <summary>FNV-1a: stable across processes, unlike string.GetHashCode.</summary>
    public static ulong Hash(string text)
    {
        var h = 14695981039346656037UL;
        foreach (var c in text)
        {
            h = (h ^ c) * 1099511628211UL;
        }

        return Mix(h);
    }

    /// <summary>Unique per index within a run (the mix is a bijection), different between runs.</summary>
    public static string Uuid(FlowIdSpace ids, long index)
    {
        var hi = Mix(((ulong)(uint)ids.Seed << 40) ^ (ulong)index ^ Mix(ids.Run));
        var lo = Mix(hi ^ 0x5851F42D4C957F2DUL ^ ids.Run);
        Span<byte> bytes = stackalloc byte[16];
        BitConverter.TryWriteBytes(bytes, hi);
        BitConverter.TryWriteBytes(bytes[8..], lo);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);   // version 4 layout, as Hubble's random UUIDs
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes).ToString();
    }

    public static uint EphemeralPort(int seed, long index) => 32768 + (uint)(Mix((ulong)index * 31 + (ulong)(uint)seed) % 28232);
}
