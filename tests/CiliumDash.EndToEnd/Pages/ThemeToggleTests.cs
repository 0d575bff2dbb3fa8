using CiliumDash.EndToEnd.Browser;
using Microsoft.Playwright;

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

        var toggle = page.GetByRole(AriaRole.Button, new() { Name = "Toggle light and dark theme" });
        await toggle.ClickAsync();
        await page.WaitForFunctionAsync(IsLight);

        await toggle.ClickAsync();
        await page.WaitForFunctionAsync(IsDark);
    }
}
