using System.Globalization;

namespace CiliumDash.Connectivity;

/// <summary>
/// The matrix palette and marks, one meaning per colour and per symbol: red ✕ = failing (act now), purple ◐ = the host
/// answers but its health endpoint does not, orange ▲ = slower than k × its baseline, grey = unknown, never green for
/// unknown. OK cells run on a log scale from green (≤ 50 µs) to yellow (≥ 50 ms) and carry their RTT where it fits, so
/// a slow-but-normal link (yellow, a number) never looks like a degraded one (orange, ▲). Colour is never the only
/// signal: every state also has its symbol, for colour-blind readers and for print.
/// </summary>
public static class CellColors
{
    public const string Failed = "#cf222e";
    public const string EndpointDown = "#8250df";
    public const string Degraded = "#bc4c00";
    public const string Invalid = "#57606a";
    public const string NotProbed = "#afb8c1";
    public const string NotListed = "#d8dee4";
    public const string NoData = "#eef1f4";
    public const string HostOk = "#1a7f37";

    public static string Fill(CellKind kind, float rttNs) => kind switch
    {
        CellKind.Failed => Failed,
        CellKind.HostOkEndpointDown => EndpointDown,
        CellKind.Degraded => Degraded,
        CellKind.Invalid => Invalid,
        CellKind.NotProbed => NotProbed,
        CellKind.NotListed => NotListed,
        CellKind.Ok => Rtt(rttNs),
        _ => NoData,
    };

    /// <summary>Green at 50 µs through yellow-green to yellow at 50 ms (hue 130 → 55), log scale.</summary>
    public static string Rtt(double ns)
    {
        var t = Math.Clamp((Math.Log10(Math.Max(ns, 1)) - Math.Log10(50_000)) / 3, 0, 1);
        var hue = 130 - (75 * t);
        return string.Create(CultureInfo.InvariantCulture, $"hsl({hue:0},55%,{42 + (8 * t):0}%)");
    }

    public static string Describe(CellKind kind) => kind switch
    {
        CellKind.Failed => "failing",
        CellKind.HostOkEndpointDown => "host OK, endpoint unreachable",
        CellKind.Degraded => "slower than k × its baseline",
        CellKind.Invalid => "invalid report",
        CellKind.NotProbed => "not probed yet",
        CellKind.NotListed => "not in the source's probe list",
        CellKind.Ok => "OK",
        _ => "no report from the source",
    };

    /// <summary>
    /// The symbol a cell shows: one character for every state but OK (so it fits even a dense 14 px cell); with
    /// <paramref name="roomy"/> an OK or degraded cell shows its RTT in whole milliseconds or microseconds instead.
    /// </summary>
    public static string Mark(CellKind kind, float rttNs, bool roomy) => kind switch
    {
        CellKind.Failed => "✕",
        CellKind.HostOkEndpointDown => "◐",
        CellKind.Degraded => roomy ? "▲" + ShortRtt(rttNs) : "▲",
        CellKind.Invalid => "?",
        CellKind.NotProbed => "…",
        CellKind.NotListed => "–",
        CellKind.Ok => roomy ? ShortRtt(rttNs) : "",
        _ => "",
    };

    /// <summary>The text colour on a cell's fill: white on the dark fills, near-black on the light ones (≥ 4.5 : 1 both).</summary>
    public static string Ink(CellKind kind) => kind switch
    {
        CellKind.Failed or CellKind.HostOkEndpointDown or CellKind.Degraded or CellKind.Invalid => "#ffffff",
        _ => "#1f2328",
    };

    /// <summary>An RTT in at most three characters plus its unit letter ("412µ", "3m", "52m"), for a 28 px cell.</summary>
    public static string ShortRtt(double ns) => ns switch
    {
        < 1_000 => "<1µ",
        < 1_000_000 => (ns / 1_000).ToString("0", CultureInfo.InvariantCulture) + "µ",
        < 1_000_000_000 => (ns / 1_000_000).ToString("0", CultureInfo.InvariantCulture) + "m",
        _ => (ns / 1_000_000_000).ToString("0", CultureInfo.InvariantCulture) + "s",
    };
}
