using System.Globalization;

namespace CiliumDash.Components.Controls;

/// <summary>Operator formatting: thousands separators, µs/ms RTTs, and "not reported" for what the agent did not send.</summary>
public static class Fmt
{
    public const string NotReported = "not reported";

    public static string OnOff(bool? value) => value switch { true => "Enabled", false => "Disabled", null => NotReported };

    public static string Or(string? value) => string.IsNullOrEmpty(value) ? NotReported : value;

    public static string N(long? value) => value is { } v ? v.ToString("N0", CultureInfo.InvariantCulture) : NotReported;

    /// <summary>Cilium reports latencies in nanoseconds; people read µs and ms.</summary>
    public static string Rtt(long? ns) => ns switch
    {
        null => "—",
        < 0 => $"invalid ({ns})",
        < 1_000_000 => (ns.Value / 1000.0).ToString("0.#", CultureInfo.InvariantCulture) + " µs",
        < 10_000_000_000 => (ns.Value / 1_000_000.0).ToString("0.##", CultureInfo.InvariantCulture) + " ms",
        _ => (ns.Value / 1_000_000_000.0).ToString("0.#", CultureInfo.InvariantCulture) + " s",
    };

    /// <summary>A map pressure ratio as a percentage; values no map can have are labelled, not hidden or clamped.</summary>
    public static string Fill(double ratio) => ratio switch
    {
        double.NaN => "NaN (not a fill level)",
        double.PositiveInfinity or double.NegativeInfinity => $"{(ratio > 0 ? "+" : "-")}∞ (not a fill level)",
        < 0 => $"{(ratio * 100).ToString("0.#", CultureInfo.InvariantCulture)} % (negative: not a fill level)",
        > 10 => $"{(ratio * 100).ToString("N0", CultureInfo.InvariantCulture)} % (over full: agent reported {ratio.ToString(CultureInfo.InvariantCulture)})",
        _ => (ratio * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %",
    };

    public static string Percent(double ratio) => (ratio * 100).ToString("0.00", CultureInfo.InvariantCulture) + "%";
}
