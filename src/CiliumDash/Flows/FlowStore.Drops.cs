using CiliumDash.Flows.Query;
using CiliumDash.Protocols.Hubble;

namespace CiliumDash.Flows;

/// <summary>Drops of one reason between two namespaces over the recent part of the window.</summary>
public sealed record DropRate(string Reason, string SourceNamespace, string DestinationNamespace, long Drops, double PerSecond);

public sealed partial class FlowStore
{
    /// <summary>
    /// The <paramref name="top"/> (reason, source namespace, destination namespace) triples with the most drops among the
    /// flows of the window observed in the last <paramref name="span"/>, most first: the bounded drop-rate series.
    /// </summary>
    public IReadOnlyList<DropRate> TopDrops(TimeSpan span, int top)
    {
        var since = (Time.GetUtcNow() - span).ToUnixTimeMilliseconds() * 1_000_000L;
        var counts = new Dictionary<(ushort, string, string), long>();
        _window.Scan(FlowQuery.Empty, (in Window.FlowRow row, int _) =>
        {
            if (row.IsDrop && row.TimeNanos >= since)
            {
                var key = (row.DropReason, row.Source?.Namespace ?? "", row.Destination?.Namespace ?? "");
                counts[key] = counts.GetValueOrDefault(key) + 1;
            }
        }, out _);
        return counts.OrderByDescending(c => c.Value).ThenBy(c => c.Key.Item2, StringComparer.Ordinal).ThenBy(c => c.Key.Item3, StringComparer.Ordinal).Take(top)
            .Select(c => new DropRate(FlowMapper.Name((DropReason)c.Key.Item1), c.Key.Item2, c.Key.Item3, c.Value, c.Value / span.TotalSeconds))
            .ToList();
    }
}
