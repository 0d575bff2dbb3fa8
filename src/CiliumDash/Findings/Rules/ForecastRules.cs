using CiliumDash.Agents;
using CiliumDash.Findings.Forecasts;
using CiliumDash.Shared;

namespace CiliumDash.Findings.Rules;

/// <summary>A BPF map that, at its recent pace, will be full soon: critical within 2 h, warning within 24 h.</summary>
public static class ForecastRules
{
    public static readonly TimeSpan Warning = TimeSpan.FromHours(24);

    public static readonly TimeSpan Critical = TimeSpan.FromHours(2);

    public static IEnumerable<FindingDraft> Of(IReadOnlyList<MapForecast> forecasts)
    {
        ArgumentNullException.ThrowIfNull(forecasts);
        foreach (var f in forecasts)
        {
            // A full map is already map-pressure's finding; this one is about the time still left.
            if (f is not { Confidence: ForecastConfidence.Confident, TimeToFull: { } left } || left > Warning || f.Ratio >= 1)
            {
                continue;
            }

            var severity = left <= Critical ? FindingSeverity.Critical : FindingSeverity.Warning;
            yield return new FindingDraft(severity, FindingKinds.MapForecastFull, new FindingSubject { Node = f.Node, Map = f.Map },
                $"BPF map {f.Map} on {f.Node} will be full in about {GoDurations.Format(Round(left))} at its current pace",
                [
                    new Evidence($"cilium-dbg metrics list on {f.Node}", $"{MapPressureParser.Metric}{{map_name=\"{f.Map}\"}} = {f.Ratio:0.####} now, rising {f.SlopePerHour * 100:0.##} points per hour"),
                    new Evidence("dashboard forecast", $"linear trend over the last {f.Samples} reads"),
                ]);
        }
    }

    private static TimeSpan Round(TimeSpan t) => t >= TimeSpan.FromHours(1) ? TimeSpan.FromMinutes(Math.Round(t.TotalMinutes)) : TimeSpan.FromSeconds(Math.Round(t.TotalSeconds));
}
