using CiliumDash.EndToEnd.Browser;
using CiliumDash.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CiliumDash.EndToEnd.Pages;

[Collection(BrowserCollection.Name)]
public sealed class BpfMapsPageTests
{
    private readonly BrowserFixture _browser;

    public BpfMapsPageTests(BrowserFixture browser) => _browser = browser;

    [Fact]
    public async Task BpfMapsPage_MapPressureFault_MapsOver80ShownInRed()
    {
        // Its own dashboard: the shared one must not see this fault. The fault is on before the first metrics read
        // or, at the latest, by the second one 10 s later; the expectations below wait for it.
        await using var dashboard = new DashboardServer(new Dictionary<string, string?> { ["CiliumDash:Kubernetes:MetricsInterval"] = "00:00:10" });
        dashboard.Simulator.Faults.MapPressureNodes = new HashSet<string> { "knode1" };
        var page = await _browser.NewPageAsync(dashboard.BaseAddress);
        await page.GotoAsync("bpf-maps");

        var rows = page.Locator("[data-testid=map-pressure-high] tbody tr");
        await Expect(rows).ToHaveCountAsync(2, new() { Timeout = 30_000 });
        // Each row starts with its map-pressure finding's severity: under 95 % full, a warning.
        await Expect(rows.Nth(0).Locator("td")).ToHaveTextAsync(["warning", "knode1", "cilium_ct4_global", "93.0 %"]);
        await Expect(rows.Nth(1).Locator("td")).ToHaveTextAsync(["warning", "knode1", "cilium_snat_v4_external", "86.0 %"]);
        var figure = rows.Nth(0).Locator("[data-testid=map-fill] .num");
        await Expect(figure).ToHaveCSSAsync("color", "rgb(207, 34, 46)");
        await Expect(rows.Nth(0).Locator(".map-fill-bar > span")).ToHaveCSSAsync("background-color", "rgb(207, 34, 46)");

        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts.Screenshots, "bpf-maps-pressure.png"), FullPage = true });
    }
}
