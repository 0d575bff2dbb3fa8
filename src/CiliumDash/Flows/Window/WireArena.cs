namespace CiliumDash.Flows.Window;

/// <summary>One block of the window's protobuf bytes; counts the rows whose bytes it holds.</summary>
internal sealed class WireSegment(int size)
{
    public byte[] Bytes { get; } = new byte[size];

    public int Used { get; set; }

    public int Rows { get; set; }
}

/// <summary>
/// The rows' protobuf bytes, appended to pooled 64 KB segments instead of one array per flow: rows leave the window in
/// the order they came, so a segment empties as a whole and is reused, and the bytes of the live window never become
/// garbage the collector must promote and copy (one array per flow did, at every gen0 collection while the flow stayed
/// in the window). A message larger than a segment gets a segment of its own, not pooled. Written by the window's
/// single writer; a reader copies bytes out while it holds the window's lock (a segment is reused only under it).
/// </summary>
internal sealed class WireArena
{
    /// <summary>Below the large object heap's threshold.</summary>
    public const int SegmentSize = 64 * 1024;

    /// <summary>Empty segments kept for reuse; the rest go to the collector (a window that shrank its traffic).</summary>
    private const int Spares = 8;

    private readonly Stack<WireSegment> _spare = new();
    private WireSegment? _current;

    /// <summary>Room for <paramref name="length"/> bytes, held by one more row.</summary>
    public WireSegment Append(int length, out int offset, out Span<byte> room)
    {
        var segment = _current;
        if (length > SegmentSize)
        {
            segment = new WireSegment(length);
        }
        else if (segment is null || segment.Used + length > SegmentSize)
        {
            if (segment is { Rows: 0 })
            {
                Recycle(segment);
            }

            segment = _current = _spare.Count > 0 ? _spare.Pop() : new WireSegment(SegmentSize);
        }

        offset = segment.Used;
        segment.Used += length;
        segment.Rows++;
        room = segment.Bytes.AsSpan(offset, length);
        return segment;
    }

    /// <summary>One row less holds bytes in <paramref name="segment"/>; an empty segment (not the one being filled) is reused.</summary>
    public void Release(WireSegment segment)
    {
        if (--segment.Rows == 0 && !ReferenceEquals(segment, _current))
        {
            Recycle(segment);
        }
    }

    private void Recycle(WireSegment segment)
    {
        if (segment.Bytes.Length == SegmentSize && _spare.Count < Spares)
        {
            segment.Used = 0;
            _spare.Push(segment);
        }
    }
}
