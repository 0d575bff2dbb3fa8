using CiliumDash.EndToEnd.Browser;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CiliumDash.EndToEnd.Pages;

[Collection(BrowserCollection.Name)]
public sealed class ThemeToggleTests
{
    // Perceived lightness of the page background, 0 (black) to 255 (white).
    private const string BackgroundLightness =
        "(() => { const [r, g, b] = getComputedStyle(document.body).backgroundColor.match(/\\d+/g).map(Number); return 0.299 * r + 0.587 * g + 0.114 * b; })()";

    private const string IsDark = $"() => {BackgroundLightness} < 80";
    private const string IsLight = $"() => {BackgroundLightness} > 200";

    private readonly BrowserFixture _browser;

    public ThemeToggleTests(BrowserFixture browser) => _browser = browser;

    [Fact]
    public async Task ThemeToggle_DarkSystemScheme_StartsDarkThenSwitchesToLightAndBack()
    {
        var page = await _browser.NewPageAsync(ColorScheme.Dark);
        await Overview.OpenLiveAsync(page);
        // The page is prerendered light and turns dark once the circuit has read the system preference; waiting for
        // that first keeps the late preference read from overriding the click below.
        await page.WaitForFunctionAsync(IsDark);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts.Screenshots, "overview-dark.png"), FullPage = true });

        // system (dark here) → light → dark
        var toggle = page.GetByTestId("theme-button");
        await toggle.ClickAsync();
        await page.WaitForFunctionAsync(IsLight);
        await Expect(toggle).ToHaveAttributeAsync("data-choice", "light");

        await toggle.ClickAsync();
        await page.WaitForFunctionAsync(IsDark);
        await Expect(toggle).ToHaveAttributeAsync("data-choice", "dark");
    }

    [Fact]
    public async Task ThemeChoice_Reload_KeptAndPrerenderedInIt()
    {
        var page = await _browser.NewPageAsync(ColorScheme.Light);
        await page.GotoAsync("/");
        await page.Locator("header[data-interactive=true]").WaitForAsync();
        var toggle = page.GetByTestId("theme-button");
        await toggle.ClickAsync();
        await Expect(toggle).ToHaveAttributeAsync("data-choice", "light");
        await toggle.ClickAsync();
        await page.WaitForFunctionAsync(IsDark);

        // The server renders the page in the kept scheme before any script of the circuit runs.
        var html = await (await page.APIRequest.GetAsync("/")).TextAsync();
        await page.ReloadAsync();
        await page.Locator("header[data-interactive=true]").WaitForAsync();
        Assert.True(await page.EvaluateAsync<bool>(IsDark), "the dark choice was lost on reload");
        await Expect(toggle).ToHaveAttributeAsync("data-choice", "dark");
        Assert.Equal("dark", await page.EvaluateAsync<string>("() => document.documentElement.getAttribute('data-scheme')"));
        Assert.Contains("--mud-palette-background: rgba(13,17,23,1)", html, StringComparison.Ordinal);
    }
}
