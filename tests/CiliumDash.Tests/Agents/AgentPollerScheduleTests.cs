using CiliumDash.Agents;
using CiliumDash.Configuration;
using CiliumDash.Connectivity;
using CiliumDash.Shared;
using CiliumDash.Testing;
using CiliumDash.Tests.Simulator.Kubernetes;
using k8s;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CiliumDash.Tests.Agents;

/// <summary>
/// The poller against the Kubernetes stand-in through the real client (exec over WebSocket), on a fake clock: the
/// clock moves only when every node that can is waiting for its next read, so reads are counted per interval exactly.
/// </summary>
#pragma warning disable CA1001 // xunit disposes the fields in IAsyncLifetime.DisposeAsync, which the rule does not see
public sealed class AgentPollerScheduleTests : IAsyncLifetime
#pragma warning restore CA1001
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private StandInHost? _standIn;
    private ClusterStore? _store;
    private ConnectivityStore? _connectivity;
    private AgentStatusPoller? _poller;
    private bool _standInStopped;

    public Task InitializeAsync() => Task.CompletedTask;

    [Fact]
    public async Task OneNodeHangs_HealthyNodesReadEveryIntervalFromTheirLastRead()
    {
        // Two slots for three nodes: the hung node may hold one, never both.
        var (store, hung, healthy) = await StartAsync(maxConcurrentExecs: 2, hanging: 1);
        await Eventually.True(() => healthy.All(n => store.GetNode(n)?.LastUpdated == _time.GetUtcNow()), "the first reads");
        var reads = healthy.ToDictionary(n => n, _ => new List<DateTimeOffset> { _time.GetUtcNow() });

        for (var tick = 1; tick <= 6; tick++)
        {
            await WaitForHealthyToWaitAsync(healthy);
            _time.Advance(Interval);
            var now = _time.GetUtcNow();
            await Eventually.True(() => healthy.All(n => store.GetNode(n)?.LastUpdated == now), $"the healthy nodes' reads at tick {tick}");
            foreach (var node in healthy)
            {
                reads[node].Add(now);
            }
        }

        foreach (var (node, times) in reads)
        {
            var gaps = times.Zip(times.Skip(1), (a, b) => b - a).ToList();
            Assert.All(gaps, g => Assert.InRange(g, Interval * 0.8, Interval * 1.2));
            Assert.Null(store.GetNode(node)!.Error);
            Assert.Equal(8130700L * 1024, store.GetNode(node)!.MemoryBytes);   // the Node's status.capacity.memory, for map sizing
        }

        // The hung node's reads time out (2 × ExecTimeout on the same clock) and say so; it was never read.
        Assert.Null(store.GetNode(hung)?.LastUpdated);
        Assert.StartsWith("timed out after 1s", store.GetNode(hung)?.Error, StringComparison.Ordinal);
        Assert.InRange(store.PollMetrics.Snapshot().Single(p => p.Key == hung).Value.Polls, 2, 6);
    }

    [Fact]
    public async Task KubernetesApiDown_NodesOlderThanTwoIntervalsStaleWithTheReason()
    {
        var (store, _, nodes) = await StartAsync(maxConcurrentExecs: 4, hanging: 0);
        await Eventually.True(() => nodes.All(n => store.GetNode(n)?.LastUpdated is not null && store.GetNode(n)!.Error is null), "every node read");
        var lastRead = _time.GetUtcNow();

        await StopStandInAsync();

        // Each probe moves the clock a second: discovery fails, retries, and the rule applies once reads are 2 intervals old.
        await Eventually.True(() =>
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            return store.AgentSource.State == SourceState.Reconnecting
                && nodes.All(n => store.GetNode(n)!.Error?.StartsWith("Kubernetes API unreachable: ", StringComparison.Ordinal) == true);
        }, "every node stale with the reason", TimeSpan.FromSeconds(60));

        foreach (var node in nodes.Select(n => store.GetNode(n)!))
        {
            Assert.True(node.Stale);
            Assert.Equal(lastRead, node.LastUpdated);
        }

        Assert.NotNull(store.AgentSource.LastError);
    }

    public async Task DisposeAsync()
    {
        if (_poller is not null)
        {
            await _poller.StopAsync(CancellationToken.None);
            _poller.Dispose();
        }

        _store?.Dispose();
        _connectivity?.Dispose();
        await StopStandInAsync();
    }

    private async Task<(ClusterStore Store, string Hung, string[] Healthy)> StartAsync(int maxConcurrentExecs, int hanging)
    {
        _standIn = await StandInHost.StartAsync(nodes: 3);
        var names = _standIn.Cluster.Nodes.Select(n => n.Name).ToArray();
        var hung = hanging > 0 ? names[^1] : "";
        _standIn.Cluster.Faults.HangingExecNodes = hanging > 0 ? new HashSet<string> { hung } : new HashSet<string>();
        var options = new CiliumDashOptions
        {
            Source = DataSource.Kubernetes,
            Kubernetes = { PollInterval = Interval, ExecTimeout = TimeSpan.FromSeconds(1), MaxConcurrentExecs = maxConcurrentExecs },
        };
        _store = new ClusterStore(_time, "test");
        _connectivity = new ConnectivityStore(_time, options.Connectivity);
        var config = KubernetesClientConfiguration.BuildConfigFromConfigFile(_standIn.KubeconfigPath);
        var connection = new ClusterConnection();
        connection.Set(new ClusterEndpoints(config, null, false, "stand-in"));
        _poller = new AgentStatusPoller(e => new KubernetesAgentSource(new Kubernetes(e.Kubernetes!), options.Kubernetes, e.Description), connection,
            _store, _connectivity, Options.Create(options), _time, NullLogger<AgentStatusPoller>.Instance);
        await _poller.StartAsync(CancellationToken.None);
        return (_store, hung, names.Where(n => n != hung).ToArray());
    }

    private async Task WaitForHealthyToWaitAsync(IEnumerable<string> nodes) =>
        await Eventually.True(() => _poller!.Schedule is { } s && nodes.All(s.IsWaiting), "the healthy nodes waiting for their next read");

    private async Task StopStandInAsync()
    {
        if (_standIn is not null && !_standInStopped)
        {
            _standInStopped = true;
            await _standIn.DisposeAsync();
        }
    }
}
