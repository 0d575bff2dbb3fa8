using System.Globalization;
using System.Text.RegularExpressions;
using CiliumDash.EndToEnd.Browser;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CiliumDash.EndToEnd.Pages;

[Collection(BrowserCollection.Name)]
public sealed partial class FlowsPageTests
{
    /// <summary>What the protocol column may show under <c>--protocol tcp</c>: TCP itself and the L7 protocols it carries.</summary>
    private static readonly string[] OverTcp = ["TCP", "HTTP", "Kafka"];

    private readonly BrowserFixture _browser;

    public FlowsPageTests(BrowserFixture browser) => _browser = browser;

    [Fact]
    public async Task FlowsPage_RelayStreaming_ShowsNewFlowsWithoutReload()
    {
        var page = await _browser.NewPageAsync();
        await page.GotoAsync("/flows");
        var firstRow = page.Locator("[data-testid=flows-table] tbody tr[data-uuid]").First;
        await Expect(firstRow).ToHaveAttributeAsync("data-uuid", NonEmpty());
        var firstUuid = await firstRow.GetAttributeAsync("data-uuid");
        var firstReceived = Received(await page.GetByTestId("flows-showing").InnerTextAsync());
        // A reload would drop this marker: the new rows must come over the live circuit.
        await page.EvaluateAsync("() => { window.__sameDocument = true; }");

        await Expect(firstRow).Not.ToHaveAttributeAsync("data-uuid", firstUuid!);
        await page.WaitForFunctionAsync(
            "n => /\\(([\\d,]+) received\\)/.exec(document.querySelector('[data-testid=flows-showing]').textContent)[1].replaceAll(',', '') > n",
            firstReceived);

        Assert.True(await page.EvaluateAsync<bool>("() => window.__sameDocument === true"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts.Screenshots, "flows.png"), FullPage = true });
    }

    [Fact]
    public async Task FlowsPage_FilterPauseOpen_ShowsOnlyMatchesAndTheDrawer()
    {
        var page = await _browser.NewPageAsync();
        await page.GotoAsync("/flows");
        await Expect(page.Locator("[data-testid=flows-table] tbody tr[data-uuid]").First).ToHaveAttributeAsync("data-uuid", NonEmpty());

        await page.GetByTestId("filter-flag").SelectOptionAsync("protocol");
        await page.GetByTestId("filter-value").FillAsync("tcp");
        await page.GetByTestId("filter-add").ClickAsync();

        await Expect(page).ToHaveURLAsync(TcpFilter());
        await Expect(page.GetByTestId("hubble-command")).ToHaveTextAsync("hubble observe --protocol tcp");
        var rows = page.Locator("[data-testid=flows-table] tbody tr[data-uuid]");
        await Expect(rows.First).ToBeVisibleAsync();
        foreach (var cell in await page.Locator("[data-testid=flows-table] tbody tr[data-uuid] td:nth-child(6)").AllInnerTextsAsync())
        {
            Assert.Contains(cell, OverTcp);
        }

        await page.GetByTestId("pause-button").ClickAsync();
        await Expect(page.GetByTestId("live-state")).ToHaveTextAsync("Paused");
        var pausedFirst = await rows.First.GetAttributeAsync("data-uuid");
        await rows.First.ClickAsync();

        var drawer = page.GetByTestId("flow-drawer");
        await Expect(drawer).ToBeVisibleAsync();
        await Expect(drawer).ToContainTextAsync(pausedFirst!);
        Assert.Equal(pausedFirst, await rows.First.GetAttributeAsync("data-uuid"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts.Screenshots, "flows-drawer.png"), FullPage = true });
    }

    private static long Received(string showing) =>
        long.Parse(ReceivedPattern().Match(showing).Groups[1].Value.Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);

    [GeneratedRegex(@"/flows\?protocol=tcp$")]
    private static partial Regex TcpFilter();

    [GeneratedRegex(".+")]
    private static partial Regex NonEmpty();

    [GeneratedRegex(@"\(([\d,]+) received\)")]
    private static partial Regex ReceivedPattern();
}
