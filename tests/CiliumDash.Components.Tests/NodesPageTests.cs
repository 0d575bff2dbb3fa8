using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using CiliumDash.Components.Pages;
using static CiliumDash.Tests.Builders.ClusterData;

namespace CiliumDash.Components.Tests;

public sealed class NodesPageTests : DashboardContext
{
    [Fact]
    public void Nodes_Mixed_ProblemsFirst()
    {
        var failingController = Status(controllers: [Controller("ok"), Controller("ipcache-inject-labels", consecutiveFailures: 3, lastFailureMessage: "boom")]);
        AddNodes(Node("alpha"), Node("bravo", error: "malformed status JSON at $ (line 9, byte 4): unexpected end"), Node("charlie", failingController));

        var page = Render<Nodes>();

        Assert.Equal(["bravo", "charlie", "alpha"], page.FindAll("tr[data-node]").Select(r => r.GetAttribute("data-node")));
        Assert.Equal("(3)", page.Find("[data-testid=nodes-total]").TextContent);
        Assert.Contains("1/2 healthy", page.Find("tr[data-node=charlie]").TextContent);
    }

    [Fact]
    public void Nodes_FailedReadWithOldData_MarkedStale()
    {
        AddNodes(Node("fedora"), Node("knode1", error: "timed out after 10s waiting for the agent to answer"));

        var page = Render<Nodes>();

        // Stale data is a warning finding (agent-stale): the row takes the findings' colour, and says why in words.
        var bad = page.Find("tr[data-node=knode1]");
        Assert.Contains("row-warn", bad.ClassList);
        Assert.Equal("warning", bad.GetAttribute("data-severity"));
        var chip = bad.QuerySelector(".state-chip")!;
        Assert.Equal("stale: last read failed", chip.GetAttribute("title"));
        Assert.Contains("state-unknown", chip.ClassList);
        Assert.Contains("timed out after 10s waiting for the agent to answer", bad.TextContent);
        var good = page.Find("tr[data-node=fedora]").QuerySelector(".state-chip")!;
        Assert.Null(good.GetAttribute("title"));
        Assert.DoesNotContain("state-unknown", good.ClassList);
    }

    [Fact]
    public void Nodes_NoneYet_SaysSo()
    {
        var page = Render<Nodes>();

        Assert.Contains("No Cilium agent pods found yet", page.Markup);
        Assert.Empty(page.FindAll("[data-testid=nodes-table]"));
    }

    [Fact]
    public void Nodes_SortByNameInUrl_NaturalOrderAndHeaderMarked()
    {
        AddNodes(Node("worker-10"), Node("worker-2"), Node("worker-1"));
        Services.GetRequiredService<NavigationManager>().NavigateTo("nodes?sort=name");

        var page = Render<Nodes>();

        Assert.Equal(["worker-1", "worker-2", "worker-10"], page.FindAll("tr[data-node]").Select(r => r.GetAttribute("data-node")));
        var header = page.Find("th[aria-sort]");
        Assert.Equal("ascending", header.GetAttribute("aria-sort"));
        // The second click flips the direction, and the link keeps the rest of the view.
        Assert.Contains("sort=name&dir=desc", page.Find("a[data-sort=name]").GetAttribute("href"), StringComparison.Ordinal);
        Assert.Equal("nodes/worker-1", page.Find("tr[data-node=worker-1] td.name a").GetAttribute("href"));
    }

    [Fact]
    public void Nodes_SearchAndSeverityInUrl_ShowMatchesAndSaySo()
    {
        AddNodes(Node("alpha"), Node("bravo", error: "timed out after 10s waiting for the agent to answer"), Node("charlie"));
        Services.GetRequiredService<NavigationManager>().NavigateTo("nodes?severity=none&q=ALP");

        var page = Render<Nodes>();

        Assert.Equal(["alpha"], page.FindAll("tr[data-node]").Select(r => r.GetAttribute("data-node")));
        Assert.Contains("1 of 3 nodes match", page.Find("[data-testid=nodes-shown]").TextContent, StringComparison.Ordinal);
        Assert.Equal("true", page.Find("[data-testid=severity-filter] a[data-severity=none]").GetAttribute("aria-current"));
    }

    [Fact]
    public void Nodes_FilterMatchesNothing_SaysWhyAndHowBack()
    {
        AddNodes(Node("alpha"));
        Services.GetRequiredService<NavigationManager>().NavigateTo("nodes?q=zzz");

        var page = Render<Nodes>();

        Assert.Contains("No node matches this search or filter", page.Find("[data-testid=nodes-none-match]").TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=nodes-table]"));
    }
}
