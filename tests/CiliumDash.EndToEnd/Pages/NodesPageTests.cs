using CiliumDash.EndToEnd.Browser;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CiliumDash.EndToEnd.Pages;

[Collection(BrowserCollection.Name)]
public sealed class NodesPageTests
{
    private readonly BrowserFixture _browser;

    public NodesPageTests(BrowserFixture browser) => _browser = browser;

    [Fact]
    public async Task NodesPage_SimulatedCluster_ListsFedoraAndKnode1()
    {
        var page = await _browser.NewPageAsync();
        await page.GotoAsync("/nodes");

        var rows = page.Locator("[data-testid=nodes-table] tbody tr[data-node]");
        await Expect(rows).ToHaveCountAsync(2);
        await Expect(page.GetByTestId("nodes-total")).ToHaveTextAsync("(2)");
        foreach (var node in new[] { "fedora", "knode1" })
        {
            var row = page.Locator($"tr[data-node={node}]");
            await Expect(row.Locator("td").First).ToHaveTextAsync(node);
            await Expect(row.Locator(".state-chip")).ToHaveTextAsync("Ok");
        }

        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts.Screenshots, "nodes.png"), FullPage = true });
    }
}
