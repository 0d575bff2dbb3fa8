using Bunit;
using CiliumDash.Components.Pages;
using static CiliumDash.Tests.Builders.ClusterData;

namespace CiliumDash.Components.Tests;

public sealed class OverviewPageTests : DashboardContext
{
    [Fact]
    public void Overview_HealthyCluster_ComponentStatesLikeCiliumStatus()
    {
        Cluster.SetWorkloads(Workloads());
        AddNodes(Node("fedora"), Node("knode1"));
        Connected();

        var page = Render<Overview>();

        var rows = page.FindAll("[data-testid=component-states] tr").Select(r => $"{r.QuerySelector("th")!.TextContent} {r.QuerySelector("td")!.TextContent.Trim()}");
        Assert.Equal(["Cilium: OK", "Operator: OK", "Hubble Relay: OK", "ClusterMesh: disabled"], rows);
        Assert.Equal("2/2", page.Find("[data-testid=node-count]").TextContent.Trim());
        Assert.Empty(page.FindAll("[data-testid=problems]"));
    }

    [Fact]
    public void Overview_ClusterPods_ManagedOverTotal()
    {
        Cluster.SetWorkloads(Workloads(managedPods: 12, totalPods: 14));

        var page = Render<Overview>();

        var pods = page.Find("[data-testid=cluster-pods]");
        Assert.Equal("12/14", pods.TextContent);
        Assert.Equal("Cluster Pods: 12/14 managed by Cilium", pods.ParentElement!.TextContent.Trim());
    }

    [Fact]
    public void Overview_NodeFailing_CountsAndErrorsTable()
    {
        Cluster.SetWorkloads(Workloads(Workload(desired: 2, ready: 1)));
        AddNodes(Node("fedora"), Node("knode1", error: "timed out after 10s waiting for the agent to answer"));

        var page = Render<Overview>();

        Assert.Equal("1/2", page.Find("[data-testid=node-count]").TextContent.Trim());
        var problems = page.Find("[data-testid=problems]").TextContent;
        Assert.Contains("1 pods of DaemonSet cilium are not ready", problems);
        Assert.Contains("unable to retrieve cilium status: timed out after 10s waiting for the agent to answer", problems);
        Assert.Contains("knode1", problems);
        Assert.Contains("2 errors, 0 warnings", page.Find("[data-testid=component-states]").TextContent);
    }

    [Fact]
    public void Overview_StoreChanges_PageUpdates()
    {
        Cluster.SetWorkloads(Workloads());
        AddNodes(Node("fedora"));
        var page = Render<Overview>();
        Assert.Equal("1/1", page.Find("[data-testid=node-count]").TextContent.Trim());

        AddNodes(Node("knode1", noStatus: true));
        Time.Advance(TimeSpan.FromSeconds(1));

        page.WaitForAssertion(() => Assert.Equal("1/2", page.Find("[data-testid=node-count]").TextContent.Trim()));
    }
}
