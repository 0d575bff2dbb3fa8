namespace CiliumDash.Connectivity;

/// <summary>A node of the matrix: from its own agent (polled), from other nodes' reports, or both.</summary>
internal sealed class NodeSlot(string name)
{
    public string Name { get; } = name;

    /// <summary>The dashboard reads this node's agent (it has an agent pod, or is the local node).</summary>
    public bool Polled { get; set; }

    /// <summary>Why the last read of this node's report failed; null when it succeeded.</summary>
    public string? ReadError { get; set; }

    public string? HostIp { get; set; }

    public string? EndpointIp { get; set; }

    /// <summary>This node's own report; null until one was read.</summary>
    public MatrixRow? Row { get; set; }
}

/// <summary>
/// One reporting node: its latest cell per destination and path, and a ring of one-byte samples laid out
/// [slot][destination × 4 + path], so writing a round is one contiguous span.
/// </summary>
internal sealed class MatrixRow
{
    public ProbeCell[] Cells { get; private set; } = [];

    public byte[] History { get; private set; } = [];

    /// <summary>Per history slot: seconds since the epoch of the round it holds; 0 = empty.</summary>
    public uint[] SampleTimes { get; private set; } = [];

    public int Stride => Cells.Length;

    public int Head { get; set; }

    public DateTimeOffset? RoundTime { get; set; }

    public DateTimeOffset? LastSample { get; set; }

    public DateTimeOffset LastRead { get; set; }

    public string? LocalName { get; set; }

    public string? ProbeInterval { get; set; }

    public IReadOnlyList<string> Issues { get; set; } = [];

    public int Reachable { get; set; }

    public int Total { get; set; }

    /// <summary>Widens the row to the store's column capacity, keeping cells and history.</summary>
    public void Grow(int columns, int slots)
    {
        if (SampleTimes.Length != slots)
        {
            SampleTimes = new uint[slots];
        }

        var stride = columns * 4;
        if (Cells.Length >= stride)
        {
            return;
        }

        var cells = new ProbeCell[stride];
        Cells.CopyTo(cells, 0);
        var history = new byte[slots * stride];
        for (var s = 0; s < slots && Cells.Length > 0; s++)
        {
            Array.Copy(History, s * Cells.Length, history, s * stride, Cells.Length);
        }

        Cells = cells;
        History = history;
    }

    public void ClearColumn(int col, int slots)
    {
        if (col * 4 >= Cells.Length)
        {
            return;
        }

        Array.Clear(Cells, col * 4, 4);
        for (var s = 0; s < slots; s++)
        {
            Array.Clear(History, (s * Stride) + (col * 4), 4);
        }
    }
}
