using System.Net;
using CiliumDash.Configuration;
using CiliumDash.Flows;
using CiliumDash.Shared;
using CiliumDash.Simulator.Cluster;
using CiliumDash.Simulator.Hosting;
using CiliumDash.Testing;
using k8s;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CiliumDash.Tests.Flows.Integration;

/// <summary>
/// The relay source on a frozen fake clock against the simulator (real gRPC and Kubernetes clients): a backoff delay
/// never ends by itself, so only the EndpointSlice watch can bring it back when the relay restarts.
/// </summary>
public sealed class RelayEndpointsTests
{
    [Theory]
    [InlineData("http://hubble-relay.kube-system.svc:80", "kube-system", "hubble-relay")]
    [InlineData("https://hubble-relay.cilium.svc.cluster.local:443", "cilium", "hubble-relay")]
    [InlineData("http://relay.example.test:80", null, null)]
    [InlineData("http://127.0.0.1:4245", null, null)]
    public void ServiceOf_Address_TheServiceToWatch(string address, string? ns, string? name) =>
        Assert.Equal(ns is null ? null : (ns, name!), RelayEndpointsWatch.ServiceOf(address));

    [Fact]
    public async Task RelayRestarts_EndpointsReady_ReconnectsWithoutWaitingOutTheBackoff()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var cluster = new SimulatedCluster(new SimulatorOptions { FlowsPerSecond = 0, Faults = new SimulatorFaults { RelayDown = true } });
        var loopback = new IPEndPoint(IPAddress.Loopback, 0);
        await using var simulator = await SimulatorHost.StartAsync(cluster, loopback, loopback);
        var connection = new ClusterConnection();
        var kube = new KubernetesClientConfiguration { Host = simulator.KubeUrl.ToString().TrimEnd('/'), AccessToken = "test" };
        connection.Set(new ClusterEndpoints(kube, simulator.RelayUrl.ToString().TrimEnd('/'), true, "simulator"));
        using var store = new FlowStore(time, 1000);
        using var source = new RelayFlowSource(connection, store, Options.Create(new CiliumDashOptions()), time, NullLogger<RelayFlowSource>.Instance);
        await source.StartAsync(CancellationToken.None);
        try
        {
            await Eventually.True(() => store.Relay is { State: SourceState.Reconnecting, LastError: not null }, "the relay to be down");

            cluster.Faults.RelayDown = false;

            await Eventually.True(() => store.Relay.State == SourceState.Connected, "a reconnect once the relay's endpoint is Ready");
            Assert.Equal(time.Start, time.GetUtcNow());
        }
        finally
        {
            await source.StopAsync(CancellationToken.None);
        }
    }
}
