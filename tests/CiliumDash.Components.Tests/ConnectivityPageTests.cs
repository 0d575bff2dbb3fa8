using Bunit;
using CiliumDash.Components.Controls;
using CiliumDash.Components.Pages;
using ConnectivityPage = CiliumDash.Components.Pages.Connectivity;
using CiliumDash.Connectivity;
using CiliumDash.Tests.Builders;
using static CiliumDash.Tests.Builders.ClusterData;

namespace CiliumDash.Components.Tests;

public sealed class ConnectivityPageTests : DashboardContext
{
    private static AngleSharp.Dom.IElement Cell(IRenderedComponent<ConnectivityPage> page, string from, string to) =>
        page.Find($"td.mx[data-from='{from}'][data-to='{to}']");

    private void EndpointDown(string local = "fedora") =>
        Matrix.Ingest(local, HealthJson.Pair(local, Now, knode1Endpoint: Probe.Fail("Connection timed out")));

    [Fact]
    public void Matrix_EndpointUnreachableHostOk_PurpleHalfMarkedCellWithErrorOnHover()
    {
        EndpointDown();

        var page = Render<ConnectivityPage>();

        var cell = Cell(page, "fedora", "knode1");
        // Not the failing red, and not only colour: its own symbol, readable by a screen reader as the cell's name.
        Assert.Contains("background-color:#8250df", cell.GetAttribute("style"));
        Assert.Contains("k-hostokendpointdown", cell.ClassName);
        Assert.Equal("◐", cell.QuerySelector("button.mx-cell")!.TextContent);
        Assert.Equal("◐ " + cell.GetAttribute("title"), cell.QuerySelector("button.mx-cell")!.GetAttribute("aria-label"));
        Assert.Equal("fedora → knode1 · Endpoint ICMP: host OK, endpoint unreachable — Connection timed out", cell.GetAttribute("title"));
        Assert.Equal("Ok", Cell(page, "fedora", "fedora").GetAttribute("data-kind"));
        Assert.Equal("Cluster health: 1/2 reachable", page.Find("[data-testid=cluster-health]").TextContent);
    }

    [Fact]
    public void Matrix_HostPathChosen_PairStillMarkedFailing()
    {
        EndpointDown();
        var page = Render<ConnectivityPage>();

        page.Find("[data-testid=path-host-icmp]").Click();

        var cell = Cell(page, "fedora", "knode1");
        Assert.Equal("Ok", cell.GetAttribute("data-kind"));
        Assert.Contains("pair-bad", cell.ClassName);
    }

    [Fact]
    public void Matrix_NotProbedAndNoReport_DistinctStates()
    {
        Matrix.Ingest("fedora", HealthJson.Report("fedora", Now, HealthJson.Peer("fedora"), HealthJson.Peer("knode1", endpointIcmp: Probe.NotProbed)));
        Matrix.Retain(new HashSet<string> { "fedora", "knode1" });

        var page = Render<ConnectivityPage>();

        Assert.Equal("NotProbed", Cell(page, "fedora", "knode1").GetAttribute("data-kind"));
        Assert.Equal("NoData", Cell(page, "knode1", "fedora").GetAttribute("data-kind"));
        Assert.DoesNotContain("#1a7f37", Cell(page, "fedora", "knode1").GetAttribute("style"));
    }

    [Fact]
    public void Matrix_ClickCell_PairPanelWithHistoryAndLastError()
    {
        EndpointDown();
        var page = Render<ConnectivityPage>();

        Cell(page, "fedora", "knode1").Click();

        var panel = page.Find("[data-testid=pair-panel]");
        Assert.Contains("fedora", panel.QuerySelector("h2")!.TextContent);
        Assert.Equal("Connection timed out", panel.QuerySelector("tr[data-path=endpoint-icmp] [data-testid=last-error]")!.TextContent);
        // One report so far: the single sample is a dot (a one-point line would draw nothing).
        Assert.NotNull(panel.QuerySelector("tr[data-path=host-icmp] svg.sparkline circle"));
    }

    [Fact]
    public void Matrix_ManyNodes_BinnedOverviewAndZoom()
    {
        var names = Enumerable.Range(0, 100).Select(i => $"n{i:000}").ToArray();
        Matrix.Ingest("n000", HealthJson.Report("n000", Now, names.Select((n, i) => HealthJson.Peer(n, $"192.168.1.{i}", $"10.0.{i}.1")).ToArray()));

        var page = Render<ConnectivityPage>();

        // 3 nodes per block, so at most 48 blocks a side.
        Assert.Equal(34, page.FindAll("[data-testid=overview] tr").Count);
        Assert.Equal(48, page.FindAll("[data-testid=matrix] tbody tr").Count);
        Assert.Equal("n000", page.Find("[data-testid=matrix] tbody th").TextContent);

        page.FindAll("[data-testid=overview] tr")[10].QuerySelectorAll("td")[0].Click();
        Assert.Equal("n030", page.Find("[data-testid=matrix] tbody th").TextContent);

        // The last blocks still fill a whole window.
        page.FindAll("[data-testid=overview] tr")[33].QuerySelectorAll("td")[0].Click();
        Assert.Equal("n052", page.Find("[data-testid=matrix] tbody th").TextContent);
    }

    [Fact]
    public void Matrix_ManyNodes_OverviewFramesTheZoomedWindow()
    {
        var names = Enumerable.Range(0, 100).Select(i => $"n{i:000}").ToArray();
        Matrix.Ingest("n000", HealthJson.Report("n000", Now, names.Select((n, i) => HealthJson.Peer(n, $"192.168.1.{i}", $"10.0.{i}.1")).ToArray()));
        var page = Render<ConnectivityPage>();
        var frame = () => page.Find("[data-testid=overview-window]").GetAttribute("style");
        // 48 nodes of 3 per block: 16 blocks of 10 px, framed from the first block.
        Assert.Equal("left:0.5px;top:0.5px;width:161px;height:161px", frame());

        page.FindAll("[data-testid=overview] tr")[10].QuerySelectorAll("td")[5].Click();

        Assert.Equal("left:50.5px;top:100.5px;width:161px;height:161px", frame());
    }

    [Fact]
    public void Matrix_LiveUpdateWithSameCells_GridAndOverviewNotRedrawn()
    {
        var names = Enumerable.Range(0, 100).Select(i => $"n{i:000}").ToArray();
        var report = HealthJson.Report("n000", Now, names.Select((n, i) => HealthJson.Peer(n, $"192.168.1.{i}", $"10.0.{i}.1")).ToArray());
        Matrix.Ingest("n000", report);
        var page = Render<ConnectivityPage>();
        var (grid, overview, renders) = (page.FindComponent<MatrixGrid>(), page.FindComponent<MatrixOverview>(), page.RenderCount);

        Matrix.Ingest("n000", report);
        Time.Advance(TimeSpan.FromSeconds(1));

        page.WaitForAssertion(() => Assert.True(page.RenderCount > renders));
        Assert.Equal(1, grid.RenderCount);
        Assert.Equal(1, overview.RenderCount);
    }

    [Fact]
    public void NodeTable_NodeNobodyReaches_ListedFirst()
    {
        EndpointDown("fedora");
        EndpointDown("knode1");

        var page = Render<ConnectivityPage>();

        Assert.Equal(["knode1", "fedora"], page.FindAll("[data-testid=matrix-nodes] tbody tr[data-node]").Select(r => r.GetAttribute("data-node")));
    }

    [Fact]
    public void Overview_HealthCard_ClusterHealthLine()
    {
        EndpointDown();

        var page = Render<Overview>();

        Assert.Equal("Cluster health: 1/2 reachable", page.Find("[data-testid=cluster-health-line]").TextContent);
    }

    [Fact]
    public void NodeDetail_HealthPanel_ReadsTheMatrix()
    {
        EndpointDown();
        AddNodes(Node("fedora") with { Health = new HealthSummary("fedora", Now, null, 1, 2) });

        var page = Render<NodeDetail>(p => p.Add(x => x.Name, "fedora"));

        var knode1 = page.FindAll("[data-testid=health-peers] tbody tr").Single(r => r.TextContent.Contains("knode1", StringComparison.Ordinal));
        Assert.Contains("row-bad", knode1.ClassName);
        Assert.Contains("Connection timed out", knode1.TextContent);
        Assert.Contains("1/2 reachable", page.Markup);
    }
}
