namespace CiliumDash.Connectivity;

/// <summary>
/// One history sample in one byte: 0 = no sample, 1 = failed, 2 = invalid, 3 = not probed, 4–255 = RTT on a log scale
/// from 1 µs to 100 s (252 steps of 7.6 %: a sparkline and p50/p99 within ±3.8 %, at a quarter of a float's memory).
/// </summary>
public static class RttCodec
{
    public const byte None = 0;
    public const byte Failed = 1;
    public const byte Invalid = 2;
    public const byte NotProbed = 3;
    private const byte First = 4;
    private const double MinNs = 1_000;
    private static readonly double Step = Math.Log(1e11 / MinNs) / (255 - First);

    public static byte Encode(ProbeState state, double rttNs) => state switch
    {
        ProbeState.Ok => (byte)Math.Clamp(First + Math.Round(Math.Log(Math.Max(rttNs, MinNs) / MinNs) / Step), First, 255),
        ProbeState.Failed => Failed,
        ProbeState.Invalid => Invalid,
        ProbeState.NotProbed => NotProbed,
        _ => None,
    };

    /// <summary>The RTT a code stands for (the bucket's centre), or null for a code that is not an RTT.</summary>
    public static double? Decode(byte code) => code >= First ? MinNs * Math.Exp((code - First) * Step) : null;
}
