using Bunit;
using CiliumDash.Agents;
using CiliumDash.Components.Pages;
using static CiliumDash.Tests.Builders.ClusterData;

namespace CiliumDash.Components.Tests;

public sealed class MapPressurePageTests : DashboardContext
{
    [Fact]
    public void NodeDetail_Pressure_FullestFirstColouredByLevel()
    {
        AddNodes(Node("knode1", mapPressure: Pressure(("cilium_lxc", 0.004), ("cilium_ct4_global", 0.93), ("cilium_snat_v4_external", 0.65))));

        var page = Render<NodeDetail>(p => p.Add(x => x.Name, "knode1"));

        var rows = page.FindAll("[data-testid=map-pressure] tbody tr");
        Assert.Equal(["cilium_ct4_global", "cilium_snat_v4_external", "cilium_lxc"], rows.Select(r => r.QuerySelector("td")!.TextContent));
        Assert.Equal(["fill-high", "fill-elevated", "fill-ok"], rows.Select(r => r.QuerySelector("[data-testid=map-fill]")!.GetAttribute("data-level")));
        Assert.Contains("93.0 %", rows[0].TextContent);
        Assert.Contains("row-bad", rows[0].ClassList);
        Assert.Contains("list, read 20s ago.", page.Find("[data-testid=map-pressure-scroll] + p").TextContent);
        Assert.Contains("BPF map cilium_ct4_global is 93 % full", page.Find("[data-testid=node-problems]").TextContent);
        Assert.DoesNotContain("cilium_snat_v4_external", page.Find("[data-testid=node-problems]").TextContent);
        Assert.DoesNotContain("which this source does not read", page.Markup);
    }

    [Fact]
    public void NodeDetail_ImpossibleValues_ShownForWhatTheyAre()
    {
        AddNodes(Node("fedora", mapPressure: Pressure(("cilium_ipcache", double.NaN), ("cilium_lxc", -0.25))));

        var page = Render<NodeDetail>(p => p.Add(x => x.Name, "fedora"));

        var fills = page.FindAll("[data-testid=map-fill]");
        Assert.All(fills, f => Assert.Equal("fill-invalid", f.GetAttribute("data-level")));
        Assert.Contains("NaN (not a fill level)", fills[0].TextContent);
        Assert.Contains("-25 % (negative: not a fill level)", fills[1].TextContent);
        Assert.Empty(page.FindAll(".map-fill-bar"));
    }

    [Fact]
    public void NodeDetail_NotAvailable_SaysWhy()
    {
        AddNodes(Node("fedora", mapPressureError: "map pressure not available: 'cilium metrics list -o json' exited with code 1: Error: unknown command"));

        var page = Render<NodeDetail>(p => p.Add(x => x.Name, "fedora"));

        Assert.Equal("map pressure not available: 'cilium metrics list -o json' exited with code 1: Error: unknown command",
            page.Find("[data-testid=map-pressure-unavailable]").TextContent);
        Assert.Empty(page.FindAll("[data-testid=map-pressure]"));
    }

    [Fact]
    public void NodeDetail_ReadOnlyProfile_SaysExecIsOff()
    {
        Cluster.ExecDisabled = true;
        AddNodes(Node("fedora"));

        var page = Render<NodeDetail>(p => p.Add(x => x.Name, "fedora"));

        Assert.Equal(MapPressureReads.ReadOnlyReason, page.Find("[data-testid=map-pressure-unavailable]").TextContent);
    }

    [Fact]
    public void BpfMaps_MapsOver80_ClusterWideSortedByFillWithUnavailableNodes()
    {
        Options.Kubernetes.MetricsInterval = TimeSpan.FromMinutes(2);
        AddNodes(
            Node("fedora", mapPressure: Pressure(("cilium_ct4_global", 0.85), ("cilium_lxc", 0.79))),
            Node("knode1", mapPressure: Pressure(("cilium_ct4_global", 0.93), ("cilium_snat_v4_external", 0.86))),
            Node("knode2", mapPressureError: "map pressure not available: this agent version has no /v1/metrics/ API"));

        var page = Render<BpfMaps>();

        var rows = page.FindAll("[data-testid=map-pressure-high] tbody tr");
        Assert.Equal(["knode1 cilium_ct4_global", "knode1 cilium_snat_v4_external", "fedora cilium_ct4_global"],
            rows.Select(r => $"{r.Children[1].TextContent} {r.Children[2].TextContent}"));
        // Each row carries its map-pressure finding's severity: under 95 % a warning.
        Assert.All(rows, r => Assert.Equal("warning", r.Children[0].TextContent));
        Assert.All(rows, r => Assert.Equal("fill-high", r.QuerySelector("[data-testid=map-fill]")!.GetAttribute("data-level")));
        Assert.Contains("Maps over 80 % full (3)", page.Find("[data-testid=map-pressure-high]").TextContent);
        Assert.Equal("knode2: map pressure not available: this agent version has no /v1/metrics/ API",
            page.Find("[data-testid=map-pressure-unavailable] li").TextContent);
        var notice = page.Find("[data-testid=map-pressure-notice]").TextContent;
        Assert.Contains("cilium-dbg metrics list", notice);
        Assert.Contains("every 2m0s per node", notice);
    }

    [Fact]
    public void BpfMaps_NoneOver80_SaysHowManyNodesReported()
    {
        AddNodes(Node("fedora", mapPressure: Pressure(("cilium_ct4_global", 0.2))), Node("knode1"));

        var page = Render<BpfMaps>();

        Assert.Empty(page.FindAll("[data-testid=map-pressure-high] tbody tr"));
        Assert.Contains("No map is over 80 % full on the 1 node(s) that reported fill levels.", page.Find("[data-testid=map-pressure-high]").TextContent);
    }
}
