using System.Net;
using CiliumDash.Configuration;
using CiliumDash.Simulator.Cluster;
using CiliumDash.Simulator.Hosting;
using k8s;
using Microsoft.Extensions.Options;
using CiliumDash.Shared;

namespace CiliumDash.Hosting;

/// <summary>
/// Resolves where the sources connect before they start: the configured cluster, or an in-process simulated cluster
/// on loopback ephemeral ports that the same Kubernetes and gRPC clients then talk to.
/// </summary>
public sealed class ConnectionSetup(
    ClusterConnection connection,
    IOptions<CiliumDashOptions> options,
    TimeProvider time,
    ILogger<ConnectionSetup> logger) : IHostedService, IAsyncDisposable
{
    private SimulatorHost? _simulator;

    /// <summary>The running simulator when Source=Simulator (tests switch its faults on and off).</summary>
    public SimulatedCluster? Simulator => _simulator?.Cluster;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        try
        {
            switch (o.Source)
            {
                case DataSource.Simulator:
                    await StartSimulatorAsync(o.Simulator, cancellationToken);
                    break;
                case DataSource.Kubernetes:
                    var config = !string.IsNullOrEmpty(o.Kubernetes.Kubeconfig)
                        ? KubernetesClientConfiguration.BuildConfigFromConfigFile(o.Kubernetes.Kubeconfig, o.Kubernetes.Context)
                        : KubernetesClientConfiguration.IsInCluster()
                            ? KubernetesClientConfiguration.InClusterConfig()
                            : KubernetesClientConfiguration.BuildDefaultConfig();
                    connection.Set(new ClusterEndpoints(config, o.Relay.Address, false, $"Kubernetes API {config.Host}"));
                    logger.LogInformation("Reading Cilium from the Kubernetes API at {Host}, namespace {Namespace}", config.Host, o.Kubernetes.Namespace);
                    break;
                default:
                    connection.Set(new ClusterEndpoints(null, o.Relay.Address, false, "local agent sockets"));
                    break;
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The process keeps serving: pages show this error instead of data.
            logger.LogError("Cannot connect to the cluster: {ErrorType}: {Error}", ex.GetType().Name, ex.Message);
            logger.LogDebug(ex, "Cannot connect to the cluster");
            connection.Fail(new InvalidOperationException($"cannot connect to the cluster: {ex.Message}", ex));
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_simulator is not null)
        {
            await _simulator.DisposeAsync();
        }
    }

    private async Task StartSimulatorAsync(SimulatorSettings s, CancellationToken ct)
    {
        var cluster = new SimulatedCluster(new SimulatorOptions
        {
            Nodes = s.Nodes,
            FlowsPerSecond = s.FlowsPerSecond,
            Seed = s.Seed,
            Shape = s.Shape,
            Scenario = string.IsNullOrEmpty(s.Scenario) ? null : s.Scenario,
            ChangeEvery = s.ChangeEverySeconds > 0 ? TimeSpan.FromSeconds(s.ChangeEverySeconds) : null,
        }, time);
        var loopback = new IPEndPoint(IPAddress.Loopback, 0);
        _simulator = await SimulatorHost.StartAsync(cluster, loopback, loopback, ct: ct);
        var kube = new KubernetesClientConfiguration { Host = _simulator.KubeUrl.ToString().TrimEnd('/'), AccessToken = "simulated" };
        var what = cluster.IsReplay ? $"recorded cluster {s.Scenario}" : $"simulated cluster ({cluster.Nodes.Count} nodes, Cilium {cluster.CiliumVersion})";
        connection.Set(new ClusterEndpoints(kube, _simulator.RelayUrl.ToString().TrimEnd('/'), true, what) { Replay = cluster.IsReplay });
        logger.LogInformation("Started the {What}: Kubernetes API {Kube}, hubble-relay {Relay}", what, _simulator.KubeUrl, _simulator.RelayUrl);
    }
}
