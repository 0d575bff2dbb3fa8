using CiliumDash.Testing;
using Microsoft.Playwright;

namespace CiliumDash.EndToEnd.Browser;

/// <summary>
/// One dashboard (on its simulated cluster) and one headless Debian Chromium shared by every browser test; each test
/// opens its own context so cookies, storage and the Blazor circuit are never shared between tests.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    // Playwright for .NET never downloads a browser here: the distribution's Chromium is driven over CDP.
    public const string ChromiumPath = "/usr/bin/chromium";

    private static readonly string[] ChromiumArgs =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic",
    ];

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public DashboardServer Dashboard { get; } = new();

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"the browser tests drive Debian's Chromium at {ChromiumPath}, which is missing: run `apt-get install -y --no-install-recommends chromium` (./test.sh does it)");
        }

        // Generous, because the first render compiles Razor and two cores are shared; every wait ends as soon as its
        // condition holds, so the timeout only bounds how long a broken page takes to fail.
        Assertions.SetDefaultExpectTimeout(20_000);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ChromiumArgs,
        });
    }

    /// <summary>A fresh context and page on the dashboard, in the light colour scheme unless told otherwise.</summary>
    public Task<IPage> NewPageAsync(ColorScheme scheme = ColorScheme.Light) => NewPageAsync(Dashboard.BaseAddress, scheme);

    /// <summary>A fresh context and page on another server (e.g. the dashboard behind nginx on a sub-path).</summary>
    public async Task<IPage> NewPageAsync(Uri baseAddress, ColorScheme scheme = ColorScheme.Light)
    {
        var browser = _browser ?? throw new InvalidOperationException("the browser is not launched");
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1440, Height = 900 },
            ColorScheme = scheme,
        });
        context.SetDefaultTimeout(20_000);
        return await context.NewPageAsync();
    }

    /// <summary>
    /// A fresh context and page at <paramref name="width"/> px wide. <paramref name="bypassCsp"/> lets a test inject a
    /// checker script (axe-core) that the dashboard's Content-Security-Policy would refuse, as it should.
    /// </summary>
    public async Task<IPage> NewPageAsync(int width, ColorScheme scheme, bool bypassCsp = false)
    {
        var browser = _browser ?? throw new InvalidOperationException("the browser is not launched");
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Dashboard.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = 900 },
            ColorScheme = scheme,
            BypassCSP = bypassCsp,
        });
        context.SetDefaultTimeout(20_000);
        return await context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        await Dashboard.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
