using CiliumDash.EndToEnd.Browser;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CiliumDash.EndToEnd.Pages;

[Collection(BrowserCollection.Name)]
public sealed class ThemeToggleTests
{
    // Perceived lightness of the page background, 0 (black) to 255 (white).
    private const string BackgroundLightness =
        "() => { const [r, g, b] = getComputedStyle(document.body).backgroundColor.match(/\\d+/g).map(Number); return 0.299 * r + 0.587 * g + 0.114 * b; }";

    private readonly BrowserFixture _browser;

    public ThemeToggleTests(BrowserFixture browser) => _browser = browser;

    [Fact]
    public async Task ThemeToggle_ClickedInLightScheme_SwitchesToDarkAndBack()
    {
        var page = await _browser.NewPageAsync(ColorScheme.Light);
        await Overview.OpenLiveAsync(page);
        Assert.True(await page.EvaluateAsync<double>(BackgroundLightness) > 200, "the light scheme starts light");

        var toggle = page.GetByRole(AriaRole.Button, new() { Name = "Toggle light and dark theme" });
        await toggle.ClickAsync();
        await page.WaitForFunctionAsync($"() => ({BackgroundLightness})() < 80");

        await toggle.ClickAsync();
        await page.WaitForFunctionAsync($"() => ({BackgroundLightness})() > 200");
    }

    [Fact]
    public async Task Overview_DarkSystemScheme_StartsDark()
    {
        var page = await _browser.NewPageAsync(ColorScheme.Dark);
        await Overview.OpenLiveAsync(page);

        await page.WaitForFunctionAsync($"() => ({BackgroundLightness})() < 80");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts.Screenshots, "overview-dark.png"), FullPage = true });
    }
}
