using System.Net;
using CiliumDash.Configuration;
using CiliumDash.Events;
using CiliumDash.Testing;
using CiliumDash.Shared;
using CiliumDash.Simulator.Cluster;
using CiliumDash.Simulator.Hosting;
using k8s;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CiliumDash.Tests.Events;

/// <summary>The simulator's Kubernetes stand-in on loopback and the dashboard's event watches on a real KubernetesClient.</summary>
internal sealed class EventsWatchHarness : IAsyncDisposable
{
    private readonly SimulatorHost _host;
    private readonly Kubernetes _client;
    private CancellationTokenSource? _run;
    private Task? _running;

    private EventsWatchHarness(SimulatorHost host)
    {
        _host = host;
        _client = new Kubernetes(new KubernetesClientConfiguration { Host = host.KubeUrl.ToString().TrimEnd('/'), AccessToken = "simulated" });
        Store = new ClusterEventStore(TimeProvider.System, 1000);
        using var watcher = new KubernetesEventWatcher(new ClusterConnection(), Store, Options.Create(new CiliumDashOptions()), TimeProvider.System,
            NullLogger<KubernetesEventWatcher>.Instance);
        Watches = watcher.Watches(_client, new KubernetesOptions());
    }

    public SimulatedCluster Cluster => _host.Cluster;

    public Kubernetes Client => _client;

    public ClusterEventStore Store { get; }

    public IReadOnlyList<IKindWatch> Watches { get; }

    public static async Task<EventsWatchHarness> StartAsync()
    {
        var loopback = new IPEndPoint(IPAddress.Loopback, 0);
        var cluster = new SimulatedCluster(new SimulatorOptions { Nodes = 3, FlowsPerSecond = 0 });
        return new EventsWatchHarness(await SimulatorHost.StartAsync(cluster, loopback, loopback));
    }

    /// <summary>Lists every kind, then keeps watching until <see cref="StopAsync"/>; returns once every kind has listed.</summary>
    public async Task StartWatchingAsync()
    {
        _run = new CancellationTokenSource();
        var listed = Watches.Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToList();
        _running = Task.WhenAll(Watches.Select((w, i) => Task.Run(async () =>
        {
            try
            {
                await w.RunAsync(() => listed[i].TrySetResult(), _run.Token);
            }
            catch (OperationCanceledException) when (_run.IsCancellationRequested)
            {
                // stopped
            }
        })));
        await Task.WhenAll(listed.Select(l => l.Task)).WaitAsync(TimeSpan.FromSeconds(20));
    }

    public async Task StopAsync()
    {
        if (_run is not null)
        {
            await _run.CancelAsync();
            await _running!.WaitAsync(TimeSpan.FromSeconds(20));
            _run.Dispose();
            _run = null;
        }
    }

    public IReadOnlyList<ClusterEvent> Events() => Store.Query(new ClusterEventQuery(), AccessScope.All);

    public Task<ClusterEvent> AwaitEvent(ClusterEventKind kind, string name) =>
        Eventually.Value(() => Task.FromResult(Events().FirstOrDefault(e => e.Kind == kind && e.Name == name)),
            $"a {ClusterEvent.WireName(kind)} event for {name}");

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _client.Dispose();
        Store.Dispose();
        await _host.DisposeAsync();
    }
}
