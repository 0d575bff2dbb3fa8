using System.Runtime.InteropServices;

namespace CiliumDash.Connectivity;

/// <summary>The four things cilium-health measures from one node to another.</summary>
public enum ProbePath : byte
{
    HostIcmp,
    HostHttp,
    EndpointIcmp,
    EndpointHttp,
}

/// <summary>What one pair and path is known to be, in the words the UI and the API use.</summary>
public enum ProbeState : byte
{
    /// <summary>No report from the source node has been read.</summary>
    NoData,

    /// <summary>The source reported, but its report does not list this destination.</summary>
    NotListed,

    /// <summary>Listed, but the probe has not run yet (no ConnectivityStatus): unknown, not a failure.</summary>
    NotProbed,

    Ok,

    /// <summary>The agent reported an error text (or the path is missing, which cilium-health counts as unreachable).</summary>
    Failed,

    /// <summary>The report is unusable for this path: missing, negative or absurd latency without an error.</summary>
    Invalid,
}

[Flags]
public enum CellFlags : byte
{
    None = 0,

    /// <summary>RTT above k × the pair's own baseline.</summary>
    Degraded = 1,

    /// <summary>A secondary address of this path failed while the primary did not.</summary>
    SecondaryFailed = 2,

    /// <summary>Bits 4–6 count OK samples (saturating at 7) before the baseline is trusted.</summary>
    SampleCountMask = 0b0111_0000,
}

/// <summary>
/// The latest result of one pair and path: 14 bytes, so the matrix costs 56 bytes per pair (nodes² × 4 paths × 14).
/// Text (errors) lives once in the store's intern table; <see cref="ErrorId"/> points there and keeps the last error
/// after the path recovers.
/// </summary>
[StructLayout(LayoutKind.Sequential, Pack = 2)]
public struct ProbeCell
{
    /// <summary>As reported, in ns (float: exact below 16.7 ms, 7 significant digits above); may be negative when Invalid.</summary>
    public float RttNs;

    /// <summary>Running mean of OK RTTs while not degraded; 0 until the first sample.</summary>
    public float BaselineNs;

    /// <summary>
    /// Seconds between lastProbed (where reported) and the report's timestamp: probes run within one interval before
    /// it, so two bytes suffice (clamped at 18 h).
    /// </summary>
    public ushort ProbedAgo;

    /// <summary>Index into the error intern table; 0 = never failed.</summary>
    public ushort ErrorId;

    public ProbeState State;

    public CellFlags Flags;

    public readonly bool Degraded => (Flags & CellFlags.Degraded) != 0;

    public readonly int Samples => (int)(Flags & CellFlags.SampleCountMask) >> 4;
}

/// <summary>What a node's own cilium-health report says, as cilium-health prints it ("Cluster health: N/M reachable").</summary>
public sealed record HealthSummary(string? LocalNode, DateTimeOffset? Timestamp, string? ProbeInterval, int Reachable, int Total);
