namespace CiliumDash.Flows.Window;

/// <summary>
/// Shares equal values between the rows of a window and counts the rows that hold each one. A value no row holds any
/// more is dropped and its slot reused, so slots stay dense (a scan's per-value cache is an array) and the table never
/// outgrows what the window references. Written only by the window's single writer; readers see the values through
/// the rows and read <see cref="SlotCount"/>.
/// </summary>
internal sealed class InternTable<TKey, TValue>(IEqualityComparer<TKey>? comparer = null)
    where TKey : notnull
    where TValue : Interned
{
    private readonly Dictionary<TKey, TValue> _byKey = new(comparer);
    private readonly Stack<int> _free = new();
    private TKey[] _keys = [];
    private int[] _holders = [];
    private int _slots;

    /// <summary>One more than the highest slot ever used: the size of a per-slot cache.</summary>
    public int SlotCount => Volatile.Read(ref _slots);

    /// <summary>Values currently held by at least one row.</summary>
    public int Count => _byKey.Count;

    /// <summary>The shared value for <paramref name="key"/> (made by <paramref name="create"/> if new), held once more.</summary>
    public TValue Hold(TKey key, Func<TKey, TValue> create)
    {
        if (_byKey.TryGetValue(key, out var value))
        {
            _holders[value.Slot]++;
            return value;
        }

        value = create(key);
        var slot = _free.Count > 0 ? _free.Pop() : NewSlot();
        value.Slot = slot;
        _keys[slot] = key;
        _holders[slot] = 1;
        _byKey.Add(key, value);
        return value;
    }

    /// <summary>One row less holds <paramref name="value"/>; the last one frees its slot.</summary>
    public void Release(TValue? value)
    {
        if (value is null || --_holders[value.Slot] > 0)
        {
            return;
        }

        _byKey.Remove(_keys[value.Slot]);
        _keys[value.Slot] = default!;
        _free.Push(value.Slot);
    }

    private int NewSlot()
    {
        if (_slots == _keys.Length)
        {
            var size = Math.Max(64, _keys.Length * 2);
            Array.Resize(ref _keys, size);
            Array.Resize(ref _holders, size);
        }

        var slot = _slots;
        Volatile.Write(ref _slots, slot + 1);
        return slot;
    }
}
