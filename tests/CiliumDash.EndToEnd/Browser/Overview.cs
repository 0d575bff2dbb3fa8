using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CiliumDash.EndToEnd.Browser;

/// <summary>Steps on the overview page that several tests need.</summary>
public static class Overview
{
    /// <summary>
    /// Opens the overview and returns once the Blazor circuit renders live data: the prerendered flow count is
    /// replaced by a newer one, which only a connected circuit can do (the page is never reloaded).
    /// </summary>
    public static async Task OpenLiveAsync(IPage page)
    {
        await page.GotoAsync("/");
        var received = page.GetByTestId("flows-received");
        var prerendered = await received.InnerTextAsync();
        await Expect(received).Not.ToHaveTextAsync(prerendered);
    }
}
