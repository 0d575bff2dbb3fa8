using CiliumDash.Protocols.Hubble.ObserverApi;
using CiliumDash.Simulator.Relay;
using Microsoft.Extensions.Time.Testing;

namespace CiliumDash.Tests.Simulator.Relay;

public sealed class FlowHubTests
{
    private static PendingEvent[] Events(int ring, int count) =>
        Enumerable.Range(0, count).Select(i => new PendingEvent(ring, i, new GetFlowsResponse(), i, IsFlow: true)).ToArray();

    [Fact]
    public void FlowsRate_OverLastMinute_IsSeenFlowsPerSecond()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z"));
        var hub = new FlowHub(["a"], 100, time);

        time.Advance(TimeSpan.FromSeconds(10));
        hub.Append(Events(0, 500));

        Assert.Equal(50, hub.FlowsRate(), precision: 6);
    }

    [Fact]
    public void FlowsRate_OldSamples_LeaveTheWindow()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z"));
        var hub = new FlowHub(["a"], 100, time);
        time.Advance(TimeSpan.FromSeconds(1));
        hub.Append(Events(0, 10_000));

        for (var i = 0; i < 120; i++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            hub.Append(Events(0, 10));
        }

        Assert.InRange(hub.FlowsRate(), 9.5, 10.5);
    }

    [Fact]
    public void Ring_OverCapacity_KeepsNewestAndCountsSeen()
    {
        var hub = new FlowHub(["a", "b"], 8, TimeProvider.System);
        hub.Append(Events(1, 20));

        var slots = new List<RingEntry>();
        var lost = hub.CopyRange(1, 0, null, slots, out var end);

        Assert.Equal(12, lost);
        Assert.Equal(20, end);
        Assert.Equal(Enumerable.Range(12, 8).Select(i => (long)i), slots.Select(s => s.Index));
        Assert.Equal(new RingStats("b", 8, 8, 20), hub.Stats(1));
        Assert.Equal(new RingStats("a", 0, 8, 0), hub.Stats(0));
    }

    [Fact]
    public async Task NextAppend_CompletesOnAppend()
    {
        var hub = new FlowHub(["a"], 8, TimeProvider.System);
        var next = hub.NextAppend;
        Assert.False(next.IsCompleted);

        hub.Append(Events(0, 1));

        await next.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(next.IsCompletedSuccessfully);
    }
}
