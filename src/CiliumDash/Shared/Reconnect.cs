using Polly;
using Polly.Retry;

namespace CiliumDash.Shared;

/// <summary>How a source judges one failure: retry soon, retry slowly because only a person can fix it, or stop.</summary>
public enum FailureKind
{
    /// <summary>Likely to pass (unreachable, reset, restarting): jittered exponential backoff.</summary>
    Transient,

    /// <summary>Needs a configuration or RBAC change (unimplemented, permission denied, unauthenticated, TLS): retried every <see cref="ReconnectPolicy.PersistentDelay"/>.</summary>
    Persistent,

    /// <summary>Cannot recover in this process: the loop ends and the source reports <see cref="SourceState.Failed"/>.</summary>
    Fatal,
}

/// <summary>The retry shape of one source's loop.</summary>
/// <param name="Source">the name in log lines (hubble-relay, agents).</param>
/// <param name="FirstDelay">the median first backoff delay; later ones grow exponentially, with jitter.</param>
/// <param name="MaxDelay">the cap of transient delays: a source that is back is reached again within it.</param>
/// <param name="Classify">the source's own judgement of an exception.</param>
/// <param name="Describe">the message the user reads for an exception (the cause and the fix).</param>
public sealed record ReconnectPolicy(string Source, TimeSpan FirstDelay, TimeSpan MaxDelay, Func<Exception, FailureKind> Classify, Func<Exception, string> Describe)
{
    /// <summary>Failures only a person can fix are retried this often: no tight loop, and fixed without a restart.</summary>
    public static readonly TimeSpan PersistentDelay = TimeSpan.FromSeconds(60);

    /// <summary>At most one warning per source per this interval; the others go to Debug, counted in the next warning.</summary>
    public static readonly TimeSpan WarningInterval = TimeSpan.FromMinutes(1);
}

/// <summary>One failed attempt, as the source shows it.</summary>
/// <param name="Message">the policy's description of <paramref name="Error"/>.</param>
/// <param name="Attempts">failed attempts since the last success.</param>
/// <param name="Delay">how long until the next attempt (unless <see cref="ReconnectLoop.RetryNow"/> cuts it short).</param>
public sealed record ReconnectFailure(Exception Error, string Message, FailureKind Kind, int Attempts, TimeSpan Delay);

/// <summary>
/// The one reconnect loop of the dashboard's sources, on a Polly retry pipeline that runs on the app's
/// <see cref="TimeProvider"/>: a connection runs until it throws (retried with the policy's delays) or returns (it had
/// succeeded, so the next connection starts at once with the backoff reset). Fatal failures end the loop by throwing.
/// </summary>
public sealed class ReconnectLoop
{
    private readonly ReconnectPolicy _policy;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline _pipeline;
    private readonly Action<ReconnectFailure> _onFailure;
    private CancellationTokenSource? _execution;
    private CancellationTokenSource? _wait;
    private DateTimeOffset? _lastWarning;
    private int _attempts;

    public ReconnectLoop(ReconnectPolicy policy, TimeProvider time, ILogger logger, Action<ReconnectFailure> onFailure)
    {
        ArgumentNullException.ThrowIfNull(policy);
        _policy = policy;
        _time = time;
        _logger = logger;
        _onFailure = onFailure;
        _pipeline = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } e && !IsStop(e, args.Context.CancellationToken) && policy.Classify(e) != FailureKind.Fatal),
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = policy.FirstDelay,
                MaxDelay = policy.MaxDelay,
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(
                    args.Outcome.Exception is { } e && policy.Classify(e) == FailureKind.Persistent ? ReconnectPolicy.PersistentDelay : null),
                OnRetry = args =>
                {
                    OnRetry(args.Outcome.Exception!, args.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }

    /// <summary>Failed attempts since the last success.</summary>
    public int Attempts => Volatile.Read(ref _attempts);

    /// <summary>True while the loop waits out a delay (not while a connection runs).</summary>
    public bool Waiting => Volatile.Read(ref _wait) is not null;

    /// <summary>
    /// Runs connections until <paramref name="stop"/> fires. Returns when stopped; throws the fatal exception that ended it.
    /// </summary>
    /// <param name="connect">one connection: throws when it fails; returns after it had worked and then ended.</param>
    public async Task RunAsync(Func<CancellationToken, ValueTask> connect, CancellationToken stop)
    {
        ArgumentNullException.ThrowIfNull(connect);
        while (!stop.IsCancellationRequested)
        {
            using var execution = CancellationTokenSource.CreateLinkedTokenSource(stop);
            Volatile.Write(ref _execution, execution);
            try
            {
                await _pipeline.ExecuteAsync(async ct =>
                {
                    // A running connection is never cut short by RetryNow: only a delay is.
                    Volatile.Write(ref _wait, null);
                    await connect(ct);
                    Volatile.Write(ref _attempts, 0);
                }, execution.Token);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (OperationCanceledException) when (execution.IsCancellationRequested)
            {
                // RetryNow: what the source waits for says it is ready, so the next attempt starts now.
                _logger.LogDebug("{Source}: retrying now instead of waiting out the delay", _policy.Source);
            }
            finally
            {
                Volatile.Write(ref _wait, null);
                Volatile.Write(ref _execution, null);
            }
        }
    }

    /// <summary>Cuts the current delay short (e.g. the relay's endpoints became Ready); ignored while a connection runs.</summary>
    public void RetryNow()
    {
        if (Volatile.Read(ref _wait) is { } wait)
        {
            try
            {
                wait.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The wait ended by itself in the meantime.
            }
        }
    }

    private void OnRetry(Exception error, TimeSpan delay)
    {
        var attempts = Interlocked.Increment(ref _attempts);
        var kind = _policy.Classify(error);
        var message = _policy.Describe(error);
        _onFailure(new ReconnectFailure(error, message, kind, attempts, delay));
        // From here until the next connection starts, RetryNow may cut the delay short.
        Volatile.Write(ref _wait, Volatile.Read(ref _execution));
        var now = _time.GetUtcNow();
        if (_lastWarning is { } last && now - last < ReconnectPolicy.WarningInterval)
        {
            _logger.LogDebug(error, "{Source} failed (attempt {Attempts}), retrying in {Delay}", _policy.Source, attempts, delay);
            return;
        }

        _lastWarning = now;
        _logger.LogWarning("{Source} failed {Attempts} time(s) in a row, retrying in {Delay}: {ErrorType}: {Error}", _policy.Source, attempts, delay, error.GetType().Name, message);
        _logger.LogDebug(error, "{Source} failed (attempt {Attempts})", _policy.Source, attempts);
    }

    private static bool IsStop(Exception e, CancellationToken ct) => e is OperationCanceledException && ct.IsCancellationRequested;
}
