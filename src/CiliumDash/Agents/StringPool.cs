namespace CiliumDash.Agents;

/// <summary>Bounded string sharing for values that repeat across nodes; past the bound, strings are simply not shared.</summary>
internal static class StringPool
{
    private const int MaxEntries = 50_000;
    private const int MaxLength = 256;
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> Pool = new(StringComparer.Ordinal);

    public static string Share(string text)
    {
        if (text.Length > MaxLength)
        {
            return text;
        }

        if (Pool.TryGetValue(text, out var shared))
        {
            return shared;
        }

        return Pool.Count < MaxEntries ? Pool.GetOrAdd(text, text) : text;
    }
}
