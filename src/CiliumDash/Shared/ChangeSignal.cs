namespace CiliumDash.Shared;

/// <summary>
/// A change notification that carries no data: sources call <see cref="Notify"/> as often as they like; subscribers
/// are called at most once per interval, after the burst, and then pull what they show from the store.
/// </summary>
public sealed class ChangeSignal : IDisposable
{
    private readonly TimeProvider _time;
    private readonly TimeSpan _interval;
    private readonly ITimer _timer;
    private readonly Lock _gate = new();
    private Action[] _subscribers = [];
    private long _version;
    private int _scheduled;
    private long _lastFiredTicks;
    private long _skipped;

    public ChangeSignal(TimeProvider time, TimeSpan interval)
    {
        _time = time;
        _interval = interval;
        _timer = time.CreateTimer(_ => Fire(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _lastFiredTicks = time.GetTimestamp() - (long)(interval.TotalSeconds * time.TimestampFrequency);
    }

    /// <summary>Increases with every change, so a view can tell whether it already shows the latest state.</summary>
    public long Version => Interlocked.Read(ref _version);

    /// <summary>Notifications merged into a later one (the diagnostics page shows it).</summary>
    public long Merged => Interlocked.Read(ref _skipped);

    public void Notify()
    {
        Interlocked.Increment(ref _version);
        if (Interlocked.CompareExchange(ref _scheduled, 1, 0) != 0)
        {
            Interlocked.Increment(ref _skipped);
            return;
        }

        var since = _time.GetElapsedTime(Interlocked.Read(ref _lastFiredTicks));
        var due = since >= _interval ? TimeSpan.Zero : _interval - since;
        _timer.Change(due, Timeout.InfiniteTimeSpan);
    }

    public IDisposable Subscribe(Action callback)
    {
        lock (_gate)
        {
            _subscribers = [.. _subscribers, callback];
        }

        return new Subscription(this, callback);
    }

    public void Dispose() => _timer.Dispose();

    private void Fire()
    {
        Interlocked.Exchange(ref _lastFiredTicks, _time.GetTimestamp());
        Volatile.Write(ref _scheduled, 0);
        foreach (var subscriber in Volatile.Read(ref _subscribers))
        {
            // A failing view must not stop the others from updating.
            try
            {
                subscriber();
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                System.Diagnostics.Trace.TraceWarning($"change subscriber failed: {ex.Message}");
            }
        }
    }

    private void Unsubscribe(Action callback)
    {
        lock (_gate)
        {
            _subscribers = _subscribers.Where(s => s != callback).ToArray();
        }
    }

    private sealed class Subscription(ChangeSignal owner, Action callback) : IDisposable
    {
        public void Dispose() => owner.Unsubscribe(callback);
    }
}
