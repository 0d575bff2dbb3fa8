using CiliumDash.Hosting;
using CiliumDash.Shared;

namespace CiliumDash.Tests.Shared;

public sealed class BackoffTests
{
    [Fact]
    public void Next_DoublesUpTo15Seconds()
    {
        var backoff = new Backoff();

        var delays = Enumerable.Range(0, 6).Select(_ => backoff.Next().TotalSeconds);

        Assert.Equal([1, 2, 4, 8, 15, 15], delays);
    }

    [Fact]
    public void Reset_StartsAgainAtOneSecond()
    {
        var backoff = new Backoff();
        backoff.Next();
        backoff.Next();
        backoff.Next();

        backoff.Reset();

        Assert.Equal(TimeSpan.FromSeconds(1), backoff.Next());
        Assert.Equal(TimeSpan.FromSeconds(2), backoff.Next());
    }
}
