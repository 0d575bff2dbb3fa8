using System.Globalization;
using CiliumDash.Shared;

namespace CiliumDash.Findings.Rules;

/// <summary>The dashboard's own history: a store that does not take writes loses the record of what happens now.</summary>
public static class HistoryRules
{
    public static IEnumerable<FindingDraft> Of(HistoryHealthState history)
    {
        ArgumentNullException.ThrowIfNull(history);
        if (!history.Enabled || history.NotRecordedSince is not { } since)
        {
            yield break;
        }

        var evidence = new List<Evidence> { new($"history store {history.Store}", history.Reason ?? "writes fail") };
        if (history.Dropped > 0)
        {
            evidence.Add(new Evidence("history queue", $"{history.Dropped.ToString("N0", CultureInfo.InvariantCulture)} records dropped (queue full)"));
        }

        yield return new FindingDraft(FindingSeverity.Warning, FindingKinds.HistoryNotRecording, new FindingSubject { Component = "history" },
            $"history not recorded since {since.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC: {history.Reason}",
            evidence, since);
    }
}
