using CiliumDash.Protocols.Hubble;
using CiliumDash.Protocols.Hubble.ObserverApi;
using CiliumDash.Simulator.Cluster;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Hosting;

namespace CiliumDash.Simulator.Relay;

/// <summary>
/// Fills the rings at <c>FlowsPerSecond</c>, paced by the cluster's clock in batches every 50 ms. At high rates the
/// datapath's perf buffer overflows now and then, so every 10 s one node reports a <c>lost_events</c> entry.
/// </summary>
internal sealed class FlowGenerationService(RelayState state) : BackgroundService
{
    private readonly SimulatedCluster _cluster = state.Cluster;
    private readonly FlowHub _hub = state.Hub;
    private readonly FlowGenerator _generator = state.Generator;

    public static readonly TimeSpan BatchInterval = TimeSpan.FromMilliseconds(50);
    public static readonly TimeSpan LostEventsInterval = TimeSpan.FromSeconds(10);

    /// <summary>Cluster-wide rate from which lost events appear (a 4-CPU node's perf buffer copes with less).</summary>
    public const double LostEventsThreshold = 10_000;

    private PendingEvent[] _batch = [];
    private long _lostEvents;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var rate = Math.Min(_cluster.Options.FlowsPerSecond, SimulatorOptions.MaxFlowsPerSecond);
        if (_cluster.IsReplay || rate <= 0 || _generator.IsEmpty)
        {
            return;
        }

        var time = _cluster.Time;
        var start = time.GetUtcNow();
        var lastNanos = UnixNanos(start);
        var nextLost = start + LostEventsInterval;
        using var timer = new PeriodicTimer(BatchInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var now = time.GetUtcNow();
                var due = (long)((now - start).TotalSeconds * rate) - _generator.Generated;
                // After a stall (debugger, suspended VM) catch up at most one second instead of flooding the rings.
                var count = (int)Math.Clamp(due, 0, Math.Max(1, (long)rate));
                var nowNanos = UnixNanos(now);
                GenerateBatch(count, lastNanos, nowNanos);
                lastNanos = nowNanos;
                if (now >= nextLost)
                {
                    nextLost = now + LostEventsInterval;
                    if (rate >= LostEventsThreshold)
                    {
                        AppendLostEvent(now, rate);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // host shutdown
        }
    }

    /// <summary>Appends <paramref name="count"/> flows with times spread evenly over (fromNanos, toNanos].</summary>
    public void GenerateBatch(int count, long fromNanos, long toNanos)
    {
        if (count <= 0)
        {
            return;
        }

        if (_batch.Length < count)
        {
            _batch = new PendingEvent[Math.Max(count, _batch.Length * 2)];
        }

        var step = Math.Max(1, (toNanos - fromNanos) / count);
        for (var i = 0; i < count; i++)
        {
            var template = _generator.Next(out var index);
            _batch[i] = new PendingEvent(template.Ring, Math.Min(toNanos, fromNanos + step * (i + 1)), template, index, IsFlow: true);
        }

        _hub.Append(_batch.AsSpan(0, count));
    }

    private void AppendLostEvent(DateTimeOffset now, double rate)
    {
        var n = _lostEvents++;
        var node = _cluster.Nodes[(int)(n % _cluster.Nodes.Count)];
        var time = Timestamp.FromDateTimeOffset(now);
        var lost = new GetFlowsResponse
        {
            LostEvents = new LostEvent
            {
                Source = LostEventSource.PerfEventRingBuffer,
                NumEventsLost = (ulong)(rate / 1000 * (1 + n % 7)),
                Cpu = (int)(n % Math.Max(1, node.Cpus)),
            },
            NodeName = node.Name,
            Time = time,
        };
        var ring = _hub.RingFor(node.Name);
        _hub.Append([new PendingEvent(ring, UnixNanos(now), lost, 0, IsFlow: false)]);
    }

    public static long UnixNanos(DateTimeOffset t) => (t.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;
}
