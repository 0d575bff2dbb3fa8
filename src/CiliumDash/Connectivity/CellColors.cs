using System.Globalization;

namespace CiliumDash.Connectivity;

/// <summary>
/// The matrix palette, one meaning per colour: red = failing (act now), amber = degraded, grey = unknown, never green
/// for unknown. OK cells run on a log scale from green (≤ 50 µs) to yellow (≥ 50 ms) so slow links stand out.
/// </summary>
public static class CellColors
{
    public const string Failed = "#cf222e";
    public const string Degraded = "#bf8700";
    public const string Invalid = "#57606a";
    public const string NotProbed = "#afb8c1";
    public const string NotListed = "#d8dee4";
    public const string NoData = "#eef1f4";
    public const string HostOk = "#1a7f37";

    public static string Fill(CellKind kind, float rttNs) => kind switch
    {
        CellKind.Failed or CellKind.HostOkEndpointDown => Failed,
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
}
