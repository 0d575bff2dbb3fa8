using CiliumDash.Simulator.Cluster;
using CiliumDash.Simulator.Kubernetes;
using k8s;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CiliumDash.Tests.Simulator.Kubernetes;

/// <summary>
/// The Kubernetes stand-in on a real Kestrel socket (127.0.0.1, ephemeral port), a kubeconfig pointing at it, and a
/// KubernetesClient built from that kubeconfig. The app does not call UseWebSockets itself: the stand-in's
/// registration must add it.
/// </summary>
internal sealed class StandInHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _directory;

    private StandInHost(WebApplication app, SimulatedCluster cluster, Uri server, string directory)
    {
        _app = app;
        Cluster = cluster;
        Server = server;
        _directory = directory;
        KubeconfigPath = Path.Combine(directory, "kubeconfig");
        KubeconfigWriter.Write(KubeconfigPath, server);
        Client = new k8s.Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(KubeconfigPath));
    }

    public SimulatedCluster Cluster { get; }

    public Uri Server { get; }

    public string KubeconfigPath { get; }

    public k8s.Kubernetes Client { get; }

    public int ActiveExecs => _app.Services.GetRequiredService<ClusterObjects>().ActiveExecs;

    public SimNode Node(int index) => Cluster.Nodes[index];

    public static async Task<StandInHost> StartAsync(
        int nodes = 3,
        WireShape shape = WireShape.Cilium112,
        IEnumerable<string>? crashLooping = null,
        IEnumerable<string>? hanging = null,
        TimeProvider? time = null)
    {
        var faults = new SimulatorFaults
        {
            CrashLoopingNodes = new HashSet<string>(crashLooping ?? []),
            HangingExecNodes = new HashSet<string>(hanging ?? []),
        };
        var cluster = new SimulatedCluster(new SimulatorOptions { Nodes = nodes, Shape = shape, Faults = faults }, time);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddKubernetesStandIn(cluster);
        var app = builder.Build();
        app.MapKubernetesStandIn();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var directory = Directory.CreateTempSubdirectory("kube-standin-").FullName;
        return new StandInHost(app, cluster, new Uri(address), directory);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}

internal static class Eventually
{
    /// <summary>Polls a condition until it holds, failing after <paramref name="timeout"/>.</summary>
    public static async Task TrueAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        using var cts = new CancellationTokenSource(timeout);
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        while (!condition())
        {
            try
            {
                await timer.WaitForNextTickAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"Timed out after {timeout} waiting for: {what}");
            }
        }
    }
}
