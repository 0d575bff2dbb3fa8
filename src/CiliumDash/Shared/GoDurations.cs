namespace CiliumDash.Shared;

/// <summary>Durations as cilium-cli prints them, so the dashboard and the terminal read the same.</summary>
public static class GoDurations
{
    /// <summary>Go-style short durations: 45s, 3m12s, 2h5m, 3d4h (negative spans read as 0s).</summary>
    public static string Format(TimeSpan span)
    {
        if (span < TimeSpan.Zero)
        {
            span = TimeSpan.Zero;
        }

        return span.TotalSeconds < 60 ? $"{(int)span.TotalSeconds}s"
            : span.TotalMinutes < 60 ? $"{(int)span.TotalMinutes}m{span.Seconds}s"
            : span.TotalHours < 48 ? $"{(int)span.TotalHours}h{span.Minutes}m"
            : $"{(int)span.TotalDays}d{span.Hours}h";
    }
}
