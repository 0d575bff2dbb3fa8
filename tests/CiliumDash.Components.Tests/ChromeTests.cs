using Bunit;
using CiliumDash.Cluster;
using CiliumDash.Components.Controls;
using CiliumDash.Components.Layout;
using CiliumDash.Hosting;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using CiliumDash.Shared;

namespace CiliumDash.Components.Tests;

/// <summary>The layout and the banner: what tells the user the data is simulated or not live.</summary>
public sealed class ChromeTests : DashboardContext
{
    private IRenderedComponent<MainLayout> RenderLayout() =>
        Render<MainLayout>(p => p.Add(l => l.Body, (RenderFragment)(b => b.AddContent(0, "page"))));

    [Fact]
    public void Layout_SimulatedConnection_ShowsBadge()
    {
        Connection.Set(new ClusterEndpoints(null, null, Simulated: true, "simulated cluster (2 nodes, Cilium 1.12.0)"));

        var badge = RenderLayout().Find("[data-testid=simulated-badge]");

        Assert.Equal("SIMULATED CLUSTER", badge.TextContent);
        Assert.Equal("simulated cluster (2 nodes, Cilium 1.12.0)", badge.GetAttribute("title"));
    }

    [Fact]
    public void Layout_RealCluster_NoBadge()
    {
        Connection.Set(new ClusterEndpoints(null, null, Simulated: false, "Kubernetes API https://10.0.0.1:6443"));

        Assert.Empty(RenderLayout().FindAll("[data-testid=simulated-badge]"));
    }

    [Fact]
    public void Layout_AnonymousAccessAllowed_WarnsEveryone()
    {
        Options.Auth.AllowAnonymous = true;

        Assert.Contains("anyone who can reach this address", RenderLayout().Find("[data-testid=anonymous-banner]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Layout_TokenMode_ShowsTheUserAndSignOut()
    {
        Options.Auth.Mode = CiliumDash.Configuration.AuthMode.Token;

        var layout = RenderLayout();

        Assert.Equal("alice", layout.Find("[data-testid=user-name]").TextContent);
        Assert.Equal("logout", layout.Find("form.logout").GetAttribute("action"));
        Assert.Empty(layout.FindAll("[data-testid=anonymous-banner]"));
    }

    [Fact]
    public void Layout_NavigatedToANodesSubpage_MarksOnlyTheNodesLinkActive()
    {
        var layout = RenderLayout();
        Assert.Equal(["Overview"], layout.FindAll(".mud-nav-link.active").Select(a => a.TextContent));

        Services.GetRequiredService<NavigationManager>().NavigateTo("nodes/fedora?tab=bpf");

        layout.WaitForAssertion(() => Assert.Equal(["Nodes"], layout.FindAll(".mud-nav-link.active").Select(a => a.TextContent)));
        Assert.Equal("page", layout.Find(".mud-nav-link.active").GetAttribute("aria-current"));
        Assert.Equal(9, layout.FindAll(".top-link a.mud-nav-link").Count);
    }

    [Fact]
    public void Layout_MenuButton_TogglesExpandedAndClosesOnNavigation()
    {
        var layout = RenderLayout();
        var button = layout.Find("[data-testid=menu-button]");
        Assert.Equal("false", button.GetAttribute("aria-expanded"));
        Assert.Equal("top-nav", button.GetAttribute("aria-controls"));

        button.Click();
        Assert.Equal("true", layout.Find("[data-testid=menu-button]").GetAttribute("aria-expanded"));
        Assert.Contains("menu-open", layout.Find("header").ClassName, StringComparison.Ordinal);

        Services.GetRequiredService<NavigationManager>().NavigateTo("nodes");
        layout.WaitForAssertion(() => Assert.Equal("false", layout.Find("[data-testid=menu-button]").GetAttribute("aria-expanded")));
    }

    [Fact]
    public void SourceBanner_ReconnectSecondsAfterGoodData_NoBanner()
    {
        var health = new SourceHealth("hubble-relay", "http://127.0.0.1:4245", SourceState.Reconnecting, "stream ended", Time.GetUtcNow().AddSeconds(-2), Time.GetUtcNow());

        var banner = Render<SourceBanner>(p => p.Add(b => b.Health, health).Add(b => b.What, "hubble-relay"));

        Assert.Empty(banner.FindAll("[data-testid=source-banner]"));
    }

    [Fact]
    public void LiveState_SourceDown_DegradedNamingTheSourceAndSince()
    {
        var since = Time.GetUtcNow().AddMinutes(-2);
        var relay = new SourceHealth("hubble-relay", "x", SourceState.Reconnecting, "refused", null, since);
        var agents = new SourceHealth("Cilium agents", "y", SourceState.Connected, null, since, null);

        var status = LiveState.Of(paused: false, Time.GetUtcNow(), [agents, relay], replay: false, newestData: null);

        Assert.Equal(LiveMode.Degraded, status.Mode);
        Assert.Equal("hubble-relay reconnecting", status.Detail);
        Assert.Equal(since, status.Since);
        Assert.Equal(LiveMode.Paused, LiveState.Of(paused: true, Time.GetUtcNow(), [relay], replay: false, null).Mode);
        Assert.Equal(LiveMode.Live, LiveState.Of(paused: false, Time.GetUtcNow(), [agents], replay: false, null).Mode);
        var replay = LiveState.Of(paused: false, Time.GetUtcNow(), [agents], replay: true, new DateTimeOffset(2025, 3, 1, 14, 2, 5, TimeSpan.Zero));
        Assert.Equal("recorded cluster, captured 2025-03-01 14:02:05 UTC; times are the capture's", replay.Detail);
    }

    [Fact]
    public void FilterGroups_EveryFlag_InExactlyOneGroup()
    {
        var grouped = FilterGroups.All.SelectMany(g => g.Flags.Select(f => f.Flag)).ToList();

        Assert.Equal(grouped.Count, grouped.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(CiliumDash.Flows.Query.FlowQuery.Flags.Select(f => f.Flag).Order(StringComparer.Ordinal), grouped.Order(StringComparer.Ordinal));
        Assert.Equal(["Endpoints (either side, from, to)", "Traffic", "L7", "Node"], FilterGroups.All.Select(g => g.Group));
    }

    [Theory]
    [InlineData("", 0)]
    [InlineData("?token=x", 0)]
    [InlineData("nodes", 1)]
    [InlineData("NODES/knode1", 1)]
    [InlineData("flows#summary", 6)]
    [InlineData("map?group-by=namespace", 7)]
    [InlineData("nodesx", 9)]
    [InlineData("login", 9)]
    public void TopNav_RelativePath_ActiveItem(string path, int expected) => Assert.Equal(expected, TopNav.ActiveIndex(path));

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ThemeProvider_ThemeAndMode_RendersTheStockProvidersCss(bool dark)
    {
        var stock = Render<MudThemeProvider>(p => p.Add(t => t.Theme, DashTheme.Theme).Add(t => t.IsDarkMode, dark)).Markup;

        var shared = Render<DashThemeProvider>(p => p.Add(t => t.Theme, DashTheme.Theme).Add(t => t.IsDarkMode, dark)).Markup;

        var styles = System.Text.RegularExpressions.Regex.Matches(shared, "<style[^>]*>.*?</style>", System.Text.RegularExpressions.RegexOptions.Singleline);
        Assert.Equal(2, styles.Count);
        Assert.All(styles, s => Assert.Contains(s.Value, stock, StringComparison.Ordinal));
        Assert.Contains(dark ? "--mud-palette-primary: rgba(88,166,255,1)" : "--mud-palette-primary: rgba(9,105,218,1)", shared, StringComparison.Ordinal);
    }

    [Fact]
    public void SourceBanner_Reconnecting_ShowsStateAndLastError()
    {
        var health = new SourceHealth("hubble-relay", "http://127.0.0.1:4245", SourceState.Reconnecting,
            "hubble-relay not reachable at http://127.0.0.1:4245: Connection refused", Time.GetUtcNow().AddMinutes(-3), Time.GetUtcNow());

        var banner = Render<SourceBanner>(p => p.Add(b => b.Health, health).Add(b => b.What, "hubble-relay")).Find("[data-testid=source-banner]");

        Assert.Contains("hubble-relay: reconnecting", banner.TextContent);
        Assert.Contains("hubble-relay not reachable at http://127.0.0.1:4245: Connection refused", banner.TextContent);
        Assert.Contains("last good data 3m0s ago", banner.TextContent);
    }

    [Fact]
    public void SourceBanner_Connected_Hidden()
    {
        var health = new SourceHealth("agents", "test", SourceState.Connected, null, Time.GetUtcNow(), null);

        var banner = Render<SourceBanner>(p => p.Add(b => b.Health, health).Add(b => b.What, "Cilium agents"));

        Assert.Empty(banner.FindAll("[data-testid=source-banner]"));
    }
}
