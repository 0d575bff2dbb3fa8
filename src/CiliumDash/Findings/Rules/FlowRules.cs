using System.Globalization;
using CiliumDash.Shared;

namespace CiliumDash.Findings.Rules;

/// <summary>
/// Hubble lost events: the relay reports running totals per source (ring buffer, perf ring buffer, observer queue).
/// A source holds a finding while its total grew within <see cref="Window"/>; the tracker is the only state a rule
/// keeps, because a total alone cannot say whether events are being lost now.
/// </summary>
public sealed class LostEventsTracker
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(10);

    private readonly Dictionary<string, (ulong Total, DateTimeOffset LastIncrease, DateTimeOffset StreakStart, ulong StreakBase)> _sources = new(StringComparer.Ordinal);

    public IReadOnlyList<FindingDraft> Observe(IReadOnlyDictionary<string, ulong> totals, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(totals);
        var drafts = new List<FindingDraft>();
        foreach (var (source, total) in totals)
        {
            if (!_sources.TryGetValue(source, out var known))
            {
                known = (0, DateTimeOffset.MinValue, now, 0);
            }

            if (total > known.Total)
            {
                var fresh = now - known.LastIncrease > Window;
                known = (total, now, fresh ? now : known.StreakStart, fresh ? known.Total : known.StreakBase);
            }

            _sources[source] = known;
            if (now - known.LastIncrease <= Window)
            {
                var lost = (known.Total - known.StreakBase).ToString("N0", CultureInfo.InvariantCulture);
                drafts.Add(new FindingDraft(FindingSeverity.Warning, FindingKinds.HubbleLostEvents, new FindingSubject { Component = source },
                    $"Hubble is losing events ({source}): {lost} lost, flows are missing from what the dashboard shows",
                    [new Evidence("hubble-relay GetFlows lost_events", $"{source}: {known.Total.ToString("N0", CultureInfo.InvariantCulture)} lost in all, the last {ClusterAgo(now, known.LastIncrease)}")],
                    known.StreakStart));
            }
        }

        return drafts;
    }

    private static string ClusterAgo(DateTimeOffset now, DateTimeOffset at) => GoDurations.Format(now - at) + " ago";
}
