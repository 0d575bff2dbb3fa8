using System.Globalization;

namespace CiliumDash.Benchmarks.Drivers;

/// <summary><c>--name value</c> pairs of a driver command; unknown names are refused so a typo is not silently ignored.</summary>
internal sealed class DriverArguments
{
    private readonly Dictionary<string, string> _values;
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    private DriverArguments(Dictionary<string, string> values) => _values = values;

    public static DriverArguments Parse(ReadOnlySpan<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"expected '--name value' pairs, got '{string.Join(' ', args.ToArray())}'");
            }

            values[args[i][2..]] = args[i + 1];
        }

        return new DriverArguments(values);
    }

    public double Double(string name, double fallback) => Read(name) is { } text ? double.Parse(text, CultureInfo.InvariantCulture) : fallback;

    public int Int(string name, int fallback) => Read(name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

    public string? Text(string name) => Read(name);

    /// <summary>Call after reading every option: names nobody asked for are typos.</summary>
    public void RejectUnknown()
    {
        var unknown = _values.Keys.Where(k => !_read.Contains(k)).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"unknown option(s): {string.Join(", ", unknown.Select(u => "--" + u))}");
        }
    }

    private string? Read(string name)
    {
        _read.Add(name);
        return _values.GetValueOrDefault(name);
    }
}
