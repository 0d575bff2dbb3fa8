namespace CiliumDash.Benchmarks.Flows.Legacy;

/// <summary>
/// Shares equal values between rows of the window (one endpoint object for all flows of a pod, one string per node
/// name or summary), so a row holds references instead of its own copies and the decoded duplicates die young in
/// gen 0. Bounded: when full it starts over; rows keep the values they already point to. Not thread-safe.
/// </summary>
internal sealed class LegacyPool<T>(int capacity, IEqualityComparer<T>? comparer = null)
    where T : class
{
    private readonly Dictionary<T, T> _values = new(comparer);

    public int Count => _values.Count;

    public T Intern(T value)
    {
        if (_values.TryGetValue(value, out var shared))
        {
            return shared;
        }

        if (_values.Count >= capacity)
        {
            _values.Clear();
        }

        _values.Add(value, value);
        return value;
    }
}
