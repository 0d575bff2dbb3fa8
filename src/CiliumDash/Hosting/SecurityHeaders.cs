namespace CiliumDash.Hosting;

/// <summary>
/// Headers on every response: a CSP that allows only our own scripts (Blazor and MudBlazor need inline styles and a
/// WebSocket back to us), no MIME sniffing, no referrer leaking cluster URLs, and no framing unless a route allows it.
/// </summary>
public static class SecurityHeaders
{
    /// <summary>frame-ancestors for a request; embeds decide their own, everything else is never framed.</summary>
    public delegate string FrameAncestors(HttpContext context);

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app, FrameAncestors? frameAncestors = null) =>
        app.Use(async (context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                var ancestors = frameAncestors?.Invoke(context) ?? "'none'";
                headers.ContentSecurityPolicy =
                    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; " +
                    $"connect-src 'self' ws: wss:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors {ancestors}";
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
