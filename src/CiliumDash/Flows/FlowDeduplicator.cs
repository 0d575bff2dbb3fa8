namespace CiliumDash.Flows;

/// <summary>
/// After a reconnect the relay replays recent history (<c>number</c>), and flows from different nodes arrive only
/// roughly in time order, so "older than the newest" is not a duplicate test. Instead the keys of the last
/// <c>capacity</c> flows are remembered. Not thread-safe: one stream reader uses it.
/// </summary>
public sealed class FlowDeduplicator(int capacity)
{
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();

    public long Duplicates { get; private set; }

    public bool IsNew(FlowRecord flow)
    {
        // Hubble before 1.14 has no UUIDs; time, node and summary identify a flow well enough then.
        var key = flow.Uuid.Length > 0 ? flow.Uuid : $"{flow.Time.UtcTicks}|{flow.Node}|{flow.Source.Ip}|{flow.Destination.Ip}|{flow.Summary}";
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
}
