using System.Text.Json;
using CiliumDash.EndToEnd.Browser;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CiliumDash.EndToEnd.Pages;

[Collection(BrowserCollection.Name)]
public sealed class OverviewPageTests
{
    private readonly BrowserFixture _browser;

    public OverviewPageTests(BrowserFixture browser) => _browser = browser;

    [Fact]
    public async Task Overview_SimulatedCluster_ShowsBothNodesBadgeAndStyledStates()
    {
        var page = await _browser.NewPageAsync();
        await Overview.OpenLiveAsync(page);

        await Expect(page.GetByTestId("node-count")).ToHaveTextAsync("2/2");
        await Expect(page.GetByTestId("simulated-badge")).ToHaveTextAsync("SIMULATED CLUSTER");
        await Expect(page.GetByTestId("source-banner")).ToHaveCountAsync(0);

        // The stylesheets arrived with content (not an empty 200) and their rules apply to the page.
        var rules = await page.EvaluateAsync<JsonElement>(
            "() => Object.fromEntries([...document.styleSheets].filter(s => s.href).map(s => [new URL(s.href).pathname, s.cssRules.length]))");
        Assert.Contains(rules.EnumerateObject(), p => p.Name.StartsWith("/css/app", StringComparison.Ordinal) && p.Value.GetInt32() > 10);
        Assert.Contains(rules.EnumerateObject(), p => p.Name.Contains("MudBlazor", StringComparison.Ordinal) && p.Value.GetInt32() > 100);
        var chip = page.Locator("[data-testid=component-states] .state-chip").First;
        await Expect(chip).ToHaveTextAsync("OK");
        await Expect(chip).ToHaveCSSAsync("background-color", "rgb(26, 127, 55)");

        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts.Screenshots, "overview.png"), FullPage = true });
    }

    [Fact]
    public async Task OverviewPauseButton_Clicked_StopsAndResumesLiveUpdates()
    {
        var page = await _browser.NewPageAsync();
        await Overview.OpenLiveAsync(page);

        var pause = page.GetByTestId("pause-button");
        await pause.ClickAsync();
        await Expect(page.GetByTestId("live-state")).ToHaveTextAsync("Paused");
        await Expect(pause).ToHaveAttributeAsync("aria-label", "Resume live updates");

        await pause.ClickAsync();
        await Expect(page.GetByTestId("live-state")).ToHaveTextAsync("Live");
        var received = page.GetByTestId("flows-received");
        var resumedAt = await received.InnerTextAsync();
        await Expect(received).Not.ToHaveTextAsync(resumedAt);
    }

    [Fact]
    public async Task Overview_Loaded_LogsNoConsoleErrorsAndNoFailedRequests()
    {
        var page = await _browser.NewPageAsync();
        var problems = new List<string>();
        // Nothing is ignored: a warning-free page is the baseline, so any error or failed request is a regression.
        page.Console += (_, m) =>
        {
            if (m.Type == "error")
            {
                problems.Add($"console error: {m.Text}");
            }
        };
        page.PageError += (_, e) => problems.Add($"page error: {e}");
        page.RequestFailed += (_, r) => problems.Add($"request failed: {r.Method} {r.Url}: {r.Failure}");
        page.Response += (_, r) =>
        {
            if (r.Status >= 400)
            {
                problems.Add($"HTTP {r.Status}: {r.Request.Method} {r.Url}");
            }
        };

        await Overview.OpenLiveAsync(page);
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await Expect(page.GetByTestId("node-count")).ToHaveTextAsync("2/2");

        Assert.Empty(problems);
    }
}
