using CiliumDash.EndToEnd.Browser;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CiliumDash.EndToEnd.Pages;

/// <summary>
/// The EC2 case of the original notes in a real browser: knode1's health endpoint answers nobody while its host does.
/// The one diagnosis names knode1 on the overview, in its row on /nodes, on its node page and in the connectivity
/// embed, and the finding leaves every page once the fault clears.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class FindingsPagesTests
{
    private const string Summary = "1 of 1 peers cannot reach knode1's health endpoint while its host answers";

    /// <summary>Two polls at the simulator's pace, and the findings' pace on top: long enough, and never waited out.</summary>
    private static readonly LocatorAssertionsToHaveCountOptions Count = new() { Timeout = 30_000 };
    private static readonly LocatorAssertionsToContainTextOptions Text = new() { Timeout = 30_000 };
    private static readonly LocatorAssertionsToHaveAttributeOptions Attribute = new() { Timeout = 30_000 };

    private readonly BrowserFixture _browser;

    public FindingsPagesTests(BrowserFixture browser) => _browser = browser;

    [Fact]
    public async Task EndpointNobodyReaches_NamedOnOverviewNodesNodePageAndEmbed_GoneWhenItClears()
    {
        var faults = _browser.Dashboard.Simulator.Faults;
        var page = await _browser.NewPageAsync();
        try
        {
            faults.EndpointUnreachableNodes = new HashSet<string> { "knode1" };

            await page.GotoAsync("/");
            var finding = page.Locator("[data-testid=overview-findings] li.finding[data-kind=endpoint-unreachable][data-node=knode1]");
            await Expect(finding).ToHaveCountAsync(1, Count);
            await Expect(finding.Locator("a").First).ToHaveTextAsync(Summary);
            await Expect(finding.Locator(".state-chip")).ToHaveTextAsync("critical");
            await Expect(page.GetByTestId("health-card")).ToHaveAttributeAsync("data-severity", "critical");
            await Expect(page.GetByTestId("health-unreachable")).ToContainTextAsync("knode1 (health endpoint)");
            // The hint opens by keyboard: focus the summary, press Enter.
            await finding.Locator("details > summary").FocusAsync();
            await page.Keyboard.PressAsync("Enter");
            await Expect(finding.Locator("details p.hint")).ToBeVisibleAsync();
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts.Screenshots, "findings-overview.png"), FullPage = true });

            await page.GotoAsync("/nodes");
            var row = page.Locator("tr[data-node=knode1]");
            await Expect(row).ToHaveAttributeAsync("data-severity", "critical", Attribute);
            await Expect(row.GetByTestId("node-problems")).ToContainTextAsync(Summary);
            await Expect(page.Locator("[data-testid=nodes-table] tbody tr[data-node]").First).ToHaveAttributeAsync("data-node", "knode1");
            await Expect(page.Locator("tr[data-node=fedora]")).ToHaveAttributeAsync("data-severity", "none");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts.Screenshots, "findings-nodes.png"), FullPage = true });

            await page.GotoAsync("/nodes/knode1");
            await Expect(page.GetByTestId("node-finding-list")).ToContainTextAsync(Summary, Text);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts.Screenshots, "findings-node-knode1.png"), FullPage = true });

            await page.GotoAsync("/embed/connectivity");
            var broken = page.Locator("[data-testid=embed-table] tr[data-key=knode1]");
            await Expect(broken).ToHaveAttributeAsync("data-state", "critical", Attribute);
            await Expect(broken.Locator(".state-chip")).ToHaveCSSAsync("background-color", "rgb(207, 34, 46)");
            await Expect(page.Locator("[data-testid=embed-table] tr[data-key=fedora]")).ToHaveAttributeAsync("data-state", "reachable");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts.Screenshots, "findings-embed-connectivity.png"), FullPage = true });

            // A phone-sized window: the findings wrap instead of scrolling sideways.
            await page.SetViewportSizeAsync(360, 800);
            await page.GotoAsync("/");
            await Expect(finding).ToHaveCountAsync(1, Count);
            Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "the overview scrolls sideways at 360 px");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts.Screenshots, "findings-overview-360.png"), FullPage = true });

            // The fault clears: the live overview drops the finding at the next poll, without a reload.
            faults.EndpointUnreachableNodes = new HashSet<string>();
            await Expect(page.Locator("li.finding[data-kind=endpoint-unreachable]")).ToHaveCountAsync(0, Count);
            await Expect(page.GetByTestId("health-unreachable")).ToHaveCountAsync(0);
        }
        finally
        {
            faults.EndpointUnreachableNodes = new HashSet<string>();
        }
    }
}
