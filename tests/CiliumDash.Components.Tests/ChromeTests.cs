using Bunit;
using CiliumDash.Cluster;
using CiliumDash.Components.Controls;
using CiliumDash.Components.Layout;
using CiliumDash.Hosting;
using Microsoft.AspNetCore.Components;

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
