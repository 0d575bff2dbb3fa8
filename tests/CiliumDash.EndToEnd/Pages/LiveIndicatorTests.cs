using CiliumDash.EndToEnd.Browser;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CiliumDash.EndToEnd.Pages;

/// <summary>The live indicator once the circuit is gone: it stops saying "Live" and the page says to reload.</summary>
[Collection(BrowserCollection.Name)]
public sealed class LiveIndicatorTests
{
    private readonly BrowserFixture _browser;

    public LiveIndicatorTests(BrowserFixture browser) => _browser = browser;

    [Fact]
    public async Task LiveBar_CircuitRejected_ShowsDisconnectedAndTheReloadBar()
    {
        var page = await _browser.NewPageAsync(1440, ColorScheme.Light);
        await page.GotoAsync("/flows");
        await page.Locator("header[data-interactive=true]").WaitForAsync();
        await Expect(page.GetByTestId("live-state")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("reconnect")).Not.ToBeVisibleAsync();

        // The classes Blazor puts on #components-reconnect-modal when the server no longer knows the circuit.
        await page.EvaluateAsync("() => document.getElementById('components-reconnect-modal').classList.add('components-reconnect-rejected')");

        await Expect(page.GetByTestId("live-disconnected")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("live-state")).Not.ToBeVisibleAsync();
        await Expect(page.GetByTestId("pause-button")).Not.ToBeVisibleAsync();
        var bar = page.GetByTestId("reconnect");
        await Expect(bar).ToBeVisibleAsync();
        await Expect(bar).ToContainTextAsync("Disconnected");
        await Expect(bar.GetByRole(AriaRole.Button, new() { Name = "Reload" })).ToBeVisibleAsync();
    }
}
