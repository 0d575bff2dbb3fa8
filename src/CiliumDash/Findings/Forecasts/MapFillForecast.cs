namespace CiliumDash.Findings.Forecasts;

/// <summary>One reading of a map's fill level (1.0 = full) at the time the agent was read.</summary>
public readonly record struct FillSample(DateTimeOffset At, double Ratio);

/// <summary>How much a forecast can be trusted; only <see cref="Confident"/> ones are shown, alerted on or exported.</summary>
public enum ForecastConfidence
{
    /// <summary>Too few samples, or too short a span, to tell a trend from a blip.</summary>
    TooShort,

    /// <summary>The samples do not lie near a line (R² under <see cref="LinearFillForecast.MinRSquared"/>).</summary>
    TooNoisy,

    /// <summary>Flat or shrinking: the map is not filling up.</summary>
    NotFilling,

    Confident,
}

/// <summary>When a map is expected to be full; <see cref="TimeToFull"/> is set only when <see cref="Confidence"/> is Confident.</summary>
public sealed record MapForecast(string Node, string Map, double Ratio, ForecastConfidence Confidence, TimeSpan? TimeToFull, double SlopePerHour, int Samples);

/// <summary>
/// A least-squares line through recent fill samples, extrapolated to 1.0. Deliberately simple: it answers "at this
/// pace, when" and says when the pace is not clear. Works on any sample list, so a history-backed forecast over days
/// of samples can use it as it is.
/// </summary>
public static class LinearFillForecast
{
    public const int MinSamples = 4;

    public static readonly TimeSpan MinSpan = TimeSpan.FromMinutes(5);

    public const double MinRSquared = 0.8;

    /// <summary>
    /// A line fitted over a span says little about times much further out: a map's fill swings with connection churn
    /// and conntrack garbage collection over tens of minutes, and five minutes of the rising half of one swing fit a
    /// line as well as a real leak does. A forecast further ahead than this many times the observed span is TooShort.
    /// </summary>
    public const double MaxExtrapolation = 24;

    /// <summary>Forecasts further out than this are not a warning about anything: reported as NotFilling.</summary>
    public static readonly TimeSpan Horizon = TimeSpan.FromDays(30);

    public static MapForecast Of(string node, string map, IReadOnlyList<FillSample> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var usable = samples.Where(s => double.IsFinite(s.Ratio) && s.Ratio >= 0).ToList();
        var last = usable.Count > 0 ? usable[^1].Ratio : double.NaN;
        if (usable.Count < MinSamples || usable[^1].At - usable[0].At < MinSpan)
        {
            return new(node, map, last, ForecastConfidence.TooShort, null, 0, usable.Count);
        }

        // Hours since the first sample keep the sums small and well conditioned.
        var t0 = usable[0].At;
        double n = usable.Count, sx = 0, sy = 0, sxx = 0, sxy = 0, syy = 0;
        foreach (var s in usable)
        {
            var x = (s.At - t0).TotalHours;
            sx += x;
            sy += s.Ratio;
            sxx += x * x;
            sxy += x * s.Ratio;
            syy += s.Ratio * s.Ratio;
        }

        var vx = n * sxx - sx * sx;
        var vy = n * syy - sy * sy;
        var slope = vx > 0 ? (n * sxy - sx * sy) / vx : 0;
        if (slope <= 0 || vy <= 0)
        {
            return new(node, map, last, ForecastConfidence.NotFilling, null, slope, usable.Count);
        }

        var r = (n * sxy - sx * sy) / Math.Sqrt(vx * vy);
        if (r * r < MinRSquared)
        {
            return new(node, map, last, ForecastConfidence.TooNoisy, null, slope, usable.Count);
        }

        var intercept = (sy - slope * sx) / n;
        var nowX = (usable[^1].At - t0).TotalHours;
        var fitted = intercept + slope * nowX;
        var hours = Math.Max(0, (1.0 - fitted) / slope);
        if (hours > Horizon.TotalHours)
        {
            return new(node, map, last, ForecastConfidence.NotFilling, null, slope, usable.Count);
        }

        if (hours > MaxExtrapolation * nowX)
        {
            return new(node, map, last, ForecastConfidence.TooShort, null, slope, usable.Count);
        }

        return new(node, map, last, ForecastConfidence.Confident, TimeSpan.FromHours(hours), slope, usable.Count);
    }
}
