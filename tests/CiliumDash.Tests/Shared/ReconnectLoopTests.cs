using System.Collections.Concurrent;
using CiliumDash.Flows;
using CiliumDash.Shared;
using CiliumDash.Testing;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace CiliumDash.Tests.Shared;

/// <summary>The shared reconnect loop under a fake clock, with the relay's policy (the one with the tightest promises).</summary>
public sealed class ReconnectLoopTests
{
    private static readonly RpcException Unavailable = new(new Status(StatusCode.Unavailable, "connection refused"));

    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly CountingTime _timers;
    private readonly RecordingLogger _log = new();
    private readonly ConcurrentQueue<ReconnectFailure> _failures = new();

    public ReconnectLoopTests() => _timers = new CountingTime(_time);

    [Fact]
    public async Task TransientFailures_DelaysJitteredAndNeverOver2Seconds()
    {
        using var stop = new CancellationTokenSource();
        var loop = Loop();
        var run = loop.RunAsync(_ => throw Unavailable, stop.Token);

        for (var attempt = 1; attempt <= 30; attempt++)
        {
            await Eventually.True(() => _failures.Count == attempt && _timers.Created == attempt, $"failure {attempt}");
            _time.Advance(_failures.Last().Delay);
        }

        await stop.CancelAsync();
        await run;
        var delays = _failures.Take(30).Select(f => f.Delay).ToList();
        Assert.All(delays, d => Assert.InRange(d, TimeSpan.FromTicks(1), TimeSpan.FromSeconds(2)));
        // Jitter: the growing part is not the bare 0.2/0.4/0.8/1.6 s doubling.
        Assert.NotEqual([0.2, 0.4, 0.8, 1.6], delays.Take(4).Select(d => Math.Round(d.TotalSeconds, 3)));
        Assert.Equal(TimeSpan.FromSeconds(2), delays.Max());
        Assert.All(_failures, f => Assert.Equal(FailureKind.Transient, f.Kind));
        Assert.Equal(Enumerable.Range(1, 30), _failures.Take(30).Select(f => f.Attempts));
    }

    [Theory]
    [InlineData(StatusCode.Unimplemented)]
    [InlineData(StatusCode.PermissionDenied)]
    [InlineData(StatusCode.Unauthenticated)]
    public async Task Misconfiguration_RetriedEvery60SecondsNotBefore(StatusCode code)
    {
        using var stop = new CancellationTokenSource();
        var loop = Loop();
        var calls = 0;
        var run = loop.RunAsync(_ =>
        {
            Interlocked.Increment(ref calls);
            throw new RpcException(new Status(code, "nope"));
        }, stop.Token);

        await Eventually.True(() => _failures.Count == 1 && _timers.Created == 1, "the first failure");
        Assert.Equal(FailureKind.Persistent, _failures.Single().Kind);
        Assert.Equal(TimeSpan.FromSeconds(60), _failures.Single().Delay);
        _time.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(1, Volatile.Read(ref calls));
        _time.Advance(TimeSpan.FromSeconds(1));
        await Eventually.True(() => _failures.Count == 2, "the second attempt a minute later");

        await stop.CancelAsync();
        await run;
        Assert.Equal(2, Volatile.Read(ref calls));
    }

    [Fact]
    public async Task ManyFailuresInAMinute_OneWarningWithTheAttemptCount()
    {
        using var stop = new CancellationTokenSource();
        var loop = Loop();
        var run = loop.RunAsync(_ => throw Unavailable, stop.Token);
        for (var count = 1; ; count++)
        {
            await Eventually.True(() => _failures.Count == count && _timers.Created == count, $"failure {count}");
            var delay = _failures.Last().Delay;
            if (_time.GetUtcNow() + delay - _time.Start >= ReconnectPolicy.WarningInterval)
            {
                break;
            }

            _time.Advance(delay);
        }

        Assert.True(_failures.Count >= 25, $"{_failures.Count} failures in a minute");
        Assert.Single(_log.Warnings);
        _time.Advance(_failures.Last().Delay);
        await Eventually.True(() => _log.Warnings.Count == 2, "the next minute's warning");

        await stop.CancelAsync();
        await run;
        Assert.Contains($"failed {_failures.Last().Attempts} time(s) in a row", _log.Warnings.Last(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RetryNow_DuringAWait_NextAttemptWithoutTheClockMoving()
    {
        using var stop = new CancellationTokenSource();
        var loop = Loop();
        var calls = 0;
        var run = loop.RunAsync(_ =>
        {
            Interlocked.Increment(ref calls);
            throw new RpcException(new Status(StatusCode.PermissionDenied, "nope"));
        }, stop.Token);
        await Eventually.True(() => loop.Waiting && _timers.Created == 1, "a 60 s wait");

        loop.RetryNow();

        await Eventually.True(() => Volatile.Read(ref calls) == 2, "an attempt now");
        await stop.CancelAsync();
        await run;
        Assert.Equal(_time.Start, _time.GetUtcNow());
    }

    [Fact]
    public async Task ConnectionThatWorkedEnds_NextStartsAtOnceWithAttemptsReset()
    {
        using var stop = new CancellationTokenSource();
        var loop = Loop();
        var calls = 0;
        var run = loop.RunAsync(_ =>
        {
            return Interlocked.Increment(ref calls) == 2 ? ValueTask.CompletedTask : throw Unavailable;
        }, stop.Token);

        await Eventually.True(() => _failures.Count == 1 && _timers.Created == 1, "a failure");
        _time.Advance(_failures.Single().Delay);
        // The 2nd connection works and ends; the 3rd starts at once (the clock stays) and fails as a first attempt.
        await Eventually.True(() => _failures.Count == 2, "a failure after the good connection");

        await stop.CancelAsync();
        await run;
        Assert.Equal(1, _failures.Last().Attempts);
    }

    [Fact]
    public async Task FatalError_LoopEndsThrowingIt()
    {
        var loop = Loop();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => loop.RunAsync(_ => throw new InvalidOperationException("defect"), CancellationToken.None));

        Assert.Equal("defect", error.Message);
        Assert.Empty(_failures);
    }

    private ReconnectLoop Loop() => new(RelayFlowSource.Policy("http://127.0.0.1:4245", null), _timers, _log, _failures.Enqueue);

    /// <summary>The fake clock, counting the timers made on it: a test moves the clock only once the loop's delay exists.</summary>
    private sealed class CountingTime(FakeTimeProvider fake) : TimeProvider
    {
        private int _created;

        public int Created => Volatile.Read(ref _created);

        public override DateTimeOffset GetUtcNow() => fake.GetUtcNow();

        public override long GetTimestamp() => fake.GetTimestamp();

        public override long TimestampFrequency => fake.TimestampFrequency;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = fake.CreateTimer(callback, state, dueTime, period);
            Interlocked.Increment(ref _created);
            return timer;
        }
    }

    private sealed class RecordingLogger : ILogger
    {
        private readonly ConcurrentQueue<string> _warnings = new();

        public ConcurrentQueue<string> Warnings => _warnings;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel == LogLevel.Warning)
            {
                _warnings.Enqueue(formatter(state, exception));
            }
        }
    }
}
