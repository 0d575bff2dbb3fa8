using System.Net;
using CiliumDash.EndToEnd.Browser;
using CiliumDash.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CiliumDash.EndToEnd.Pages;

/// <summary>The team view: the dashboard under /ciliumdash behind nginx, users named by the proxy's headers.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SubPathTests
{
    private readonly BrowserFixture _browser;

    public SubPathTests(BrowserFixture browser) => _browser = browser;

    [Fact]
    public async Task BehindNginxOnSubPath_ProxyHeaderAuth_PagesAssetsCircuitAndApiAllWork()
    {
        using var dashboard = new DashboardServer(new Dictionary<string, string?>
        {
            ["CiliumDash:PathBase"] = "/ciliumdash",
            ["CiliumDash:ForwardedHeaders:KnownProxies"] = "127.0.0.1",
            ["CiliumDash:Auth:Mode"] = "ProxyHeader",
            ["CiliumDash:Auth:ProxyHeader:TrustedProxies"] = "127.0.0.1",
            ["CiliumDash:Auth:ProxyHeader:RequiredGroup"] = "platform",
        });
        await using var nginx = await NginxProxy.StartAsync(dashboard.BaseAddress, "/ciliumdash",
            new Dictionary<string, string> { ["X-Forwarded-User"] = "alice", ["X-Forwarded-Groups"] = "platform" });

        var page = await _browser.NewPageAsync(nginx.BaseAddress);
        var failed = new List<string>();
        page.RequestFailed += (_, r) =>
        {
            // Blazor aborts its own enhanced-navigation fetch when the click lands before the interactive router has
            // taken over (the prerendered page already shows the live numbers): a cancellation, not a failed request.
            if (r.Failure != "net::ERR_ABORTED")
            {
                failed.Add($"{r.Url}: {r.Failure}");
            }
        };
        page.Response += (_, r) =>
        {
            if (r.Status >= 400)
            {
                failed.Add($"{r.Url}: HTTP {r.Status}");
            }
        };
        await page.GotoAsync(nginx.BaseAddress.ToString());

        // Live numbers only arrive through the circuit's WebSocket, which crosses nginx on the sub-path.
        await Expect(page.GetByTestId("node-count")).ToHaveTextAsync("2/2");
        var chip = await page.Locator(".state-chip").First.EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor");
        Assert.NotEqual("rgba(0, 0, 0, 0)", chip);

        await page.GetByRole(AriaRole.Link, new() { Name = "Nodes", Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Uri(nginx.BaseAddress, "nodes").ToString());
        await Expect(page.Locator("[data-testid=nodes-table] tbody tr[data-node]")).ToHaveCountAsync(2);
        Assert.True(failed.Count == 0, "failed requests:\n" + string.Join("\n", failed));

        using var direct = new HttpClient { BaseAddress = dashboard.BaseAddress };
        using var viaProxy = new HttpClient { BaseAddress = nginx.BaseAddress };
        Assert.Equal(HttpStatusCode.OK, (await viaProxy.GetAsync("api/v1/cluster")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await direct.GetAsync("/ciliumdash/api/v1/cluster")).StatusCode);
    }
}
