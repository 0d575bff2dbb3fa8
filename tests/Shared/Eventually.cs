namespace CiliumDash.Testing;

/// <summary>Awaits a condition instead of sleeping: polls on a timer until true, or fails with what was awaited.</summary>
public static class Eventually
{
    public static async Task<T> Value<T>(Func<Task<T?>> probe, string what, TimeSpan? timeout = null)
        where T : class
    {
        var limit = timeout ?? TimeSpan.FromSeconds(20);
        using var cts = new CancellationTokenSource(limit);
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        Exception? last = null;
        do
        {
            try
            {
                if (await probe() is { } value)
                {
                    return value;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                last = ex;
            }
        }
        while (await WaitAsync(timer, cts.Token));

        throw new TimeoutException($"timed out after {limit.TotalSeconds:0}s waiting for {what}" + (last is null ? "" : $" (last error: {last.Message})"));
    }

    public static async Task True(Func<Task<bool>> condition, string what, TimeSpan? timeout = null) =>
        await Value<object>(async () => await condition() ? new object() : null, what, timeout);

    public static Task True(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        True(() => Task.FromResult(condition()), what, timeout);

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken ct)
    {
        try
        {
            return await timer.WaitForNextTickAsync(ct);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
