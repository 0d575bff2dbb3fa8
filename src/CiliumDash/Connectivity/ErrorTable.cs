namespace CiliumDash.Connectivity;

/// <summary>
/// Error texts stored once and referenced by a 2-byte id from the matrix cells. Errors repeat across rounds (the same
/// timeout to the same address), so the table stays small; lookups by span allocate nothing. Not thread-safe: the
/// store calls it under its lock.
/// </summary>
internal sealed class ErrorTable
{
    public const string Overflow = "(error text not kept: more than 65,534 distinct errors since start)";

    private readonly List<string> _texts = ["", Overflow];
    private readonly Dictionary<string, ushort> _ids = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ushort>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public ErrorTable() => _lookup = _ids.GetAlternateLookup<ReadOnlySpan<char>>();

    public int Count => _texts.Count;

    public ushort Intern(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return 0;
        }

        if (_lookup.TryGetValue(text, out var id))
        {
            return id;
        }

        if (_texts.Count > ushort.MaxValue)
        {
            return 1;
        }

        id = (ushort)_texts.Count;
        var value = new string(text);
        _texts.Add(value);
        _ids[value] = id;
        return id;
    }

    public string? Text(ushort id) => id == 0 || id >= _texts.Count ? null : _texts[id];
}
