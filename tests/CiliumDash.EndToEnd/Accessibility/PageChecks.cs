using System.Net.Http.Json;
using System.Text.Json;
using CiliumDash.EndToEnd.Browser;
using CiliumDash.Testing;
using Microsoft.Playwright;

namespace CiliumDash.EndToEnd.Accessibility;

/// <summary>Routes of every page and embed, and the steps the width and accessibility tests share.</summary>
public static class PageChecks
{
    public static readonly int[] Widths = [1440, 1024, 390];

    /// <summary>Every page of the app; "{node}" stands for the first node of the cluster.</summary>
    public static readonly string[] Routes =
    [
        "/", "/nodes", "/nodes/{node}", "/connectivity", "/controllers", "/bpf-maps", "/drift", "/flows", "/flows/summary", "/diagnostics", "/embed",
        "/embed/cluster", "/embed/node?name={node}", "/embed/controllers", "/embed/bpf-maps", "/embed/connectivity", "/embed/flows", "/embed/drop-reasons", "/map", "/embed/map",
    ];

    public static TheoryData<string> All()
    {
        var data = new TheoryData<string>();
        foreach (var r in Routes)
        {
            data.Add(r);
        }

        return data;
    }

    public static async Task<string> ResolveAsync(BrowserFixture browser, string route)
    {
        if (!route.Contains("{node}", StringComparison.Ordinal))
        {
            return route;
        }

        using var http = new HttpClient { BaseAddress = browser.Dashboard.BaseAddress };
        // The agents' first poll may still be running: ask until a node is listed.
        var name = await Eventually.Value(async () =>
        {
            var nodes = await http.GetFromJsonAsync<JsonElement>("api/v1/nodes");
            return nodes.GetArrayLength() > 0 ? nodes[0].GetProperty("name").GetString() : null;
        }, "a node in /api/v1/nodes");
        return route.Replace("{node}", Uri.EscapeDataString(name), StringComparison.Ordinal);
    }

    /// <summary>Opens the route and waits until the page is interactive in the requested scheme.</summary>
    public static async Task OpenAsync(IPage page, string route, ColorScheme scheme)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.GotoAsync(route.TrimStart('/'));
        if (route.StartsWith("/embed/", StringComparison.Ordinal))
        {
            await page.Locator("[data-testid=embed-root]").WaitForAsync();
        }
        else
        {
            await page.Locator("header[data-interactive=true]").WaitForAsync();
        }

        var dark = scheme == ColorScheme.Dark;
        await page.WaitForFunctionAsync(
            "dark => { const [r, g, b] = getComputedStyle(document.body).backgroundColor.match(/\\d+/g).map(Number); const l = 0.299 * r + 0.587 * g + 0.114 * b; return dark ? l < 80 : l > 200; }",
            dark);
    }

    /// <summary>How far the document is wider than the viewport (0 when it never scrolls sideways).</summary>
    public static Task<int> OverflowAsync(IPage page) =>
        page.EvaluateAsync<int>("() => Math.max(0, document.documentElement.scrollWidth - document.documentElement.clientWidth)");

    /// <summary>The elements that stick out past the right edge, to name in a failure.</summary>
    public static Task<string> WideElementsAsync(IPage page) => page.EvaluateAsync<string>("""
        () => { const w = document.documentElement.clientWidth; const out = [];
          for (const el of document.querySelectorAll('body *')) { const r = el.getBoundingClientRect();
            if (r.right > w + 1 && r.width > 0 && getComputedStyle(el).position !== 'fixed') {
              let p = el.parentElement, clipped = false;
              while (p) { const o = getComputedStyle(p).overflowX; if (o === 'auto' || o === 'scroll' || o === 'hidden') { clipped = true; break; } p = p.parentElement; }
              if (!clipped) out.push(el.tagName.toLowerCase() + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : '') + ' right=' + Math.round(r.right)); } }
          return out.slice(0, 8).join('; '); }
        """);

    public static string Slug(string route) =>
        route == "/" ? "overview" : new string([.. route.Trim('/').Split('?')[0].Select(c => char.IsLetterOrDigit(c) ? c : '-')]);
}
