namespace CiliumDash.Shared;

/// <summary>What the history recorder reports about itself; the findings engine reads it (no dependency on History).</summary>
/// <param name="Store">the provider and where (never credentials).</param>
/// <param name="NotRecordedSince">when the last write succeeded before the current failure; null while recording.</param>
/// <param name="Reason">why the store does not take writes ("database unreachable: …").</param>
/// <param name="Dropped">records dropped because the queue was full, since start.</param>
public sealed record HistoryHealthState(bool Enabled, string Store, DateTimeOffset? NotRecordedSince, string? Reason, long Dropped, DateTimeOffset? LastWrite)
{
    public static readonly HistoryHealthState Disabled = new(false, "", null, null, 0, null);
}

/// <summary>The history's health, written by the recorder, read by the findings engine and diagnostics.</summary>
public sealed class HistoryHealth : IDisposable
{
    private HistoryHealthState _state = HistoryHealthState.Disabled;

    public HistoryHealth(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        Changed = new ChangeSignal(time, TimeSpan.FromMilliseconds(250));
    }

    public ChangeSignal Changed { get; }

    public HistoryHealthState State => Volatile.Read(ref _state);

    public void Set(HistoryHealthState state)
    {
        var old = Interlocked.Exchange(ref _state, state);
        // Every successful write moves LastWrite: only a change the findings show is signalled.
        if (old.Enabled != state.Enabled || old.NotRecordedSince != state.NotRecordedSince || old.Reason != state.Reason || old.Dropped != state.Dropped)
        {
            Changed.Notify();
        }
    }

    public void Dispose() => Changed.Dispose();
}
