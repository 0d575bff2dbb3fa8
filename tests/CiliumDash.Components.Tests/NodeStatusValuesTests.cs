using Bunit;
using CiliumDash.Agents;
using CiliumDash.Cluster;
using CiliumDash.Components.Pages;
using CiliumDash.Connectivity;
using CiliumDash.Tests.Builders;
using static CiliumDash.Tests.Builders.ClusterData;

namespace CiliumDash.Components.Tests;

/// <summary>The node page prints what <c>cilium status --verbose</c> and <c>cilium-health status --probe</c> print.</summary>
public sealed class NodeStatusValuesTests : DashboardContext
{
    [Fact]
    public void NodeDetail_HubbleSeenFlowsAndUptime_FlowsPerSecondAsCiliumStatusPrintsIt()
    {
        AddNodes(Node("fedora", Status() with { Hubble = new HubbleStatus("Ok", null, 283, 4095, 1620, "16m40s", "Disabled") }));

        var page = Render<NodeDetail>(p => p.Add(x => x.Name, "fedora"));

        Assert.Contains("Current/Max Flows: 283/4,095 (6.91%), Flows/s: 1.62", page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void NodeDetail_HealthReport_ProbeTimeAndReachableWordsPerPeer()
    {
        Matrix.Ingest("fedora", HealthJson.Pair("fedora", Now, knode1Endpoint: Probe.Fail("Connection timed out")));
        AddNodes(Node("fedora") with { Health = new HealthSummary("fedora", Now, "1m30s", 1, 2) });

        var page = Render<NodeDetail>(p => p.Add(x => x.Name, "fedora"));

        Assert.StartsWith("Probe time: 2024-05-01T12:00:00Z", page.Find("[data-testid=probe-time]").TextContent, StringComparison.Ordinal);
        Assert.Contains("Probe interval: 1m30s", page.Find("[data-testid=probe-time]").TextContent, StringComparison.Ordinal);
        var knode1 = page.FindAll("[data-testid=health-peers] tbody tr").Single(r => r.TextContent.Contains("knode1", StringComparison.Ordinal));
        Assert.Equal("reachable", knode1.QuerySelector("[data-testid=peer-node]")!.TextContent);
        Assert.Equal("unreachable", knode1.QuerySelector("[data-testid=peer-endpoints]")!.TextContent);
    }

    [Fact]
    public void NodeDetail_OldAgent_UnreportedFieldsGroupedOnceNotRowByRow()
    {
        AddNodes(Node("fedora"));

        var page = Render<NodeDetail>(p => p.Add(x => x.Name, "fedora"));

        var note = page.Find("[data-testid=not-reported]").TextContent;
        Assert.StartsWith("Not reported by Cilium 1.12.0: Routing network, SRv6, BIG TCP, Attach mode / device mode, Container runtime, CNI config file, Auth certificate provider", note, StringComparison.Ordinal);
        Assert.DoesNotContain(page.FindAll("table.kv th"), th => th.TextContent is "SRv6" or "Container runtime");
    }

    [Theory]
    [InlineData("16m40s", 1000)]
    [InlineData("1h0m0.5s", 3600.5)]
    [InlineData("350ms", 0.35)]
    public void HubbleRate_GoDuration_Seconds(string text, double seconds) =>
        Assert.Equal(seconds, HubbleRate.Seconds(text)!.Value, 6);

    [Theory]
    [InlineData("")]
    [InlineData("ten minutes")]
    [InlineData("5x")]
    public void HubbleRate_NotADuration_Null(string text) => Assert.Null(HubbleRate.Seconds(text));
}
