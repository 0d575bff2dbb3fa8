using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using static CiliumDash.Tests.Builders.FlowData;
using CiliumDash.Shared;

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

public sealed class FlowsPageFilterTests : DashboardContext
{
    private const string Script = "<script>alert(1)</script>";

    [Fact]
    public void Flows_FilterInUrl_OnlyMatchingRowsAndCommand()
    {
        Flows.Add(Flow(1));
        Flows.Add(Flow(2, verdict: "DROPPED", dropReason: "POLICY_DENIED"));
        Services.GetRequiredService<NavigationManager>().NavigateTo("/flows?verdict=DROPPED");

        var page = Render<CiliumDash.Components.Pages.Flows>();

        page.WaitForAssertion(() => Assert.Single(page.FindAll("tr[data-uuid]")));
        Assert.Equal("hubble observe --verdict DROPPED", page.Find("[data-testid=hubble-command]").TextContent);
        Assert.Contains("api/v1/flows?verdict=DROPPED&limit=1000&format=jsonl", page.Find("[data-testid=export-jsonl]").GetAttribute("href"), StringComparison.Ordinal);
    }

    [Fact]
    public void Flows_MalformedFilterInUrl_MessageAndNoFlows()
    {
        Flows.Add(Flow(1));
        Services.GetRequiredService<NavigationManager>().NavigateTo("/flows?to-port=eighty");

        var page = Render<CiliumDash.Components.Pages.Flows>();

        Assert.Contains("to-port", page.Find("[data-testid=filter-error]").TextContent, StringComparison.Ordinal);
        Assert.Contains("invalid", page.Find("[data-testid=flows-empty]").TextContent, StringComparison.Ordinal);
        Assert.Equal("to-port=eighty", page.Find("[data-testid=filter-raw]").GetAttribute("value"));
        Assert.Empty(page.FindAll("tr[data-uuid]"));
    }

    [Fact]
    public void Flows_BadValueThenLiveUpdate_ErrorStaysAndFlowsMarkedAsLastValid()
    {
        Flows.Add(Flow(1));
        var page = Render<CiliumDash.Components.Pages.Flows>();
        page.WaitForAssertion(() => Assert.Single(page.FindAll("tr[data-uuid]")));

        page.Find("[data-testid=filter-flag]").Change("verdict");
        page.Find("[data-testid=filter-value]").Input("FOO");
        page.Find("[data-testid=filter-add]").Click();
        // A live update re-renders the page; the error must survive it.
        Flows.Add(Flow(2));
        Time.Advance(TimeSpan.FromSeconds(1));

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("tr[data-uuid]").Count));
        Assert.Contains("verdict", page.Find("[data-testid=filter-error]").TextContent, StringComparison.Ordinal);
        Assert.Contains("last valid filter", page.Find("[data-testid=filter-stale]").TextContent, StringComparison.Ordinal);
        Assert.Equal("true", page.Find("[data-testid=filter-value]").GetAttribute("aria-invalid"));
        Assert.EndsWith("/", Services.GetRequiredService<NavigationManager>().Uri, StringComparison.Ordinal);
    }

    [Fact]
    public void Flows_DrawerFilterByThis_AddsTheTerm()
    {
        Flows.Add(Flow(1, verdict: "DROPPED", dropReason: "POLICY_DENIED"));
        var page = Render<CiliumDash.Components.Pages.Flows>();
        page.WaitForAssertion(() => Assert.Single(page.FindAll("tr[data-uuid]")));

        page.Find("tr[data-uuid]").KeyDown(new Microsoft.AspNetCore.Components.Web.KeyboardEventArgs { Key = "Enter" });
        page.Find("[data-testid=flow-drawer] [data-testid=filter-this][data-flag=drop-reason-desc]").Click();

        Assert.EndsWith("/flows?drop-reason-desc=POLICY_DENIED", Services.GetRequiredService<NavigationManager>().Uri, StringComparison.Ordinal);
    }

    [Fact]
    public void Flows_AddTerm_NavigatesToTheFilteredUrl()
    {
        var page = Render<CiliumDash.Components.Pages.Flows>();

        page.Find("[data-testid=filter-flag]").Change("to-port");
        page.Find("[data-testid=filter-not]").Change(true);
        page.Find("[data-testid=filter-value]").Input("53");
        page.Find("[data-testid=filter-add]").Click();

        Assert.EndsWith("/flows?not-to-port=53", Services.GetRequiredService<NavigationManager>().Uri, StringComparison.Ordinal);
    }

    [Fact]
    public void Flows_ScriptInPodAndLabel_TextInTableAndDrawer()
    {
        Flows.Add(Flow(1, sourcePod: Script, sourceLabels: ["k8s:app=" + Script], summary: new string('x', 300)));
        var page = Render<CiliumDash.Components.Pages.Flows>();
        page.WaitForAssertion(() => Assert.Single(page.FindAll("tr[data-uuid]")));

        var row = page.Find("tr[data-uuid]");
        Assert.Empty(page.FindAll("tr[data-uuid] script"));
        Assert.Contains(Script, row.TextContent, StringComparison.Ordinal);
        Assert.Contains(new string('x', 255) + "…", row.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(new string('x', 257), row.TextContent, StringComparison.Ordinal);

        row.Click();

        var drawer = page.Find("[data-testid=flow-drawer]");
        Assert.Empty(drawer.QuerySelectorAll("script"));
        Assert.Contains("k8s:app=" + Script, drawer.TextContent, StringComparison.Ordinal);
        Assert.Contains(new string('x', 300), drawer.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Flows_OpenDroppedFlow_DrawerShowsReasonAndEveryField()
    {
        Flows.Add(Flow(1, verdict: "DROPPED", dropReason: "POLICY_DENIED"));
        var page = Render<CiliumDash.Components.Pages.Flows>();
        page.WaitForAssertion(() => Assert.Single(page.FindAll("tr[data-uuid]")));

        page.Find("tr[data-uuid]").Click();

        Assert.Contains("POLICY_DENIED", page.Find("[data-testid=drawer-drop-reason]").TextContent, StringComparison.Ordinal);
        var fields = page.Find("[data-testid=drawer-fields]").TextContent;
        Assert.Contains("destination_service.name", fields, StringComparison.Ordinal);
        Assert.Contains("l4.TCP.destination_port", fields, StringComparison.Ordinal);
        page.Find("[data-testid=drawer-close]").Click();
        Assert.Empty(page.FindAll("[data-testid=flow-drawer]"));
    }

    [Fact]
    public void Flows_Paused_NewFlowsNotShownUntilResumed()
    {
        Flows.Add(Flow(1));
        var page = Render<CiliumDash.Components.Pages.Flows>();
        page.WaitForAssertion(() => Assert.Single(page.FindAll("tr[data-uuid]")));

        page.Find("[data-testid=pause-button]").Click();
        Flows.Add(Flow(2));
        Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Single(page.FindAll("tr[data-uuid]"));

        page.Find("[data-testid=pause-button]").Click();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("tr[data-uuid]").Count));
    }
}

public sealed class FlowSummaryAndDiagnosticsTests : DashboardContext
{
    [Fact]
    public void Summary_DropsAndTalkers_Shown()
    {
        Flows.Add(Flow(1));
        Flows.Add(Flow(2, verdict: "DROPPED", dropReason: "POLICY_DENIED", sourcePod: "<b>evil</b>-1"));

        var page = Render<CiliumDash.Components.Pages.FlowSummaryPage>();

        Assert.Contains("POLICY_DENIED", page.Find("[data-testid=summary-drop-reasons]").TextContent, StringComparison.Ordinal);
        Assert.Contains("default/<b>evil</b>", page.Find("[data-testid=summary-talkers]").TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=summary-talkers] b"));
        Assert.Contains("shop", page.Find("[data-testid=summary-namespaces]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Diagnostics_CountersAndLostEvents_Shown()
    {
        Flows.Add(Flow(1));
        Flows.AddLost(new CiliumDash.Flows.LostEventRecord(DateTimeOffset.UnixEpoch, "fedora", "PERF_EVENT_RING_BUFFER", 42));

        var page = Render<CiliumDash.Components.Pages.Diagnostics>();

        Assert.Equal("1", page.Find("[data-testid=diag-received]").TextContent);
        Assert.Contains("PERF_EVENT_RING_BUFFER", page.Find("[data-testid=diag-lost]").TextContent, StringComparison.Ordinal);
        Assert.Contains("42", page.Find("[data-testid=diag-lost]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Diagnostics_EventsWatchFailing_SaysWhy()
    {
        Events.SetHealth(h => h with { State = SourceState.Reconnecting, LastError = "CiliumNetworkPolicies: forbidden: the dashboard's ClusterRole needs list and watch" });
        Events.Add(CiliumDash.Events.ClusterEventKind.NodeJoined, null, "knode5", null, "knode5", "node registered");

        var page = Render<CiliumDash.Components.Pages.Diagnostics>();

        Assert.Contains("Reconnecting", page.Find("[data-testid=diag-events]").TextContent, StringComparison.Ordinal);
        Assert.Contains("ClusterRole needs list and watch", page.Find("[data-testid=diag-events-error]").TextContent, StringComparison.Ordinal);
        Assert.StartsWith("1 ", page.Find("[data-testid=diag-events-total]").TextContent, StringComparison.Ordinal);
    }
}

public sealed class FlowsPageTeamScopeTests : DashboardContext
{
    [Fact]
    public void Flows_ShopTeamMember_SeesOnlyFlowsTouchingShop()
    {
        Options.Auth.Teams["shop-team"] = "shop";
        Auth.SetClaims(new System.Security.Claims.Claim(CiliumDash.Shared.AccessScopes.GroupClaim, "shop-team"));
        Flows.Add(Flow(1));   // default → shop
        Flows.Add(Flow(2, sourceNamespace: "kube-system", destinationNamespace: "monitoring"));

        var page = Render<CiliumDash.Components.Pages.Flows>();

        page.WaitForAssertion(() => Assert.Single(page.FindAll("tr[data-uuid]")));
        Assert.Equal(Flow(1).Uuid, page.Find("tr[data-uuid]").GetAttribute("data-uuid"));
    }

    [Fact]
    public void Flows_UserInNoTeam_SeesNoFlowsEvenWithAFilterForThem()
    {
        Options.Auth.Teams["shop-team"] = "shop";
        Flows.Add(Flow(1));
        Services.GetRequiredService<NavigationManager>().NavigateTo("/flows?namespace=shop");

        var page = Render<CiliumDash.Components.Pages.Flows>();

        Assert.Empty(page.FindAll("tr[data-uuid]"));
        Assert.Contains("showing 0 of 0 matching", page.Find("[data-testid=flows-showing]").TextContent);
    }
}
