namespace CiliumDash.Shared;

/// <summary>
/// The one order of names everywhere (node list, REST <c>order=name</c>, the nodes page's Name column): runs of digits
/// compare by value, so worker-2 comes before worker-10; everything else compares ordinally, so the order is the same
/// on every machine and culture. Equal-valued digit runs with different leading zeros fall back to ordinal order, which
/// keeps the comparison total (no two different names compare equal).
/// </summary>
public sealed class NaturalOrder : IComparer<string>
{
    public static readonly NaturalOrder Instance = new();

    private NaturalOrder()
    {
    }

    public int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }
        if (x is null)
        {
            return -1;
        }
        if (y is null)
        {
            return 1;
        }

        int i = 0, j = 0;
        while (i < x.Length && j < y.Length)
        {
            if (char.IsAsciiDigit(x[i]) && char.IsAsciiDigit(y[j]))
            {
                var byValue = CompareNumbers(x, ref i, y, ref j);
                if (byValue != 0)
                {
                    return byValue;
                }
                continue;
            }

            var c = x[i].CompareTo(y[j]);
            if (c != 0)
            {
                return c;
            }
            i++;
            j++;
        }

        var byLength = (x.Length - i).CompareTo(y.Length - j);
        return byLength != 0 ? byLength : string.CompareOrdinal(x, y);
    }

    // Compares two digit runs by value without parsing (a run can be longer than any integer type).
    private static int CompareNumbers(string x, ref int i, string y, ref int j)
    {
        while (i < x.Length && x[i] == '0' && i + 1 < x.Length && char.IsAsciiDigit(x[i + 1]))
        {
            i++;
        }
        while (j < y.Length && y[j] == '0' && j + 1 < y.Length && char.IsAsciiDigit(y[j + 1]))
        {
            j++;
        }

        int si = i, sj = j;
        while (i < x.Length && char.IsAsciiDigit(x[i]))
        {
            i++;
        }
        while (j < y.Length && char.IsAsciiDigit(y[j]))
        {
            j++;
        }

        var lengths = (i - si).CompareTo(j - sj);
        return lengths != 0 ? lengths : string.CompareOrdinal(x, si, y, sj, i - si);
    }
}
