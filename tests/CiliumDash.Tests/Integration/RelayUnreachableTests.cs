using System.Net;
using System.Net.Sockets;
using CiliumDash.Simulator.Cluster;
using CiliumDash.Simulator.Hosting;
using CiliumDash.Simulator.Kubernetes;
using CiliumDash.Testing;

namespace CiliumDash.Tests.Integration;

/// <summary>
/// The Kubernetes source against a separately started simulator (as a real cluster would be reached: a kubeconfig),
/// with hubble-relay pointing at a closed loopback port: agents work, flows say why they do not.
/// </summary>
#pragma warning disable CA1001 // xunit disposes the fields in IAsyncLifetime.DisposeAsync, which the rule does not see
public sealed class RelayUnreachableTests : IAsyncLifetime
#pragma warning restore CA1001
{
    private readonly string _kubeconfig = Path.Combine(Path.GetTempPath(), $"ciliumdash-test-{Guid.NewGuid():N}.kubeconfig");
    private SimulatorHost? _simulator;
    private DashboardServer? _dashboard;
    private int _closedPort;

    public async Task InitializeAsync()
    {
        var loopback = new IPEndPoint(IPAddress.Loopback, 0);
        _simulator = await SimulatorHost.StartAsync(new SimulatedCluster(new SimulatorOptions { FlowsPerSecond = 0 }), loopback, loopback);
        KubeconfigWriter.Write(_kubeconfig, _simulator.KubeUrl);
        _closedPort = ClosedLoopbackPort();
        _dashboard = new DashboardServer(new Dictionary<string, string?>
        {
            ["CiliumDash:Source"] = "Kubernetes",
            ["CiliumDash:Kubernetes:Kubeconfig"] = _kubeconfig,
            ["CiliumDash:Relay:Address"] = $"http://127.0.0.1:{_closedPort}",
        });
    }

    [Fact]
    public async Task KubernetesSource_RelayPortClosed_ReconnectingWithReasonWhileNodesArrive()
    {
        using var client = _dashboard!.CreateLoopbackClient();

        var cluster = await Api.WaitForAsync(client, "/api/v1/cluster",
            c => c.GetProperty("relay").GetProperty("state").GetString() == "Reconnecting" && c.GetProperty("nodes").GetProperty("ready").GetInt32() == 2,
            "relay reconnecting and two ready nodes", TimeSpan.FromSeconds(30));

        var relay = cluster.GetProperty("relay");
        Assert.Contains($"hubble-relay not reachable at http://127.0.0.1:{_closedPort}", relay.GetProperty("lastError").GetString());
        Assert.False(cluster.GetProperty("simulated").GetBoolean());
        Assert.StartsWith("Kubernetes API http://127.0.0.1:", cluster.GetProperty("source").GetString());
        Assert.Equal("Connected", cluster.GetProperty("agents").GetProperty("state").GetString());
        var nodes = await Api.GetAsync(client, "/api/v1/nodes");
        Assert.Equal(["fedora", "knode1"], nodes.EnumerateArray().Select(n => n.GetProperty("name").GetString()));
    }

    public async Task DisposeAsync()
    {
        _dashboard?.Dispose();
        if (_simulator is not null)
        {
            await _simulator.DisposeAsync();
        }

        File.Delete(_kubeconfig);
    }

    /// <summary>A loopback port nothing listens on: bound once to get a free number, then released.</summary>
    private static int ClosedLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
