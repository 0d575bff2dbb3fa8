namespace CiliumDash.Simulator.Relay;

/// <summary>
/// Picks templates by weight from a seeded generator. The sequence of (template, index) pairs depends only on the
/// seed and how many flows were drawn, never on batch sizes or timing, so a seed reproduces the same flows (with new
/// UUIDs in every run, see <see cref="FlowIdSpace"/>).
/// </summary>
internal sealed class FlowGenerator
{
    private readonly IReadOnlyList<FlowTemplate> _templates;
    private readonly int[] _table;
    private ulong _state;
    private long _index;

    /// <param name="run">fixes the UUIDs (tests); null = a new run, so a restart never repeats them.</param>
    public FlowGenerator(IReadOnlyList<FlowTemplate> templates, int seed, ulong? run = null)
    {
        _templates = templates;
        Ids = run is { } r ? new FlowIdSpace(seed, r) : FlowIdSpace.NewRun(seed);
        _state = FlowIds.Mix((ulong)(uint)seed) | 1;
        var table = new List<int>();
        for (var i = 0; i < templates.Count; i++)
        {
            for (var w = 0; w < templates[i].Weight; w++)
            {
                table.Add(i);
            }
        }

        _table = table.ToArray();
    }

    public int Seed => Ids.Seed;

    /// <summary>The seed and this run's number, from which every flow's UUID is derived.</summary>
    public FlowIdSpace Ids { get; }

    public bool IsEmpty => _table.Length == 0;

    public long Generated => _index;

    /// <summary>The next flow: its template and its generation index (which fixes its UUID and ephemeral port).</summary>
    public FlowTemplate Next(out long index)
    {
        // xorshift64*: a few instructions per draw and no allocation.
        _state ^= _state >> 12;
        _state ^= _state << 25;
        _state ^= _state >> 27;
        var r = _state * 0x2545F4914F6CDD1DUL;
        index = _index++;
        return _templates[_table[(int)((r >> 11) % (ulong)_table.Length)]];
    }
}
