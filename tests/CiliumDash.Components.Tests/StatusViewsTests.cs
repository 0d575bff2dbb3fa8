using Bunit;
using CiliumDash.Components.Pages;
using static CiliumDash.Tests.Builders.ClusterData;

namespace CiliumDash.Components.Tests;

/// <summary>The `cilium status --verbose` views: one node in detail, controllers across the cluster, datapath drift.</summary>
public sealed class StatusViewsTests : DashboardContext
{
    [Fact]
    public void NodeDetail_FailingControllerAndKpr_ProblemsFirstThenDatapathLikeTheCli()
    {
        var status = Status(controllers: [Controller("endpoint-gc"), Controller("ipcache-inject-labels", consecutiveFailures: 8, lastFailureMessage: "k8s cache not fully synced", lastFailure: Now.AddMinutes(-3))]);
        AddNodes(Node("fedora", status));

        var page = Render<NodeDetail>(p => p.Add(x => x.Name, "fedora"));

        var problems = page.Find("[data-testid=node-problems]").TextContent;
        Assert.Contains("controller ipcache-inject-labels is failing since 3m0s (8x): k8s cache not fully synced", problems);
        var kpr = page.Find("[data-testid=kpr-details]").TextContent;
        Assert.Contains("Strict", kpr);
        Assert.Contains("Maglev (Table Size: 16381)", kpr);
        Assert.Contains("enp1s0 (Direct Routing)", kpr);
        var rows = page.FindAll("[data-testid=controllers-table] tbody tr");
        Assert.Equal("ipcache-inject-labels", rows[0].GetAttribute("data-controller"));   // failing first
        Assert.Contains("row-bad", rows[0].ClassList);
        Assert.Contains("1/2 healthy", page.Markup);
    }

    [Fact]
    public void NodeDetail_SectionAbsent_SaysNotReportedNotADefault()
    {
        AddNodes(Node("knode1", Status() with { KubeProxyReplacement = null, Masquerading = null }));

        var page = Render<NodeDetail>(p => p.Add(x => x.Name, "knode1"));

        Assert.Contains("KubeProxyReplacement: not reported", page.Markup);
        Assert.Contains("not reported", page.Find("[data-testid=datapath]").TextContent);
    }

    [Fact]
    public void NodeDetail_UnknownNode_SaysSoWithALinkBack()
    {
        var page = Render<NodeDetail>(p => p.Add(x => x.Name, "<script>x</script>"));

        Assert.Contains("has a Cilium agent pod", page.Markup);
        Assert.DoesNotContain("<script>x</script>", page.Markup);
    }

    [Fact]
    public void Controllers_TwoNodesSameFailure_ListedByImpactWithFlappingMark()
    {
        AddNodes(
            Node("fedora", Status(controllers: [Controller("sync-lb-maps", consecutiveFailures: 2, lastFailureMessage: "bpf map full")])),
            Node("knode1", Status(controllers: [Controller("sync-lb-maps", consecutiveFailures: 1, lastFailureMessage: "bpf map full"), Controller("link-cache", consecutiveFailures: 9, lastFailureMessage: "netlink")])));
        // link-cache on knode1 failed and recovered three times within the hour: flapping.
        for (var i = 0; i < 3; i++)
        {
            Cluster.ControllerHistory.Observe("knode1", [Controller("link-cache", consecutiveFailures: 1, lastFailureMessage: "netlink")], Now.AddMinutes(-30 + (i * 5)));
            Cluster.ControllerHistory.Observe("knode1", [Controller("link-cache")], Now.AddMinutes(-28 + (i * 5)));
        }

        Cluster.ControllerHistory.Observe("knode1", [Controller("link-cache", consecutiveFailures: 9, lastFailureMessage: "netlink")], Now.AddMinutes(-1));

        var page = Render<Controllers>();

        var rows = page.FindAll("[data-testid=failing-controllers] tbody tr");
        Assert.Equal("(3)", page.Find("[data-testid=failing-count]").TextContent);
        // A failure on two nodes comes before a longer streak on one.
        Assert.StartsWith("sync-lb-maps", rows[0].TextContent.Trim(), StringComparison.Ordinal);
        var linkCache = rows.Single(r => r.TextContent.Contains("link-cache", StringComparison.Ordinal));
        Assert.Contains("flapping", linkCache.TextContent);
        Assert.NotEmpty(page.FindAll("[data-testid=controller-history] tbody tr"));
    }

    [Fact]
    public void Drift_OneNodeDifferent_ItsCellHighlightedAndItComesFirst()
    {
        AddNodes(Node("fedora"), Node("knode1"), Node("knode2", Status(kprMode: "Probe")));

        var page = Render<DriftPage>();

        var rows = page.FindAll("[data-testid=drift-table] tbody tr[data-node]");
        Assert.Equal("knode2", rows[0].GetAttribute("data-node"));
        var differing = rows[0].QuerySelectorAll("td.cell-differs").Select(c => c.TextContent[..^(c.QuerySelector(".cell-finding")?.TextContent.Length ?? 0)]).ToList();
        Assert.Equal(["Probe"], differing);
        // The difference is a drift finding: its severity word sits in the cell.
        Assert.Equal("warning", rows[0].QuerySelector("td.cell-differs .state-chip")!.TextContent);
        Assert.Empty(rows[1].QuerySelectorAll("td.cell-differs"));
        Assert.Contains("(1 of 3 nodes differ)", page.Find("[data-testid=drift-count]").TextContent);
    }
}
