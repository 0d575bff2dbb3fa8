using CiliumDash.Simulator.Cluster;
using CiliumDash.Simulator.Hosting;
using CiliumDash.Simulator.Kubernetes;
using k8s;
using Microsoft.Extensions.DependencyInjection;

namespace CiliumDash.Tests.Simulator.Kubernetes;

/// <summary>
/// The Kubernetes stand-in hosted by <see cref="SimulatorHost"/> as the app does (127.0.0.1, ephemeral port), a
/// kubeconfig pointing at it, and a KubernetesClient built from that kubeconfig. The host does not call UseWebSockets:
/// the stand-in's registration adds it.
/// </summary>
internal sealed class StandInHost : IAsyncDisposable
{
    private readonly SimulatorHost _host;
    private readonly string _directory;

    private StandInHost(SimulatorHost host, SimulatedCluster cluster, Uri server, string directory)
    {
        _host = host;
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

    public int ActiveExecs => _host.KubeServices.GetRequiredService<ClusterObjects>().ActiveExecs;

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
        var loopback = new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0);
        var host = await SimulatorHost.StartAsync(cluster, loopback, loopback);
        var directory = Directory.CreateTempSubdirectory("kube-standin-").FullName;
        return new StandInHost(host, cluster, host.KubeUrl, directory);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _host.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
