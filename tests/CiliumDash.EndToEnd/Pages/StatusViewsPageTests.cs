using CiliumDash.EndToEnd.Browser;
using CiliumDash.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CiliumDash.EndToEnd.Pages;

/// <summary>The `cilium status --verbose` views in the browser, with a node whose controllers fail.</summary>
[Collection(BrowserCollection.Name)]
public sealed class StatusViewsPageTests
{
    private readonly BrowserFixture _browser;

    public StatusViewsPageTests(BrowserFixture browser) => _browser = browser;

    [Fact]
    public async Task FailingControllersOnKnode1_NodePageControllersAndDrift_ShowItWhereTheOperatorLooks()
    {
        // Its own dashboard: the shared one must not see this fault.
        await using var dashboard = new DashboardServer();
        dashboard.Simulator.Faults.FailingControllerNodes = new HashSet<string> { "knode1" };
        var page = await _browser.NewPageAsync(dashboard.BaseAddress);

        await page.GotoAsync("nodes/knode1");
        await Expect(page.GetByTestId("node-problems")).ToContainTextAsync("controller ipcache-inject-labels is failing since");
        await Expect(page.GetByTestId("kpr-details")).ToContainTextAsync("Maglev (Table Size: 16381)");
        await Expect(page.Locator("[data-testid=controllers-table] tbody tr").First).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("row-bad"));
        await Expect(page.GetByTestId("bpf-maps")).ToContainTextAsync("TCP connection tracking");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts.Screenshots, "node-detail.png"), FullPage = true });

        await page.GetByRole(AriaRole.Link, new() { Name = "Controllers", Exact = true }).ClickAsync();
        var failing = page.Locator("[data-testid=failing-controllers] tbody tr");
        await Expect(failing.First).ToContainTextAsync("knode1");
        await Expect(page.GetByTestId("controller-history")).ToContainTextAsync("still failing");

        await page.GetByRole(AriaRole.Link, new() { Name = "Drift", Exact = true }).ClickAsync();
        await Expect(page.Locator("[data-testid=drift-table] tbody tr[data-node]")).ToHaveCountAsync(2);
        await Expect(page.GetByTestId("drift-count")).ToContainTextAsync("of 2 nodes differ");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts.Screenshots, "drift.png"), FullPage = true });
    }
}
