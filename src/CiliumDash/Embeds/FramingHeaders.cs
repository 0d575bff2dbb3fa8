using CiliumDash.Configuration;
using Microsoft.Extensions.Options;

namespace CiliumDash.Embeds;

/// <summary>
/// Who may frame a response: nobody, except that <c>/embed/*</c> panels may be framed by the configured wiki origins.
/// Owns only the CSP <c>frame-ancestors</c> directive and <c>X-Frame-Options</c>; the security-header middleware
/// can call <see cref="FrameAncestorsFor"/> to put the directive into its own policy.
/// </summary>
public static class FramingHeaders
{
    public static string FrameAncestorsFor(HttpContext context, EmbedOptions options)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        var origins = AllowedOrigins(options);
        return IsEmbed(context.Request.Path) && origins.Count > 0 ? "'self' " + string.Join(' ', origins) : IsEmbed(context.Request.Path) ? "'self'" : "'none'";
    }

    public static IReadOnlyList<string> AllowedOrigins(EmbedOptions options) =>
        (options.AllowedOrigins ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(o => o.TrimEnd('/')).ToList();

    /// <summary>Whether a configured origin is an absolute http(s) origin with no path, query or fragment.</summary>
    public static bool IsOrigin(string origin) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.UserInfo.Length == 0
        && string.Equals(origin.TrimEnd('/'), uri.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase);

    /// <summary>Panels, not the <c>/embed</c> index page where links are made (that one is never framed).</summary>
    public static bool IsEmbed(PathString path) => path.StartsWithSegments("/embed", out var rest) && rest.HasValue && rest.Value!.Length > 1;

    public static IApplicationBuilder UseFramingHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        var options = context.RequestServices.GetRequiredService<IOptions<CiliumDashOptions>>().Value.Embeds;
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            var directive = "frame-ancestors " + FrameAncestorsFor(context, options);
            // Keep the rest of a policy set earlier; replace its frame-ancestors (Blazor's interactive render mode sets 'self').
            var others = headers.ContentSecurityPolicy.ToString().Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Where(d => !d.StartsWith("frame-ancestors", StringComparison.OrdinalIgnoreCase));
            headers.ContentSecurityPolicy = string.Join("; ", others.Append(directive));

            // X-Frame-Options cannot name an allow-list, so embeds leave it to frame-ancestors.
            // Antiforgery adds SAMEORIGIN to pages that carry a token; on embeds that would undo the allow-list.
            if (IsEmbed(context.Request.Path))
            {
                headers.Remove(Microsoft.Net.Http.Headers.HeaderNames.XFrameOptions);
            }
            else
            {
                headers.XFrameOptions = "DENY";
            }

            return Task.CompletedTask;
        });
        return next(context);
    });
}
