using System.Net;
using CiliumDash.Simulator.Kubernetes;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace CiliumDash.Tests.Events;

/// <summary>The stand-in's list and watch of Nodes and network policies, read by a real KubernetesClient.</summary>
public sealed class StandInWatchTests
{
    [Fact]
    public async Task List_NodesAndPolicies_ServedWithAResourceVersion()
    {
        await using var h = await EventsWatchHarness.StartAsync();

        var nodes = await h.Client.CoreV1.ListNodeAsync();
        var netpols = await h.Client.NetworkingV1.ListNetworkPolicyForAllNamespacesAsync();
        var one = await h.Client.NetworkingV1.ReadNamespacedNetworkPolicyAsync("catalog-ingress", "shop");

        Assert.Equal(h.Cluster.Nodes.Select(n => n.Name), nodes.Items.Select(n => n.Metadata.Name));
        Assert.False(string.IsNullOrEmpty(nodes.Metadata.ResourceVersion));
        Assert.Equal("catalog-ingress", Assert.Single(netpols.Items).Metadata.Name);
        Assert.Equal(8080, one.Spec.Ingress[0].Ports[0].Port.Value is var p ? int.Parse(p, System.Globalization.CultureInfo.InvariantCulture) : 0);
        var missing = await Assert.ThrowsAsync<HttpOperationException>(() => h.Client.NetworkingV1.ReadNamespacedNetworkPolicyAsync("nope", "shop"));
        Assert.Equal(HttpStatusCode.NotFound, missing.Response.StatusCode);
    }

    [Fact]
    public async Task Watch_FromAResourceVersion_SendsOnlyLaterChanges()
    {
        await using var h = await EventsWatchHarness.StartAsync();
        var list = await h.Client.NetworkingV1.ListNamespacedNetworkPolicyAsync("shop");
        h.Cluster.Changes.ApplyPolicy(PolicyKind.NetworkPolicy, "shop", "late", "cart", "frontend", 81);
        h.Cluster.Changes.ApplyPolicy(PolicyKind.NetworkPolicy, "default", "elsewhere", "frontend", "ingress-nginx", 82);
        h.Cluster.Changes.DeletePolicy(PolicyKind.NetworkPolicy, "shop", "late");

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var seen = new List<(WatchEventType, string)>();
        await foreach (var (type, item) in h.Client.NetworkingV1.WatchListNamespacedNetworkPolicyAsync("shop", resourceVersion: list.Metadata.ResourceVersion,
                           cancellationToken: cts.Token))
        {
            seen.Add((type, item.Metadata.Name));
            if (seen.Count == 2)
            {
                break;
            }
        }

        Assert.Equal([(WatchEventType.Added, "late"), (WatchEventType.Deleted, "late")], seen);
    }

    [Fact]
    public async Task Watch_FromACompactedVersion_Gets410Expired()
    {
        await using var h = await EventsWatchHarness.StartAsync();
        var list = await h.Client.CoreV1.ListNodeAsync();
        h.Cluster.Changes.AddNode("knode7");
        h.Cluster.Changes.CompactWatchHistory();

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        Exception? error = null;
        var events = 0;
        await foreach (var _ in h.Client.CoreV1.WatchListNodeAsync(resourceVersion: list.Metadata.ResourceVersion, onError: e => error = e, cancellationToken: cts.Token))
        {
            events++;
        }

        Assert.Equal(0, events);
        var expired = Assert.IsType<KubernetesException>(error);
        Assert.Equal((410, "Expired"), (expired.Status.Code, expired.Status.Reason));
    }

    [Fact]
    public async Task AgentPod_AfterRestart_ReportsCountAndLastTermination()
    {
        await using var h = await EventsWatchHarness.StartAsync();
        var node = h.Cluster.Nodes[0];
        h.Cluster.Changes.RestartAgent(node.Name, "Error", 1);
        h.Cluster.Changes.RestartAgent(node.Name, "OOMKilled", 137);

        var pod = await h.Client.CoreV1.ReadNamespacedPodAsync(node.AgentPodName, "kube-system");

        var status = Assert.Single(pod.Status.ContainerStatuses);
        Assert.Equal((2, "OOMKilled", 137), (status.RestartCount, status.LastState.Terminated.Reason, status.LastState.Terminated.ExitCode));
        Assert.NotNull(status.State.Running);
    }
}
