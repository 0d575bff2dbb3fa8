using CiliumDash.EndToEnd.Browser;
using Microsoft.Playwright;

namespace CiliumDash.EndToEnd.Accessibility;

/// <summary>
/// Every page and embed at 1440, 1024 and 390 px, light and dark: the document never scrolls sideways, and axe-core
/// finds no serious or critical WCAG 2.1 A/AA violation. One test per route, so a failure names its page.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class EveryPageTests
{
    private readonly BrowserFixture _browser;

    public EveryPageTests(BrowserFixture browser) => _browser = browser;

    public static TheoryData<string> Routes => PageChecks.All();

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Page_EveryWidthAndScheme_NoSidewaysScrollAndNoSeriousAxeViolation(string route)
    {
        var url = await PageChecks.ResolveAsync(_browser, route);
        var problems = new List<string>();
        foreach (var scheme in new[] { ColorScheme.Light, ColorScheme.Dark })
        {
            foreach (var width in PageChecks.Widths)
            {
                var page = await _browser.NewPageAsync(width, scheme, bypassCsp: true);
                try
                {
                    await PageChecks.OpenAsync(page, url, scheme);
                    var name = $"{PageChecks.Slug(route)}-{scheme.ToString().ToLowerInvariant()}-{width}";
                    if (width != 1024)
                    {
                        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts.Screenshots, $"page-{name}.png") });
                    }

                    var overflow = await PageChecks.OverflowAsync(page);
                    if (overflow > 0)
                    {
                        problems.Add($"{name}: the document scrolls sideways by {overflow} px ({await PageChecks.WideElementsAsync(page)})");
                    }

                    foreach (var v in await Axe.SeriousAsync(page))
                    {
                        problems.Add($"{name}: {v}");
                    }
                }
                finally
                {
                    await page.Context.CloseAsync();
                }
            }
        }

        Assert.True(problems.Count == 0, $"{route}:\n" + string.Join("\n", problems));
    }
}
