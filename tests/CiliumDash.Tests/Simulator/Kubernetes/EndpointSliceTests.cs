using k8s;
using k8s.Models;

namespace CiliumDash.Tests.Simulator.Kubernetes;

/// <summary>hubble-relay's EndpointSlice through KubernetesClient: listed, and watched across a relay restart.</summary>
public sealed class EndpointSliceTests
{
    [Fact]
    public async Task ListBySelector_RelaySliceReadyWithThePodAddress()
    {
        await using var host = await StandInHost.StartAsync();

        var slices = await host.Client.DiscoveryV1.ListNamespacedEndpointSliceAsync("kube-system", labelSelector: "kubernetes.io/service-name=hubble-relay");

        var slice = Assert.Single(slices.Items);
        var endpoint = Assert.Single(slice.Endpoints);
        Assert.True(endpoint.Conditions.Ready);
        var relay = host.Cluster.Pods.Single(p => p.WorkloadName == "hubble-relay");
        Assert.Equal([relay.Ip], endpoint.Addresses);
        Assert.Equal(relay.Name, endpoint.TargetRef.Name);
        Assert.Equal(4245, slice.Ports.Single().Port);
        Assert.Empty((await host.Client.DiscoveryV1.ListNamespacedEndpointSliceAsync("kube-system", labelSelector: "kubernetes.io/service-name=other")).Items);
    }

    [Fact]
    public async Task Watch_RelayRestarts_ModifiedNotReadyThenReady()
    {
        await using var host = await StandInHost.StartAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var seen = new List<(WatchEventType Type, bool? Ready)>();

        await foreach (var (type, slice) in host.Client.DiscoveryV1.WatchListNamespacedEndpointSliceAsync("kube-system",
            labelSelector: "kubernetes.io/service-name=hubble-relay", cancellationToken: cts.Token))
        {
            seen.Add((type, slice.Endpoints.Single().Conditions.Ready));
            if (seen.Count == 1)
            {
                host.Cluster.Faults.RelayDown = true;
            }
            else if (seen.Count == 2)
            {
                host.Cluster.Faults.RelayDown = false;
            }
            else
            {
                break;
            }
        }

        Assert.Equal([(WatchEventType.Added, true), (WatchEventType.Modified, false), (WatchEventType.Modified, true)], seen);
    }
}
