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
}
