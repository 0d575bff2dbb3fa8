using System.Net;
using System.Text.Json;
using CiliumDash.Simulator.Cluster;
using k8s;
using k8s.Autorest;

namespace CiliumDash.Tests.Simulator.Kubernetes;

public sealed class KubernetesStandInTests
{
    private const string Ns = SimulatedCluster.CiliumNamespace;

    [Fact]
    public async Task Pods_ListWithAgentLabelSelector_ReturnsOneRunningAgentPerNode()
    {
        await using var host = await StandInHost.StartAsync(nodes: 3);

        var pods = await host.Client.CoreV1.ListNamespacedPodAsync(Ns, labelSelector: "k8s-app=cilium");

        Assert.Equal(host.Cluster.Nodes.Select(n => n.AgentPodName).Order(), pods.Items.Select(p => p.Metadata.Name).Order());
        var pod = pods.Items.Single(p => p.Metadata.Name == host.Node(1).AgentPodName);
        Assert.Equal("Running", pod.Status.Phase);
        Assert.Equal(host.Node(1).Name, pod.Spec.NodeName);
        Assert.True(pod.Spec.HostNetwork);
        Assert.Equal(host.Node(1).InternalIp, pod.Status.HostIP);
        var container = Assert.Single(pod.Status.ContainerStatuses);
        Assert.True(container.Ready);
        Assert.Equal(0, container.RestartCount);
        Assert.NotNull(container.State.Running.StartedAt);
        Assert.Equal("DaemonSet", Assert.Single(pod.Metadata.OwnerReferences).Kind);
        Assert.False(string.IsNullOrEmpty(pods.Metadata.ResourceVersion));
    }

    [Theory]
    [InlineData("k8s-app in (cilium, hubble-relay)", 3)]   // 2 agents + relay
    [InlineData("k8s-app,k8s-app!=cilium", 2)]             // relay + ui
    [InlineData("!k8s-app,name=cilium-operator", 2)]
    [InlineData("k8s-app notin (cilium)", 6)]              // notin also matches pods without the key: operator x2, relay, ui, coredns x2
    public async Task Pods_SetAndExistenceSelectors_MatchLikeTheApiServer(string selector, int expected)
    {
        await using var host = await StandInHost.StartAsync(nodes: 2);

        var pods = await host.Client.CoreV1.ListNamespacedPodAsync(Ns, labelSelector: selector);

        Assert.Equal(expected, pods.Items.Count);
    }

    [Fact]
    public async Task Pods_FieldSelectorOnNodeName_ReturnsOnlyThatNodesPods()
    {
        await using var host = await StandInHost.StartAsync(nodes: 3);
        var node = host.Node(2).Name;

        var pods = await host.Client.CoreV1.ListPodForAllNamespacesAsync(fieldSelector: $"spec.nodeName={node}");

        Assert.NotEmpty(pods.Items);
        Assert.All(pods.Items, p => Assert.Equal(node, p.Spec.NodeName));
        Assert.Equal(host.Cluster.Pods.Count(p => p.NodeName == node), pods.Items.Count);
    }

    [Theory]
    [InlineData("labelSelector=k8s-app%20in%20(cilium", "unable to parse requirement")]
    [InlineData("labelSelector=%3D%3Dx", "unable to parse requirement")]
    [InlineData("labelSelector=app%3D%24(rm%20-rf)", "invalid label value")]
    [InlineData("fieldSelector=spec.hostname%3Dx", "field label not supported: spec.hostname")]
    [InlineData("fieldSelector=nonsense", "invalid selector")]
    [InlineData("watch=true&timeoutSeconds=soon", "timeoutSeconds")]
    public async Task Pods_MalformedQuery_Returns400StatusWithMessage(string query, string message)
    {
        await using var host = await StandInHost.StartAsync(nodes: 1);
        using var http = new HttpClient { BaseAddress = host.Server };

        using var response = await http.GetAsync($"/api/v1/namespaces/kube-system/pods?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var status = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Status", status.RootElement.GetProperty("kind").GetString());
        Assert.Equal(400, status.RootElement.GetProperty("code").GetInt32());
        Assert.Contains(message, status.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pods_CrashLoopingNode_AgentWaitsInCrashLoopBackOff()
    {
        await using var host = await StandInHost.StartAsync(nodes: 2, crashLooping: ["knode1"]);

        var pod = await host.Client.CoreV1.ReadNamespacedPodAsync(host.Node(1).AgentPodName, Ns);

        var container = Assert.Single(pod.Status.ContainerStatuses);
        Assert.False(container.Ready);
        Assert.Equal("CrashLoopBackOff", container.State.Waiting.Reason);
        Assert.Equal(1, container.LastState.Terminated.ExitCode);
        Assert.False(string.IsNullOrEmpty(container.LastState.Terminated.Message));
        Assert.True(container.RestartCount > 0);
        Assert.Equal("False", pod.Status.Conditions.Single(c => c.Type == "Ready").Status);
    }

    [Fact]
    public async Task DaemonSet_CrashLoopingAgent_OneNotReady()
    {
        await using var host = await StandInHost.StartAsync(nodes: 3, crashLooping: ["knode2"]);

        var ds = await host.Client.AppsV1.ReadNamespacedDaemonSetAsync("cilium", Ns);

        Assert.Equal(3, ds.Status.DesiredNumberScheduled);
        Assert.Equal(3, ds.Status.CurrentNumberScheduled);
        Assert.Equal(2, ds.Status.NumberReady);
        Assert.Equal(2, ds.Status.NumberAvailable);
        Assert.Equal(1, ds.Status.NumberUnavailable);
        Assert.Equal(3, ds.Status.UpdatedNumberScheduled);
        Assert.Equal(ds.Metadata.Generation, ds.Status.ObservedGeneration);
    }

    [Fact]
    public async Task DaemonSet_FaultFlippedAtRunTime_StatusFollows()
    {
        await using var host = await StandInHost.StartAsync(nodes: 2);
        Assert.Equal(2, (await host.Client.AppsV1.ReadNamespacedDaemonSetAsync("cilium", Ns)).Status.NumberReady);

        host.Cluster.Faults.CrashLoopingNodes = new HashSet<string> { "fedora" };

        Assert.Equal(1, (await host.Client.AppsV1.ReadNamespacedDaemonSetAsync("cilium", Ns)).Status.NumberReady);
    }

    [Fact]
    public async Task Deployments_List_CiliumComponentsAllReady()
    {
        await using var host = await StandInHost.StartAsync(nodes: 3);

        var deployments = await host.Client.AppsV1.ListNamespacedDeploymentAsync(Ns);

        Assert.Equal(["cilium-operator", "hubble-relay", "hubble-ui"], deployments.Items.Select(d => d.Metadata.Name).Order());
        var op = deployments.Items.Single(d => d.Metadata.Name == "cilium-operator");
        Assert.Equal(2, op.Spec.Replicas);
        Assert.Equal(2, op.Status.Replicas);
        Assert.Equal(2, op.Status.ReadyReplicas);
        Assert.Equal(2, op.Status.AvailableReplicas);
        Assert.Equal(2, op.Status.UpdatedReplicas);
        Assert.Contains(op.Status.Conditions, c => c.Type == "Available" && c.Status == "True");
    }

    [Theory]
    [InlineData("clustermesh-apiserver")]
    [InlineData("cilium-envoy")]
    public async Task Workloads_Missing_404StatusNotFound(string name)
    {
        await using var host = await StandInHost.StartAsync(nodes: 1);

        var deployment = await Assert.ThrowsAsync<HttpOperationException>(() => host.Client.AppsV1.ReadNamespacedDeploymentAsync(name, Ns));
        var daemonSet = await Assert.ThrowsAsync<HttpOperationException>(() => host.Client.AppsV1.ReadNamespacedDaemonSetAsync(name, Ns));

        Assert.Equal(HttpStatusCode.NotFound, deployment.Response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, daemonSet.Response.StatusCode);
        using var status = JsonDocument.Parse(deployment.Response.Content);
        Assert.Equal("NotFound", status.RootElement.GetProperty("reason").GetString());
        Assert.Equal($"deployments.apps \"{name}\" not found", status.RootElement.GetProperty("message").GetString());
    }

    [Fact]
    public async Task UnknownPath_404Status()
    {
        await using var host = await StandInHost.StartAsync(nodes: 1);
        using var http = new HttpClient { BaseAddress = host.Server };

        using var response = await http.GetAsync("/apis/batch/v1/jobs");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        using var status = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Failure", status.RootElement.GetProperty("status").GetString());
        Assert.Equal(404, status.RootElement.GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task KnownPath_WriteMethod_404StatusSinceTheStandInIsReadOnly()
    {
        await using var host = await StandInHost.StartAsync(nodes: 1);
        using var http = new HttpClient { BaseAddress = host.Server };

        using var response = await http.DeleteAsync($"/api/v1/namespaces/kube-system/pods/{host.Node(0).AgentPodName}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        using var status = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("NotFound", status.RootElement.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task CiliumEndpoints_ListClusterWide_OnePerManagedPod()
    {
        await using var host = await StandInHost.StartAsync(nodes: 3);

        var list = (JsonElement)await host.Client.CustomObjects.ListClusterCustomObjectAsync("cilium.io", "v2", "ciliumendpoints");

        var items = list.GetProperty("items").EnumerateArray().ToList();
        var managed = host.Cluster.Pods.Where(p => p.ManagedByCilium).ToList();
        Assert.Equal(managed.Count, items.Count);
        var pod = managed[0];
        var cep = items.Single(i => i.GetProperty("metadata").GetProperty("name").GetString() == pod.Name);
        var status = cep.GetProperty("status");
        Assert.Equal(pod.EndpointId, status.GetProperty("id").GetInt32());
        Assert.Equal(pod.Identity, status.GetProperty("identity").GetProperty("id").GetUInt32());
        Assert.Equal(pod.Ip, status.GetProperty("networking").GetProperty("addressing")[0].GetProperty("ipv4").GetString());
        Assert.Equal(host.Cluster.Nodes.Single(n => n.Name == pod.NodeName).InternalIp, status.GetProperty("networking").GetProperty("node").GetString());
        Assert.Equal("ready", status.GetProperty("state").GetString());
    }

    [Fact]
    public async Task CiliumEndpoints_ListInNamespace_OnlyThatNamespace()
    {
        await using var host = await StandInHost.StartAsync(nodes: 2);

        var list = (JsonElement)await host.Client.CustomObjects.ListNamespacedCustomObjectAsync("cilium.io", "v2", "shop", "ciliumendpoints");

        var namespaces = list.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("metadata").GetProperty("namespace").GetString()).ToList();
        Assert.Equal(host.Cluster.Pods.Count(p => p.ManagedByCilium && p.Namespace == "shop"), namespaces.Count);
        Assert.All(namespaces, ns => Assert.Equal("shop", ns));
    }

    [Fact]
    public async Task CiliumNodes_GetAndList_AddressesIpamAndHealth()
    {
        await using var host = await StandInHost.StartAsync(nodes: 3);
        var node = host.Node(1);

        var list = (JsonElement)await host.Client.CustomObjects.ListClusterCustomObjectAsync("cilium.io", "v2", "ciliumnodes");
        var one = (JsonElement)await host.Client.CustomObjects.GetClusterCustomObjectAsync("cilium.io", "v2", "ciliumnodes", node.Name);

        Assert.Equal(3, list.GetProperty("items").GetArrayLength());
        var spec = one.GetProperty("spec");
        var addresses = spec.GetProperty("addresses").EnumerateArray().ToDictionary(a => a.GetProperty("type").GetString()!, a => a.GetProperty("ip").GetString());
        Assert.Equal(node.InternalIp, addresses["InternalIP"]);
        Assert.Equal(node.RouterIp, addresses["CiliumInternalIP"]);
        Assert.Equal(node.PodCidr, spec.GetProperty("ipam").GetProperty("podCIDRs")[0].GetString());
        Assert.Equal(node.HealthIp, spec.GetProperty("health").GetProperty("ipv4").GetString());
    }
}
