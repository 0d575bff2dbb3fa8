using CiliumDash.Configuration;

namespace CiliumDash.Embeds;

/// <summary>
/// Who may frame a response: nobody, except that <c>/embed/*</c> panels may be framed by the configured wiki origins.
/// The security-header middleware (Hosting/SecurityHeaders) puts <see cref="FrameAncestorsFor"/> into its policy and
/// sets or drops X-Frame-Options to match.
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
}
