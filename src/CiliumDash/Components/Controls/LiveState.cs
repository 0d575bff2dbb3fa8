using System.Globalization;
using CiliumDash.Shared;

namespace CiliumDash.Components.Controls;

/// <summary>What a live view may honestly claim about the data it shows.</summary>
public enum LiveMode
{
    Live,
    Paused,
    Degraded,
    Replay,
}

/// <summary>The indicator's state and its words; <see cref="Since"/> is when the state began where that is known.</summary>
public sealed record LiveStatus(LiveMode Mode, string Label, string Detail, DateTimeOffset? Since);

/// <summary>
/// The one rule for the live indicator on every page: paused wins (the tab froze the data), then a source that is not
/// connected (the data may be stale, and which source it is), then a recorded cluster (its times are the capture's),
/// else live. The circuit being gone is decided in the browser (app.js), because the server can no longer say it.
/// </summary>
public static class LiveState
{
    public static LiveStatus Of(bool paused, DateTimeOffset updated, IEnumerable<SourceHealth> sources, bool replay, DateTimeOffset? newestData)
    {
        ArgumentNullException.ThrowIfNull(sources);
        if (paused)
        {
            return new(LiveMode.Paused, "Paused", $"frozen at {Clock(updated)}", updated);
        }

        var down = sources.Where(s => s.State is not SourceState.Connected and not SourceState.Disabled).ToList();
        if (down.Count > 0)
        {
            var since = down.Select(s => s.LastErrorAt ?? s.LastSuccess).Where(t => t is not null).Min();
            var which = string.Join(", ", down.Select(s => $"{s.Name} {s.State.ToString().ToLowerInvariant()}"));
            return new(LiveMode.Degraded, "Degraded", which, since);
        }

        if (replay)
        {
            var capture = newestData is { } d ? $"recorded cluster, captured {d.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture)}; times are the capture's" : "recorded cluster";
            return new(LiveMode.Replay, "Replay", capture, newestData);
        }

        return new(LiveMode.Live, "Live", "", updated);
    }

    /// <summary>A time of day, with the date when it is not today's (a capture from last year must not look current).</summary>
    public static string Clock(DateTimeOffset at, DateTimeOffset? now = null)
    {
        var utc = at.UtcDateTime;
        return now is { } n && n.UtcDateTime.Date == utc.Date
            ? utc.ToString("HH:mm:ss 'UTC'", CultureInfo.InvariantCulture)
            : utc.ToString(now is null ? "HH:mm:ss 'UTC'" : "yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
    }
}
