using CiliumDash.Protocols.Hubble;
using CiliumDash.Protocols.Hubble.ObserverApi;
using CiliumDash.Simulator.Cluster;
using CiliumDash.Simulator.Relay;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CiliumDash.Tests.Simulator.Relay;

public sealed class FlowGenerationServiceTests
{
    private static readonly string[] SimulatedNodes = ["fedora", "knode1"];

    private static readonly TimeSpan Step = FlowGenerationService.BatchInterval;

    private static (FakeTimeProvider Time, RelayState State) Create(double flowsPerSecond)
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z"));
        var cluster = new SimulatedCluster(new SimulatorOptions { FlowsPerSecond = flowsPerSecond }, time);
        return (time, RelayState.Create(cluster, NullLogger.Instance));
    }

    /// <summary>Advances fake time one batch interval at a time until the condition holds (bounded by real time).</summary>
    private static async Task AdvanceUntilAsync(FakeTimeProvider time, FlowHub hub, Func<bool> condition, TimeSpan? step = null)
    {
        // Real time only bounds a hang; on a loaded machine each step can take its full 200 ms.
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!condition())
        {
            cts.Token.ThrowIfCancellationRequested();
            var next = hub.NextAppend;
            time.Advance(step ?? Step);
            try
            {
                await next.WaitAsync(TimeSpan.FromMilliseconds(200), cts.Token);
            }
            catch (TimeoutException)
            {
                // The service had not armed its timer yet (or this step was not due); the next step fires it.
            }
        }
    }

    private static List<GetFlowsResponse> Stored(RelayState state)
    {
        var slots = new List<RingEntry>();
        for (var ring = 0; ring < state.Hub.RingCount; ring++)
        {
            state.Hub.CopyRange(ring, 0, null, slots, out _);
        }

        return slots.Select(s => FlowHub.ToResponse(s, state.Generator.Ids)).ToList();
    }

    [Fact]
    public async Task Generation_PacedByClock_ProducesConfiguredRate()
    {
        var (time, state) = Create(flowsPerSecond: 1000);
        using var service = new FlowGenerationService(state);
        await service.StartAsync(CancellationToken.None);

        await AdvanceUntilAsync(time, state.Hub, () => state.Generator.Generated >= 2000);

        Assert.InRange(state.Generator.Generated, 2000, 3000);
        await service.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Generation_HighRate_InjectsPerfRingBufferLostEvents()
    {
        var (time, state) = Create(flowsPerSecond: FlowGenerationService.LostEventsThreshold);
        using var service = new FlowGenerationService(state);
        await service.StartAsync(CancellationToken.None);

        // Lost events come every 10 s: whole seconds (the service catches up a second per tick) get there in 10 steps.
        await AdvanceUntilAsync(time, state.Hub, () => Stored(state).Any(r => r.LostEvents is not null), TimeSpan.FromSeconds(1));

        var lost = Stored(state).First(r => r.LostEvents is not null);
        Assert.Equal(LostEventSource.PerfEventRingBuffer, lost.LostEvents.Source);
        Assert.True(lost.LostEvents.NumEventsLost > 0);
        Assert.NotNull(lost.LostEvents.Cpu);
        Assert.Contains(lost.NodeName, SimulatedNodes);
        await service.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Generation_ZeroRate_ProducesNothing()
    {
        var (time, state) = Create(flowsPerSecond: 0);
        using var service = new FlowGenerationService(state);
        await service.StartAsync(CancellationToken.None);
        await (service.ExecuteTask ?? Task.CompletedTask).WaitAsync(TimeSpan.FromSeconds(10));

        time.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(0, state.Generator.Generated);
        Assert.Equal(0ul, state.Hub.Stats(0).SeenFlows);
    }
}
