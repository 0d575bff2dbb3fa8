using CiliumDash.EndToEnd.Browser;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CiliumDash.EndToEnd.Pages;

/// <summary>The keyboard paths: the menu, the shortcuts, a flow row opened with Enter and its drawer closed with Escape.</summary>
[Collection(BrowserCollection.Name)]
public sealed class KeyboardTests
{
    private readonly BrowserFixture _browser;

    public KeyboardTests(BrowserFixture browser) => _browser = browser;

    [Fact]
    public async Task Menu_NarrowScreenKeyboard_OpensReachesALinkAndCloses()
    {
        var page = await _browser.NewPageAsync(390, ColorScheme.Light);
        await page.GotoAsync("/");
        await page.Locator("header[data-interactive=true]").WaitForAsync();
        var menu = page.GetByTestId("menu-button");
        var diagnostics = page.Locator("#top-nav a[href=diagnostics]");
        await Expect(diagnostics).Not.ToBeVisibleAsync();
        await Expect(menu).ToHaveAttributeAsync("aria-expanded", "false");

        await menu.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(menu).ToHaveAttributeAsync("aria-expanded", "true");
        await Expect(diagnostics).ToBeVisibleAsync();
        var box = await diagnostics.BoundingBoxAsync();
        Assert.True(box is { X: >= 0 } b && b.X + b.Width <= 390, $"the menu's link is off-screen: {box?.X}+{box?.Width}");

        await page.Keyboard.PressAsync("Escape");
        await Expect(menu).ToHaveAttributeAsync("aria-expanded", "false");
        await page.Keyboard.PressAsync("Enter");
        await Expect(diagnostics).ToBeVisibleAsync();
        await diagnostics.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/diagnostics$"));
        await Expect(menu).ToHaveAttributeAsync("aria-expanded", "false");
    }

    [Fact]
    public async Task Menu_WideScreen_EveryLinkVisibleWithoutMenu()
    {
        var page = await _browser.NewPageAsync(1440, ColorScheme.Light);
        await page.GotoAsync("/");
        await Expect(page.GetByTestId("menu-button")).Not.ToBeVisibleAsync();
        foreach (var link in await page.Locator("#top-nav a").AllAsync())
        {
            await Expect(link).ToBeVisibleAsync();
            var box = await link.BoundingBoxAsync();
            Assert.True(box is { } b && b.X + b.Width <= 1440, "a nav link is off-screen at 1440 px");
        }
    }

    [Fact]
    public async Task Shortcuts_QuestionMarkAndSlash_OpenTheListAndFocusTheFilter()
    {
        var page = await _browser.NewPageAsync(1440, ColorScheme.Light);
        await page.GotoAsync("/flows");
        await page.Locator("header[data-interactive=true]").WaitForAsync();
        await page.Locator("body").PressAsync("?");
        var dialog = page.GetByTestId("shortcuts-dialog");
        await Expect(dialog).ToBeVisibleAsync();
        await page.Keyboard.PressAsync("Escape");
        await Expect(dialog).Not.ToBeVisibleAsync();

        await page.Keyboard.PressAsync("/");
        await Expect(page.GetByTestId("filter-value")).ToBeFocusedAsync();
    }

    [Fact]
    public async Task FlowRow_EnterThenEscape_OpensTheDrawerBesideThePauseButtonAndClosesIt()
    {
        var page = await _browser.NewPageAsync(1440, ColorScheme.Light);
        await page.GotoAsync("/flows");
        await page.Locator("header[data-interactive=true]").WaitForAsync();
        await page.GetByTestId("pause-button").ClickAsync();
        await Expect(page.GetByTestId("live-state")).ToHaveTextAsync("Paused");
        var row = page.Locator("[data-testid=flows-table] tbody tr[data-uuid]").First;
        await Expect(row).ToBeVisibleAsync();
        var uuid = await row.GetAttributeAsync("data-uuid");

        await row.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        var drawer = page.GetByTestId("flow-drawer");
        await Expect(drawer).ToBeVisibleAsync();
        await Expect(drawer).ToContainTextAsync(uuid!);
        await Expect(drawer).ToBeFocusedAsync();
        await Expect(page.GetByTestId("drawer-permalink")).ToHaveAttributeAsync("href", "flows?uuid=" + uuid);

        // The drawer never covers the toolbar: Pause stays clickable.
        var pause = await page.GetByTestId("pause-button").BoundingBoxAsync();
        var box = await drawer.BoundingBoxAsync();
        Assert.True(pause is { } p && box is { } d && (p.Y + p.Height <= d.Y || p.X + p.Width <= d.X), $"the drawer ({box?.X},{box?.Y}) covers Pause ({pause?.X},{pause?.Y})");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts.Screenshots, "flows-drawer-keyboard.png") });

        await page.Keyboard.PressAsync("Escape");
        await Expect(drawer).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task FlowsPage_Wide_SummaryColumnInView()
    {
        var page = await _browser.NewPageAsync(1440, ColorScheme.Light);
        await page.GotoAsync("/flows");
        var summary = page.Locator("[data-testid=flows-table] thead th", new() { HasText = "Summary" });
        await Expect(summary).ToBeVisibleAsync();
        var right = await summary.EvaluateAsync<double>("th => th.getBoundingClientRect().right");
        Assert.True(right <= 1440, $"the Summary column ends at {right} px, past the 1440 px viewport");
    }

    [Fact]
    public async Task Matrix_ArrowKeysAndEnter_MoveTheOneTabStopAndOpenThePair()
    {
        var page = await _browser.NewPageAsync(1440, ColorScheme.Light);
        await page.GotoAsync("/connectivity");
        await page.Locator("header[data-interactive=true]").WaitForAsync();
        var first = page.Locator("td.mx[data-from=fedora][data-to=fedora] button.mx-cell");
        var next = page.Locator("td.mx[data-from=fedora][data-to=knode1] button.mx-cell");
        await Expect(first).ToHaveAttributeAsync("tabindex", "0");
        await Expect(next).ToHaveAttributeAsync("tabindex", "-1");

        await first.FocusAsync();
        await page.Keyboard.PressAsync("ArrowRight");
        await Expect(next).ToBeFocusedAsync();
        await Expect(next).ToHaveAttributeAsync("tabindex", "0");
        await Expect(first).ToHaveAttributeAsync("tabindex", "-1");
        await page.Keyboard.PressAsync("ArrowDown");
        await Expect(page.Locator("td.mx[data-from=knode1][data-to=knode1] button.mx-cell")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("ArrowUp");
        await Expect(next).ToBeFocusedAsync();

        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByTestId("pair-panel").Locator("h2")).ToContainTextAsync("fedora → knode1");
        await Expect(page.Locator("td.mx[data-from=fedora][data-to=knode1]")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("selected"));
    }
}
