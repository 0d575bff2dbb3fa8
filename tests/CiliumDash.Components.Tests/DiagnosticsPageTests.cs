using Bunit;
using CiliumDash.Flows;

namespace CiliumDash.Components.Tests;

public sealed class DiagnosticsPageTests : DashboardContext
{
    [Fact]
    public void Diagnostics_StreamOfDuplicates_WarningShownWithTheRelay()
    {
        Flows.SetStreamWarning(new FlowStreamWarning("hubble-relay has sent only flows already seen for 6 s", Time.GetUtcNow(), 600));

        var page = Render<CiliumDash.Components.Pages.Diagnostics>();

        page.WaitForAssertion(() => Assert.Contains("only flows already seen", page.Find("[data-testid=diag-stream-warning]").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public void Diagnostics_NoWarning_NoWarningLine()
    {
        var page = Render<CiliumDash.Components.Pages.Diagnostics>();

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=diag-relay]")));
        Assert.Empty(page.FindAll("[data-testid=diag-stream-warning]"));
    }

    [Fact]
    public void Diagnostics_300RelayNodes_GroupedByStateHealthyFolded()
    {
        var nodes = Enumerable.Range(1, 300)
            .Select(i => new RelayNode($"worker-{i}", "v1.16.3", $"10.0.{i / 256}.{i % 256}:4244", i <= 3 ? "NODE_UNAVAILABLE" : "NODE_CONNECTED", 10, 4095, 100))
            .ToList();
        Flows.SetServerStatus(new RelayServerStatus(0, 0, 0, TimeSpan.FromHours(1), 297, 3, ["worker-1", "worker-2", "worker-3"], "v1.16.3", 1, nodes, Time.GetUtcNow()));

        var page = Render<CiliumDash.Components.Pages.Diagnostics>();

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=diag-node-group]").Count));
        var groups = page.FindAll("[data-testid=diag-node-group]");
        var unavailable = groups.Single(g => g.GetAttribute("data-state") == "NODE_UNAVAILABLE");
        var connected = groups.Single(g => g.GetAttribute("data-state") == "NODE_CONNECTED");
        Assert.True(unavailable.HasAttribute("open"));
        Assert.False(connected.HasAttribute("open"));
        Assert.Contains("3 nodes: worker-1, worker-2, worker-3", unavailable.QuerySelector("summary")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("297 nodes", connected.QuerySelector("summary")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("0", connected.QuerySelector("[role=region]")!.GetAttribute("tabindex"));
    }
}
