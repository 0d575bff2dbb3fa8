namespace CiliumDash.Hosting;

/// <summary>
/// Headers on every response, error responses included: a CSP that allows only our own scripts (Blazor and MudBlazor
/// need inline styles) and connections back to us, no MIME sniffing, no referrer leaking cluster URLs, and no framing
/// unless a route allows it. SVG images get a policy of their own that allows nothing but their inline styles.
/// </summary>
public static class SecurityHeaders
{
    /// <summary>frame-ancestors for a request; embeds decide their own, everything else is never framed.</summary>
    public delegate string FrameAncestors(HttpContext context);

    /// <summary>
    /// connect-src 'self' covers the Blazor circuit's and the hub's same-origin WebSocket: CSP Level 3 matches 'self'
    /// against ws:/wss: URLs of the page's own host and port (http→ws, https→wss). Chromium and Firefox do; Safari does
    /// since WebKit changed its source matching in 2022. A bare ws:/wss: would allow a WebSocket to any host.
    /// </summary>
    public static string PagePolicy(string frameAncestors) =>
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; " +
        $"connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors {frameAncestors}";

    /// <summary>An SVG opened on its own is a document that could run script: it may only style itself.</summary>
    public static string SvgPolicy(string frameAncestors) => $"default-src 'none'; style-src 'unsafe-inline'; frame-ancestors {frameAncestors}";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app, FrameAncestors? frameAncestors = null) =>
        app.Use(async (context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                var ancestors = frameAncestors?.Invoke(context) ?? "'none'";
                var svg = context.Response.ContentType?.StartsWith("image/svg+xml", StringComparison.OrdinalIgnoreCase) == true;
                headers.ContentSecurityPolicy = svg ? SvgPolicy(ancestors) : PagePolicy(ancestors);
                // This runs last (OnStarting callbacks run in reverse order), so it overrides antiforgery's SAMEORIGIN
                // and Blazor's frame-ancestors 'self'. X-Frame-Options cannot name an allow-list: embeds leave it out.
                if (ancestors == "'none'")
                {
                    headers.XFrameOptions = "DENY";
                }
                else
                {
                    headers.Remove("X-Frame-Options");
                }

                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "no-referrer";
                headers["Cross-Origin-Opener-Policy"] = "same-origin";
                return Task.CompletedTask;
            });
            await next(context);
        });
}
