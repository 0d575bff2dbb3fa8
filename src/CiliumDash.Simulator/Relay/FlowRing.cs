namespace CiliumDash.Simulator.Relay;

/// <summary>
/// One event in a node's ring. Generated flows keep only a reference to their shared template plus the few values
/// that vary (time, generation index), so filling millions of slots allocates nothing; replayed flows and lost
/// events keep their full response in <see cref="Payload"/>.
/// </summary>
/// <param name="Seq">global order across all nodes (merging streams by it gives time order).</param>
/// <param name="UnixNanos">event time in nanoseconds since the Unix epoch.</param>
/// <param name="Payload">a <see cref="FlowTemplate"/> or a stored <c>GetFlowsResponse</c>.</param>
/// <param name="Index">generation index of a templated flow; drives its UUID and ephemeral port.</param>
internal readonly record struct RingEntry(long Seq, long UnixNanos, object Payload, long Index);

/// <summary>
/// A fixed-capacity ring like Hubble's per-node buffer. Not thread-safe: <see cref="FlowHub"/> guards it. The
/// backing array grows on demand up to the capacity so that thousands of idle nodes cost little memory.
/// </summary>
internal sealed class FlowRing
{
    private RingEntry[] _items;

    public FlowRing(string nodeName, int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        NodeName = nodeName;
        Capacity = capacity;
        _items = new RingEntry[Math.Min(capacity, 64)];
    }

    public string NodeName { get; }

    public int Capacity { get; }

    /// <summary>Total events ever written; the position of the next write.</summary>
    public long Written { get; private set; }

    /// <summary>Flows (not lost events) ever written: Hubble's seen_flows.</summary>
    public long SeenFlows { get; private set; }

    /// <summary>Position of the oldest event still held.</summary>
    public long Oldest => Math.Max(0, Written - Capacity);

    public long Count => Written - Oldest;

    public void Add(in RingEntry entry, bool isFlow)
    {
        if (Written < Capacity && Written == _items.Length)
        {
            Array.Resize(ref _items, (int)Math.Min(Capacity, (long)_items.Length * 2));
        }

        _items[Written % _items.Length] = entry;
        Written++;
        if (isFlow)
        {
            SeenFlows++;
        }
    }

    /// <summary>The event at an absolute position in [<see cref="Oldest"/>, <see cref="Written"/>).</summary>
    public ref readonly RingEntry At(long position) => ref _items[position % _items.Length];
}
