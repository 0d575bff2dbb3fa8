using CiliumDash.Protocols.Hubble;

namespace CiliumDash.Flows;

/// <summary>
/// After a reconnect the relay replays recent history (<c>number</c>), and flows from different nodes arrive only
/// roughly in time order, so "older than the newest" is not a duplicate test. Instead the keys of the last
/// <c>capacity</c> flows are remembered (16 bytes each). Not thread-safe: one stream reader uses it.
/// </summary>
public sealed class FlowDeduplicator(int capacity)
{
    private readonly HashSet<Guid> _seen = [];
    private readonly Queue<Guid> _order = new();

    public long Duplicates { get; private set; }

    public bool IsNew(Flow flow, string envelopeNode)
    {
        ArgumentNullException.ThrowIfNull(flow);
        var key = Key(flow, envelopeNode);
        if (!_seen.Add(key))
        {
            Duplicates++;
            return false;
        }

        _order.Enqueue(key);
        if (_order.Count > capacity)
        {
            _seen.Remove(_order.Dequeue());
        }

        return true;
    }

    private static Guid Key(Flow flow, string envelopeNode)
    {
        if (Guid.TryParse(flow.Uuid, out var uuid))
        {
            return uuid;
        }

        // Hubble before 1.14 has no UUIDs; time, node, addresses, ports and summary identify a flow well enough then.
        var node = flow.NodeName.Length > 0 ? flow.NodeName : envelopeNode;
        var a = HashCode.Combine(flow.Time?.Seconds, flow.Time?.Nanos, node, flow.IP?.Source, flow.IP?.Destination);
        var b = HashCode.Combine(flow.Summary, flow.L4?.TCP?.SourcePort ?? flow.L4?.UDP?.SourcePort, flow.Uuid, flow.Verdict, flow.Time?.Nanos);
        return new Guid(a, (short)b, (short)(b >> 16), 0, 0, 0, 0, 0, 0, 0, (byte)(flow.Time?.Nanos ?? 0));
    }
}
