using CiliumDash.Protocols.Hubble.ObserverApi;
using CiliumDash.Protocols.Hubble.PeerApi;
using CiliumDash.Protocols.Hubble.RelayApi;
using CiliumDash.Simulator.Cluster;

namespace CiliumDash.Tests.Simulator.Relay;

public sealed class RelayStatusTests
{
    [Fact]
    public async Task ServerStatus_AfterGeneration_SumsRingsOverNodes()
    {
        await using var relay = await RelayHost.StartAsync(new SimulatorOptions { FlowsPerSecond = 0, MaxFlowsPerNode = 64 });
        relay.Generate(1000);

        var status = await relay.Observer.ServerStatusAsync(new ServerStatusRequest());

        Assert.Equal(128ul, status.MaxFlows);
        Assert.Equal(128ul, status.NumFlows);
        Assert.Equal(1000ul, status.SeenFlows);
        Assert.Equal(2u, status.NumConnectedNodes);
        Assert.Equal(0u, status.NumUnavailableNodes);
        Assert.Empty(status.UnavailableNodes);
        Assert.Equal("1.12.0", status.Version);
        Assert.True(status.UptimeNs > 0);
    }

    [Fact]
    public async Task ServerStatus_HangingNode_CountedUnavailable()
    {
        await using var relay = await RelayHost.StartAsync();
        relay.Cluster.Faults.HangingExecNodes = new HashSet<string> { "knode1" };

        var status = await relay.Observer.ServerStatusAsync(new ServerStatusRequest());

        Assert.Equal(1u, status.NumConnectedNodes);
        Assert.Equal(1u, status.NumUnavailableNodes);
        Assert.Equal(["knode1"], status.UnavailableNodes);
        Assert.Equal(4095ul, status.MaxFlows);
    }

    [Fact]
    public async Task GetNodes_TwoNodeCluster_ListsAddressesTlsAndCounts()
    {
        await using var relay = await RelayHost.StartAsync();
        relay.Generate(200);
        relay.Cluster.Faults.HangingExecNodes = new HashSet<string> { "knode1" };

        var nodes = (await relay.Observer.GetNodesAsync(new GetNodesRequest())).Nodes;

        Assert.Equal(["fedora", "knode1"], nodes.Select(n => n.Name));
        var fedora = nodes[0];
        Assert.Equal("192.168.31.100:4244", fedora.Address);
        Assert.Equal(NodeState.NodeConnected, fedora.State);
        Assert.True(fedora.Tls.Enabled);
        Assert.Equal("fedora.default.hubble-grpc.cilium.io", fedora.Tls.ServerName);
        Assert.Equal("1.12.0", fedora.Version);
        Assert.Equal(4095ul, fedora.MaxFlows);
        Assert.True(fedora.NumFlows > 0);
        Assert.Equal(fedora.NumFlows, fedora.SeenFlows);
        Assert.Equal(NodeState.NodeUnavailable, nodes[1].State);
    }

    [Fact]
    public async Task GetNamespaces_AfterGeneration_ListsSeenNamespacesSorted()
    {
        await using var relay = await RelayHost.StartAsync();
        relay.Generate(3000);

        var namespaces = (await relay.Observer.GetNamespacesAsync(new GetNamespacesRequest())).Namespaces.Select(n => n.Namespace_).ToList();

        Assert.Contains("shop", namespaces);
        Assert.Contains("kube-system", namespaces);
        Assert.Equal(namespaces.Order(StringComparer.Ordinal), namespaces);
    }

    [Fact]
    public async Task GetNamespaces_NoFlows_IsEmpty()
    {
        await using var relay = await RelayHost.StartAsync();

        var response = await relay.Observer.GetNamespacesAsync(new GetNamespacesRequest());

        Assert.Empty(response.Namespaces);
    }

    [Fact]
    public async Task PeerNotify_TwoNodes_SendsEachAsAddedThenStaysOpen()
    {
        await using var relay = await RelayHost.StartAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        using var call = relay.Peer.Notify(new NotifyRequest(), cancellationToken: cts.Token);

        var seen = new List<ChangeNotification>();
        while (seen.Count < 2 && await call.ResponseStream.MoveNext(cts.Token))
        {
            seen.Add(call.ResponseStream.Current);
        }

        Assert.Equal(["fedora", "knode1"], seen.Select(n => n.Name));
        Assert.All(seen, n => Assert.Equal(ChangeNotificationType.PeerAdded, n.Type));
        Assert.Equal("192.168.31.101:4244", seen[1].Address);
        Assert.Equal("knode1.default.hubble-grpc.cilium.io", seen[1].Tls.ServerName);
        var next = call.ResponseStream.MoveNext(cts.Token);
        Assert.False(next.IsCompleted);
    }
}
