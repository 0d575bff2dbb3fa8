using Bunit;
using CiliumDash.Agents;
using CiliumDash.Cluster;
using CiliumDash.Components.Pages;
using CiliumDash.Embeds;
using CiliumDash.Shared;
using CiliumDash.Tests.Builders;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Primitives;
using static CiliumDash.Tests.Builders.ClusterData;

namespace CiliumDash.Components.Tests;

/// <summary>
/// The pages render the one diagnosis: the EC2 case (knode1's health endpoint answers nobody while its host does) is
/// named on the overview, in its row on /nodes, on its node page and in the connectivity embed, and nowhere else.
/// </summary>
public sealed class FindingsPagesTests : DashboardContext
{
    private const string PeersCannotReach = "1 of 1 peers cannot reach knode1's health endpoint while its host answers";

    /// <summary>fedora's probes fail to knode1's endpoint; knode1 itself reaches everything (its own report is clean).</summary>
    private void EndpointNobodyReaches()
    {
        Matrix.Ingest("fedora", HealthJson.Pair("fedora", Now, knode1Endpoint: Probe.Fail("Connection timed out")));
        Matrix.Ingest("knode1", HealthJson.Pair("knode1", Now));
        AddNodes(Node("fedora"), Node("knode1"));
    }

    private void Healthy()
    {
        Matrix.Ingest("fedora", HealthJson.Pair("fedora", Now));
        Matrix.Ingest("knode1", HealthJson.Pair("knode1", Now));
        AddNodes(Node("fedora"), Node("knode1"));
    }

    [Fact]
    public void Overview_EndpointNobodyReaches_LeadsWithTheFindingAndNamesTheNode()
    {
        EndpointNobodyReaches();

        var page = Render<Overview>();

        var item = page.Find("[data-testid=overview-findings] li.finding");
        Assert.Equal("endpoint-unreachable", item.GetAttribute("data-kind"));
        Assert.Equal("knode1", item.GetAttribute("data-node"));
        Assert.Equal("critical", item.QuerySelector(".state-chip")!.TextContent);
        Assert.Equal(PeersCannotReach, item.QuerySelector("a")!.TextContent);
        Assert.Equal("connectivity", item.QuerySelector("a")!.GetAttribute("href"));
        Assert.Contains("4240", item.QuerySelector("details p.hint")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("critical/endpoint-unreachable", page.Find(".findings-group").GetAttribute("data-group"));

        var card = page.Find("[data-testid=health-card]");
        Assert.Equal("critical", card.GetAttribute("data-severity"));
        Assert.Contains("row-bad", card.ClassList);
        var named = page.Find("[data-testid=health-unreachable]");
        Assert.Equal("nodes/knode1", named.QuerySelector("a")!.GetAttribute("href"));
        Assert.Contains("knode1 (health endpoint)", named.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("fedora", named.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Overview_Healthy_SaysNothingIsWrongAndCardIsNotColoured()
    {
        Healthy();

        var page = Render<Overview>();

        Assert.Contains("Nothing is wrong", page.Find("[data-testid=findings-none]").TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("li.finding"));
        Assert.Equal("none", page.Find("[data-testid=health-card]").GetAttribute("data-severity"));
        Assert.Empty(page.FindAll("[data-testid=health-unreachable]"));
    }

    [Fact]
    public void Overview_FindingClears_GoneAfterTheNextDerivation()
    {
        EndpointNobodyReaches();
        var page = Render<Overview>();
        Assert.Single(page.FindAll("li.finding[data-kind=endpoint-unreachable]"));

        Matrix.Ingest("fedora", HealthJson.Pair("fedora", Now.AddSeconds(10)));
        Findings.Derive();
        Time.Advance(TimeSpan.FromSeconds(1));

        page.WaitForAssertion(() => Assert.Empty(page.FindAll("li.finding")));
        Assert.Empty(page.FindAll("[data-testid=health-unreachable]"));
    }

    [Fact]
    public void Nodes_EndpointNobodyReaches_BrokenNodeRowFirstAndCritical()
    {
        EndpointNobodyReaches();

        var page = Render<Nodes>();

        Assert.Equal(["knode1", "fedora"], page.FindAll("tr[data-node]").Select(r => r.GetAttribute("data-node")));
        var broken = page.Find("tr[data-node=knode1]");
        Assert.Equal("critical", broken.GetAttribute("data-severity"));
        Assert.Contains("row-bad", broken.ClassList);
        var problems = broken.QuerySelector("[data-testid=node-problems]")!;
        Assert.Equal("critical", problems.QuerySelector(".state-chip")!.TextContent);
        Assert.Contains(PeersCannotReach, problems.TextContent, StringComparison.Ordinal);
        var healthy = page.Find("tr[data-node=fedora]");
        Assert.Equal("none", healthy.GetAttribute("data-severity"));
        Assert.Equal("", healthy.QuerySelector("[data-testid=node-problems]")!.TextContent.Trim());
    }

    [Fact]
    public void Nodes_FailingControllerAndFullMap_RowWorstSeverityAndBothSummaries()
    {
        var failing = Status(controllers: [Controller("ipcache-inject-labels", consecutiveFailures: 3, lastFailureMessage: "k8s cache not fully synced")]);
        AddNodes(Node("alpha"), Node("bravo", failing, mapPressure: Pressure(("cilium_lb4_services_v2", 0.97))));

        var page = Render<Nodes>();

        var row = page.Find("tr[data-node=bravo]");
        Assert.Equal("critical", row.GetAttribute("data-severity"));
        var lines = row.QuerySelectorAll(".finding-line").Select(l => l.GetAttribute("data-kind")).ToList();
        Assert.Equal(["map-pressure", "controller-failing"], lines);
        Assert.Contains("97 % full", row.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void NodeDetail_EndpointNobodyReaches_OpensWithPeersFinding()
    {
        EndpointNobodyReaches();

        var page = Render<NodeDetail>(p => p.Add(x => x.Name, "knode1"));

        var list = page.Find("[data-testid=node-finding-list]");
        var item = list.QuerySelector("li.finding")!;
        Assert.Equal(PeersCannotReach, item.QuerySelector("a")!.TextContent);
        Assert.Contains("cilium-health on fedora", item.QuerySelector("ul.evidence")!.TextContent, StringComparison.Ordinal);

        var healthy = Render<NodeDetail>(p => p.Add(x => x.Name, "fedora"));
        Assert.Contains("none", healthy.Find("[data-testid=node-findings]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void NodeDetail_XdpOff_ReadsDisabledWithItsHintAsOnDrift()
    {
        AddNodes(Node("fedora"), Node("knode1"));

        var page = Render<NodeDetail>(p => p.Add(x => x.Name, "fedora"));
        var drift = Render<DriftPage>();

        var xdp = page.Find("[data-testid=xdp]");
        Assert.Equal("Disabled", xdp.QuerySelector(".mono")!.TextContent);
        Assert.Contains("virtio_net", xdp.QuerySelector("details")!.TextContent, StringComparison.Ordinal);
        var cell = drift.Find("tr[data-node=fedora] td[data-setting='XDP acceleration']");
        Assert.Equal("Disabled", cell.TextContent.Trim());
    }

    [Fact]
    public void Drift_OneNodeOnAnotherVersion_ItsCellCarriesTheWarning()
    {
        AddNodes(Node("alpha"), Node("bravo"), Node("charlie", Status(version: "1.13.1")));

        var page = Render<DriftPage>();

        Assert.Equal("charlie", page.FindAll("tr[data-node]")[0].GetAttribute("data-node"));
        var cell = page.Find("tr[data-node=charlie] td[data-setting='Cilium version']");
        Assert.Equal("warning", cell.QuerySelector(".state-chip")!.TextContent);
        Assert.Empty(page.FindAll("tr[data-node=alpha] .cell-finding"));
        Assert.Single(page.FindAll("[data-testid=drift-finding-list] li.finding[data-node=charlie]"));
    }

    [Fact]
    public void Controllers_FailingController_RowCarriesItsFindingsSeverity()
    {
        AddNodes(Node("alpha"), Node("bravo", Status(controllers: [Controller("sync-lb-maps-with-k8s-services", consecutiveFailures: 5, lastFailureMessage: "map is full")])));

        var page = Render<Controllers>();

        var row = page.Find("[data-testid=failing-controllers] tr[data-node=bravo]");
        Assert.Equal("warning", row.QuerySelector(".state-chip")!.TextContent);
        Assert.Contains("row-warn", row.ClassList);
    }

    [Fact]
    public void ConnectivityEmbed_EndpointNobodyReaches_BrokenNodeIsTheColouredRow()
    {
        EndpointNobodyReaches();
        var builder = new EmbedPanelBuilder(Services.GetRequiredService<ClusterReadModel>(), Matrix, Flows, Findings);

        var view = builder.Build(EmbedPanels.Connectivity, new Dictionary<string, StringValues>(), new AccessScope(null));

        Assert.Equal(["knode1", "fedora"], view.Rows.Select(r => r.Cells[0]));
        Assert.Equal("critical", view.Rows[0].State);
        Assert.Equal("bad", StateTones.Of(view.Rows[0].State));
        Assert.Equal("ok", StateTones.Of(view.Rows[1].State));
        Assert.Equal("critical", view.Rows[0].Cells[2]);
        Assert.Equal(PeersCannotReach, view.Rows[0].Detail);
        Assert.Null(view.Rows[1].Detail);
        // Its own probes reach everyone: that is why its own report must not colour it.
        Assert.Equal("2/2 reachable", view.Rows[0].Cells[1]);
    }

    [Fact]
    public void ConnectivityPage_EndpointNobodyReaches_FindingListedAndRowMarked()
    {
        EndpointNobodyReaches();

        var page = Render<CiliumDash.Components.Pages.Connectivity>();

        Assert.Single(page.FindAll("[data-testid=connectivity-finding-list] li.finding[data-node=knode1]"));
        Assert.Contains("row-bad", page.Find("[data-testid=matrix-nodes] tr[data-node=knode1]").ClassList);
        Assert.DoesNotContain("row-bad", page.Find("[data-testid=matrix-nodes] tr[data-node=fedora]").ClassList);
    }
}
