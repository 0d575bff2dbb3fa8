using System.Globalization;
using CiliumDash.Protocols.Hubble.ObserverApi;

namespace CiliumDash.Flows;

/// <summary>
/// What the reader of a GetFlows stream does with each response: drops flows an earlier connection already delivered,
/// encodes new ones into the store at once (so the decoded message dies young) and commits them in batches of at most
/// <see cref="MaxBatch"/>, and records lost and node status events. It also notices a stream that delivers nothing but
/// duplicates for longer than <see cref="DuplicateStreamAfter"/> (a relay that restarted and reuses flow UUIDs: every
/// new flow would be dropped while the relay shows Connected) and sets <see cref="FlowStore.StreamWarning"/> until a
/// new flow arrives. <see cref="RelayFlowSource"/> and the relay-ingest benchmark both read through it. Not
/// thread-safe: one stream reader uses it, across reconnects.
/// </summary>
public sealed class FlowIngest(FlowStore store, int remember)
{
    /// <summary>Bounds a batch so a fast stream still shows up in the window in small steps.</summary>
    public const int MaxBatch = 256;

    /// <summary>
    /// How long a stream may deliver only duplicates before it is reported. A reconnect's backfill is all duplicates
    /// too, but it arrives in well under a second.
    /// </summary>
    public static readonly TimeSpan DuplicateStreamAfter = TimeSpan.FromSeconds(5);

    private readonly FlowDeduplicator _dedup = new(remember);
    private readonly TimeProvider _time = store.Time;
    private int _staged;
    private long _streakStart = -1;
    private long _streakDuplicates;
    private long _lastWarned;

    public void Accept(GetFlowsResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        switch (response.ResponseTypesCase)
        {
            case GetFlowsResponse.ResponseTypesOneofCase.Flow:
                if (!_dedup.IsNew(response.Flow, response.NodeName))
                {
                    store.CountDuplicate();
                    NoteDuplicate();
                    break;
                }

                NoteNew();
                store.Stage(response);
                if (++_staged >= MaxBatch)
                {
                    Flush();
                }

                break;
            case GetFlowsResponse.ResponseTypesOneofCase.LostEvents:
                Flush();
                store.AddLost(FlowMapper.MapLost(response.LostEvents, response));
                break;
            case GetFlowsResponse.ResponseTypesOneofCase.NodeStatus:
                Flush();
                store.AddNodeStatus(FlowMapper.MapNodeStatus(response.NodeStatus, response));
                break;
            default:
                break;   // a response kind newer than our protos: skip it, as Hubble clients do
        }
    }

    /// <summary>Commits what has arrived; the reader calls it whenever the stream would wait, so nothing lingers unseen.</summary>
    public void Flush()
    {
        store.Commit();
        _staged = 0;
    }

    private void NoteDuplicate()
    {
        var now = _time.GetTimestamp();
        _streakDuplicates++;
        if (_streakStart < 0)
        {
            _streakStart = now;
            return;
        }

        var streak = _time.GetElapsedTime(_streakStart, now);
        // Refreshed at most once a second: the count moves, the warning stays one message.
        if (streak < DuplicateStreamAfter || (store.StreamWarning is not null && _time.GetElapsedTime(_lastWarned, now) < TimeSpan.FromSeconds(1)))
        {
            return;
        }

        _lastWarned = now;
        var since = _time.GetUtcNow() - streak;
        store.SetStreamWarning(new FlowStreamWarning(
            string.Create(CultureInfo.InvariantCulture,
                $"hubble-relay has sent only flows already seen for {streak.TotalSeconds:0} s ({_streakDuplicates:N0} duplicates since {since.UtcDateTime:HH:mm:ss} UTC), so no new flow is shown. A relay that restarted and reuses flow UUIDs does this: restart the dashboard, or check the relay's flow IDs."),
            since,
            _streakDuplicates));
    }

    private void NoteNew()
    {
        if (_streakStart < 0)
        {
            return;
        }

        _streakStart = -1;
        _streakDuplicates = 0;
        store.SetStreamWarning(null);
    }
}
