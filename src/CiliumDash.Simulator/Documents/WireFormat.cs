using System.Globalization;

namespace CiliumDash.Simulator.Documents;

/// <summary>Cilium's wire formats for times and durations, and the deterministic noise the documents are made of.</summary>
internal static class WireFormat
{
    /// <summary>
    /// Formats like Go's <c>time.Duration.String()</c>: "5m0s", "1h0m0s", "3m12.5s", "1m36.566274746s", "250ms", "0s".
    /// </summary>
    public static string GoDuration(TimeSpan duration) => GoDuration(duration.Ticks * 100);

    /// <summary>As <see cref="GoDuration(TimeSpan)"/> for a count of nanoseconds (Go's resolution, finer than ticks).</summary>
    public static string GoDuration(long nanos)
    {
        if (nanos == 0)
        {
            return "0s";
        }

        var negative = nanos < 0;
        var abs = negative ? (ulong)-nanos : (ulong)nanos;
        string text;
        if (abs < 1_000)
        {
            text = abs.ToString(CultureInfo.InvariantCulture) + "ns";
        }
        else if (abs < 1_000_000)
        {
            text = Fraction(abs, 1_000, 3) + "µs";
        }
        else if (abs < 1_000_000_000)
        {
            text = Fraction(abs, 1_000_000, 6) + "ms";
        }
        else
        {
            var seconds = Fraction(abs % 60_000_000_000, 1_000_000_000, 9) + "s";
            var totalMinutes = abs / 60_000_000_000;
            text = totalMinutes == 0
                ? seconds
                : totalMinutes < 60
                    ? $"{totalMinutes}m{seconds}"
                    : $"{totalMinutes / 60}h{totalMinutes % 60}m{seconds}";
        }

        return negative ? "-" + text : text;
    }

    private static string Fraction(ulong value, ulong unit, int digits)
    {
        var whole = (value / unit).ToString(CultureInfo.InvariantCulture);
        var rest = value % unit;
        if (rest == 0)
        {
            return whole;
        }

        var fraction = rest.ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0').TrimEnd('0');
        return whole + "." + fraction;
    }

    /// <summary>
    /// A uniform value in [0, 1) from a few integers (SplitMix64 finaliser). Allocation-free, unlike a Random per
    /// node pair, and stable across processes, unlike <see cref="HashCode"/>.
    /// </summary>
    public static double Noise(long a, long b = 0, long c = 0, long d = 0)
    {
        var x = Mix((ulong)a ^ 0x9E3779B97F4A7C15UL);
        x = Mix(x ^ (ulong)b);
        x = Mix(x ^ (ulong)c);
        x = Mix(x ^ (ulong)d);
        return (x >> 11) * (1.0 / (1UL << 53));
    }

    /// <summary>A per-node generator for values that only need to be stable for a seed and a node.</summary>
    public static Random NodeRandom(int seed, int nodeIndex, int salt) =>
        new((int)(Mix(((ulong)(uint)seed << 32) ^ (uint)nodeIndex ^ ((ulong)(uint)salt << 20)) & 0x7FFF_FFFF));

    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
