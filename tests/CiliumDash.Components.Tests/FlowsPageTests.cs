using Bunit;
using static CiliumDash.Tests.Builders.FlowData;

namespace CiliumDash.Components.Tests;

public sealed class FlowsPageTests : DashboardContext
{
    [Fact]
    public void Flows_InWindow_RowsNewestFirst()
    {
        Flows.Add(Flow(1));
        Flows.Add(Flow(2, verdict: "DROPPED", dropReason: "POLICY_DENIED"));

        var page = Render<CiliumDash.Components.Pages.Flows>();

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("tr[data-uuid]").Count));
        var rows = page.FindAll("tr[data-uuid]");
        Assert.Equal(Flow(2).Uuid, rows[0].GetAttribute("data-uuid"));
        Assert.Contains("DROPPED", rows[0].TextContent);
        Assert.Contains("POLICY_DENIED: TCP Flags: SYN", rows[0].TextContent);
        Assert.Contains("default/frontend-7d4b9c6f5-x2x9k:41234", rows[1].TextContent);
        Assert.Contains("showing 2 of 2 matching, 2 in the window (2 received)", page.Find("[data-testid=flows-showing]").TextContent);
    }
}
