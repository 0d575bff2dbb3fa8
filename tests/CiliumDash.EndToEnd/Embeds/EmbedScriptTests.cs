using CiliumDash.EndToEnd.Browser;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CiliumDash.EndToEnd.Embeds;

/// <summary>The JavaScript SignalR client (vendored @microsoft/signalr) and embed.js in a real browser, against /hubs/cluster.</summary>
[Collection(BrowserCollection.Name)]
public sealed class EmbedScriptTests
{
    private readonly BrowserFixture _browser;

    public EmbedScriptTests(BrowserFixture browser) => _browser = browser;

    [Fact]
    public async Task DemoPage_NodesAndFlowsPanels_RenderAndUpdateLive()
    {
        var page = await _browser.NewPageAsync();
        await page.GotoAsync("/embed/demo.html");

        var nodes = page.Locator("#nodes");
        await Expect(nodes.Locator("tbody tr")).ToHaveCountAsync(2);
        await Expect(nodes.Locator("tbody tr").First.Locator("td").First).ToHaveTextAsync("fedora");
        // The snapshot is update 1; a later value means Changed messages arrive and are rendered.
        await Expect(nodes).ToHaveAttributeAsync("data-ciliumdash-updates", new System.Text.RegularExpressions.Regex("^([3-9]|\\d\\d+)$"));
        await Expect(page.Locator("#flows tbody tr").First).ToBeVisibleAsync();

        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts.Screenshots, "embed-demo.png"), FullPage = true });
    }

    [Fact]
    public async Task EmbedPage_DarkTheme_ChromelessPanel()
    {
        var page = await _browser.NewPageAsync();
        await page.GotoAsync("/embed/connectivity?theme=dark&width=480");

        await Expect(page.GetByTestId("embed-root")).ToHaveAttributeAsync("data-theme", "dark");
        await Expect(page.GetByTestId("embed-table").Locator("tbody tr")).ToHaveCountAsync(2);
        await Expect(page.Locator(".mud-appbar")).ToHaveCountAsync(0);
    }
}
