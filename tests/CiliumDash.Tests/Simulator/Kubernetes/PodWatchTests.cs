using CiliumDash.Simulator.Cluster;
using k8s;
using k8s.Models;

namespace CiliumDash.Tests.Simulator.Kubernetes;

public sealed class PodWatchTests
{
    private const string Ns = SimulatedCluster.CiliumNamespace;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Watch_AgentPods_AddedForEachThenModifiedWhenCrashLoopStarts()
    {
        await using var host = await StandInHost.StartAsync(nodes: 3);
        using var cts = new CancellationTokenSource(Timeout);
        var added = new List<string>();
        V1Pod? modified = null;

        await foreach (var (type, pod) in host.Client.CoreV1.WatchListNamespacedPodAsync(Ns, labelSelector: "k8s-app=cilium", cancellationToken: cts.Token))
        {
            if (type == WatchEventType.Added)
            {
                added.Add(pod.Metadata.Name);
                if (added.Count == 3)
                {
                    host.Cluster.Faults.CrashLoopingNodes = new HashSet<string> { host.Node(2).Name };
                }
            }
            else if (type == WatchEventType.Modified)
            {
                modified = pod;
                break;
            }
        }

        Assert.Equal(host.Cluster.Nodes.Select(n => n.AgentPodName).Order(), added.Order());
        Assert.NotNull(modified);
        Assert.Equal(host.Node(2).AgentPodName, modified.Metadata.Name);
        Assert.Equal("CrashLoopBackOff", modified.Status.ContainerStatuses[0].State.Waiting.Reason);
    }

    [Fact]
    public async Task Watch_FieldSelectorOnOtherNode_NoEventForThisNodesFlip()
    {
        await using var host = await StandInHost.StartAsync(nodes: 2);
        using var cts = new CancellationTokenSource(Timeout);
        var events = new List<(WatchEventType, string)>();

        // Watch node 0's pods with a 2 s server-side timeout (two of the stand-in's 1 s fault polls); flip node 1: the stream must end without a MODIFIED.
        await foreach (var (type, pod) in host.Client.CoreV1.WatchListNamespacedPodAsync(Ns, fieldSelector: $"spec.nodeName={host.Node(0).Name}",
            timeoutSeconds: 2, cancellationToken: cts.Token))
        {
            events.Add((type, pod.Metadata.Name));
            host.Cluster.Faults.CrashLoopingNodes = new HashSet<string> { host.Node(1).Name };
        }

        Assert.False(cts.IsCancellationRequested);
        Assert.NotEmpty(events);
        Assert.All(events, e => Assert.Equal(WatchEventType.Added, e.Item1));
    }
}
