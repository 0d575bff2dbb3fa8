namespace CiliumDash.Shared;

/// <summary>Reconnect delays of a watch-with-recovery loop: 1 s doubling to 15 s, reset on the first good message.</summary>
public sealed class Backoff
{
    public static readonly TimeSpan Initial = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan Max = TimeSpan.FromSeconds(15);

    private TimeSpan _next = Initial;

    public TimeSpan Next()
    {
        var current = _next;
        _next = TimeSpan.FromTicks(Math.Min(Max.Ticks, _next.Ticks * 2));
        return current;
    }

    public void Reset() => _next = Initial;
}
