using CiliumDash.EndToEnd.Browser;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CiliumDash.EndToEnd.Pages;

[Collection(BrowserCollection.Name)]
public sealed class ConnectivityPageTests
{
    private readonly BrowserFixture _browser;

    public ConnectivityPageTests(BrowserFixture browser) => _browser = browser;

    [Fact]
    public async Task ConnectivityPage_EndpointUnreachable_FailingPairCellIsPurple()
    {
        var faults = _browser.Dashboard.Simulator.Faults;
        var page = await _browser.NewPageAsync();
        try
        {
            faults.EndpointUnreachableNodes = new HashSet<string> { "knode1" };
            await page.GotoAsync("/connectivity");

            // The page updates live: the cell turns once the next poll has read the fault.
            var cell = page.Locator("td.mx[data-from=fedora][data-to=knode1]");
            await Expect(cell).ToHaveAttributeAsync("data-kind", "HostOkEndpointDown");
            await Expect(cell).ToHaveCSSAsync("background-color", "rgb(130, 80, 223)");
            await Expect(cell).ToHaveAttributeAsync("title", new System.Text.RegularExpressions.Regex("Connection timed out"));
            await Expect(page.Locator("td.mx[data-from=fedora][data-to=fedora]")).Not.ToHaveCSSAsync("background-color", "rgb(130, 80, 223)");
            await Expect(page.GetByTestId("cluster-health")).ToHaveTextAsync("Cluster health: 1/2 reachable");

            await cell.ClickAsync();
            await Expect(page.Locator("[data-testid=pair-panel] tr[data-path=endpoint-icmp] [data-testid=last-error]")).ToHaveTextAsync("Connection timed out");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts.Screenshots, "connectivity.png"), FullPage = true });
        }
        finally
        {
            faults.EndpointUnreachableNodes = new HashSet<string>();
        }
    }
}
