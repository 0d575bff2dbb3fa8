using CiliumDash.Agents;
using CiliumDash.Flows;
using CiliumDash.Shared;

namespace CiliumDash.Replay;

/// <summary>
/// The one answer to "what is now" for times that come from the cluster (a controller's last failure, a probe, a
/// flow, a finding's "since"). For a live cluster it is the clock; for a recorded cluster it is the capture's newest
/// timestamp, so that a capture from last year reads "failing since 3m" as it did when it was taken, not "since
/// 486d". The dashboard's own times (when a page refreshed, when a source last answered) stay on the clock.
/// </summary>
public sealed class ViewClock(TimeProvider time, ClusterConnection connection, ClusterStore cluster, FlowStore flows)
{
    public TimeProvider Time => time;

    /// <summary>True while the cluster shown is a recorded one.</summary>
    public bool Replay => connection.Current?.Replay == true;

    /// <summary>The capture's newest timestamp (agents' controller runs and probes, flows); null when live or nothing is read yet.</summary>
    public DateTimeOffset? CaptureTime => Replay ? Newest() : null;

    /// <summary>"Now" for times from the cluster: the capture's time in replay, else the clock.</summary>
    public DateTimeOffset ClusterNow => CaptureTime ?? time.GetUtcNow();

    private DateTimeOffset? Newest()
    {
        DateTimeOffset? newest = flows.Newest(1) is [var (record, _)] ? record.Time : null;
        foreach (var node in cluster.Nodes)
        {
            foreach (var c in node.Status?.Controllers ?? [])
            {
                newest = Max(Max(newest, c.LastSuccess), c.LastFailure);
            }

            newest = Max(newest, node.Health?.Timestamp);
        }

        return newest;
    }

    private static DateTimeOffset? Max(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;
}
