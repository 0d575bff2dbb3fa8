using System.Text.Json;
using CiliumDash.EndToEnd.Browser;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CiliumDash.EndToEnd.Pages;

/// <summary>
/// /map in Chromium on the simulated cluster: the drawn graph (read through window.ciliumdashMap.state()), live updates
/// that leave placed nodes where they are, grouping and hiding from the URL, and the click-through to a node's panel
/// and to /flows for a link.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ServiceMapPageTests
{
    private readonly BrowserFixture _browser;

    public ServiceMapPageTests(BrowserFixture browser) => _browser = browser;

    [Fact]
    public async Task MapPage_LiveUpdates_DrawLinksAndKeepPlacedNodesStill()
    {
        var page = await _browser.NewPageAsync();
        await page.GotoAsync("map");

        var first = await WaitForStateAsync(page, "s.edges > 0 && s.layouts > 0", "a drawn and laid out map");
        var updates = first.GetProperty("updates").GetInt32();
        var later = await WaitForStateAsync(page, $"s.updates > {updates + 1}", "two more live updates");

        // Placed nodes do not move when an update arrives (new ones are placed next to their neighbours).
        var before = Positions(first);
        var after = Positions(later);
        var both = before.Keys.Intersect(after.Keys).ToList();
        Assert.NotEmpty(both);
        Assert.All(both, id => Assert.Equal(before[id], after[id]));
        Assert.Contains(later.GetProperty("nodeIds").EnumerateArray(), n => n.GetString()!.StartsWith("workload:", StringComparison.Ordinal));
        await Expect(page.GetByTestId("map-summary")).ToContainTextAsync("links");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts.Screenshots, "map-light.png") });
    }

    [Fact]
    public async Task MapPage_GroupByNamespaceAndHide_FromTheUrl()
    {
        var page = await _browser.NewPageAsync(ColorScheme.Dark);
        await page.GotoAsync("map?group-by=namespace&hide=kube-system");

        var state = await WaitForStateAsync(page, "s.edges > 0 && s.query.includes('group-by=namespace')", "a namespace map");

        var ids = state.GetProperty("nodeIds").EnumerateArray().Select(n => n.GetString()!).ToList();
        Assert.DoesNotContain(ids, id => id.StartsWith("workload:", StringComparison.Ordinal));
        Assert.Contains(ids, id => id.StartsWith("namespace:", StringComparison.Ordinal));
        Assert.DoesNotContain("namespace:kube-system", ids);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts.Screenshots, "map-dark-namespaces.png") });
    }

    [Fact]
    public async Task MapPage_ClickNodeAndLink_PanelsAndFlowsOfThePair()
    {
        var page = await _browser.NewPageAsync();
        await page.GotoAsync("map");
        var state = await WaitForStateAsync(page, "s.edges > 0", "links");
        var node = state.GetProperty("nodeIds").EnumerateArray().Select(n => n.GetString()!).First(id => id.StartsWith("workload:", StringComparison.Ordinal));

        await page.EvaluateAsync("id => window.ciliumdashMap.tap(id)", node);
        await Expect(page.GetByTestId("map-node-panel")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("map-node-pods")).ToBeVisibleAsync();

        // The table of links is the canvas's text alternative: a link is reachable by keyboard from it.
        await page.GetByTestId("map-table-toggle").ClickAsync();
        await page.GetByTestId("map-table-edge").First.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByTestId("map-edge-panel")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("map-edge-command")).ToContainTextAsync("hubble observe --from-");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts.Screenshots, "map-edge-panel.png"), FullPage = true });

        await page.GetByTestId("map-edge-flows").ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/flows\\?from-"));
        await Expect(page.Locator("[data-testid=flows-table] tbody tr").First).ToBeVisibleAsync();
    }

    private static Dictionary<string, (int, int)> Positions(JsonElement state) =>
        state.GetProperty("positions").EnumerateObject().ToDictionary(p => p.Name, p => (p.Value[0].GetInt32(), p.Value[1].GetInt32()));

    /// <summary>Waits (paced by the browser's animation frames) until the map's state satisfies the JS predicate <paramref name="condition"/> of <c>s</c>.</summary>
    private static async Task<JsonElement> WaitForStateAsync(IPage page, string condition, string what)
    {
        try
        {
            var handle = await page.WaitForFunctionAsync(
                $"() => {{ if (!window.ciliumdashMap) return null; const s = window.ciliumdashMap.state(); return ({condition}) ? JSON.stringify(s) : null; }}",
                null, new PageWaitForFunctionOptions { PollingInterval = null, Timeout = 30_000 });
            return JsonDocument.Parse(await handle.JsonValueAsync<string>()).RootElement;
        }
        catch (TimeoutException)
        {
            var last = await page.EvaluateAsync<string?>("() => window.ciliumdashMap ? JSON.stringify(window.ciliumdashMap.state()) : null");
            throw new TimeoutException($"the map never showed {what}; last state: {last ?? "none"}");
        }
    }
}
