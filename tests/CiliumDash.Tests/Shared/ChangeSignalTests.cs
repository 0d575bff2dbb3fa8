using CiliumDash.Cluster;
using Microsoft.Extensions.Time.Testing;
using CiliumDash.Shared;

namespace CiliumDash.Tests.Shared;

public sealed class ChangeSignalTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Notify_FirstAfterQuiet_CallsAtOnce()
    {
        using var signal = new ChangeSignal(_time, Interval);
        var calls = 0;
        using var _ = signal.Subscribe(() => calls++);

        signal.Notify();

        Assert.Equal(1, calls);
    }

    [Fact]
    public void Notify_BurstWithinInterval_MergesIntoOneCall()
    {
        using var signal = new ChangeSignal(_time, Interval);
        var calls = 0;
        using var _ = signal.Subscribe(() => calls++);
        signal.Notify();

        for (var i = 0; i < 10; i++)
        {
            signal.Notify();
        }

        Assert.Equal(1, calls);
        _time.Advance(Interval - TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, calls);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(2, calls);
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(2, calls);
        Assert.Equal(9, signal.Merged);
        Assert.Equal(11, signal.Version);
    }

    [Fact]
    public void Notify_Continuously_AtMostOneCallPerInterval()
    {
        using var signal = new ChangeSignal(_time, Interval);
        var firedAt = new List<DateTimeOffset>();
        using var _ = signal.Subscribe(() => firedAt.Add(_time.GetUtcNow()));

        for (var i = 0; i < 200; i++)
        {
            signal.Notify();
            _time.Advance(TimeSpan.FromMilliseconds(10));
        }

        Assert.InRange(firedAt.Count, 7, 9);   // 2 s of changes, one call per 250 ms
        Assert.All(firedAt.Zip(firedAt.Skip(1)), pair => Assert.True(pair.Second - pair.First >= Interval, $"{pair.First:O} then {pair.Second:O}"));
    }

    [Fact]
    public void Notify_ThrowingSubscriber_OthersStillCalled()
    {
        using var signal = new ChangeSignal(_time, Interval);
        var calls = 0;
        using var bad = signal.Subscribe(() => throw new InvalidOperationException("view is gone"));
        using var good = signal.Subscribe(() => calls++);

        signal.Notify();
        signal.Notify();
        _time.Advance(Interval);

        Assert.Equal(2, calls);
    }

    [Fact]
    public void Subscribe_Disposed_NoMoreCalls()
    {
        using var signal = new ChangeSignal(_time, Interval);
        var calls = 0;
        var subscription = signal.Subscribe(() => calls++);
        signal.Notify();

        subscription.Dispose();
        _time.Advance(Interval);
        signal.Notify();

        Assert.Equal(1, calls);
    }
}
