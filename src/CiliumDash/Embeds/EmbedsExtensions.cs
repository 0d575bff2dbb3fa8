using System.Globalization;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection.Extensions;
using CiliumDash.Contract;
using CiliumDash.Shared;

namespace CiliumDash.Embeds;

/// <summary>Request body of <c>POST /api/v1/embed-links</c>; <c>expiresIn</c> as "30m", "12h", "7d" or "d.hh:mm:ss".</summary>
public sealed record EmbedLinkRequest(string? Panel, string? Query, string? ExpiresIn);

/// <summary>Registration of the embeds: panel builder, signed links, framing headers, the SVG images and the link API.</summary>
public static class EmbedsExtensions
{
    public static IServiceCollection AddEmbeds(this IServiceCollection services)
    {
        services.TryAddSingleton<AccessScopes>();
        services.AddSingleton<EmbedLinks>();
        services.AddSingleton<EmbedAccess>();
        services.AddSingleton<EmbedPanelBuilder>();
        return services;
    }

    public static WebApplication MapEmbeds(this WebApplication app)
    {
        app.Use(RefuseBadLinks);
        app.MapEmbedSvg();
        app.MapPost("/api/v1/embed-links", (EmbedLinkRequest request, HttpContext context, EmbedAccess access) =>
        {
            if (!EmbedPanels.IsKnown(request.Panel))
            {
                return Results.Problem(EmbedPanels.Unknown(request.Panel), statusCode: 400);
            }

            if (ParseLifetime(request.ExpiresIn) is not { } lifetime)
            {
                return Results.Problem($"expiresIn '{request.ExpiresIn}' is not a lifetime between 1 minute and 366 days (e.g. 30m, 12h, 7d)", statusCode: 400);
            }

            var query = QueryHelpers.ParseQuery(request.Query?.TrimStart('?') ?? "");
            if (!access.CreatorMayShare(request.Panel!, query, context.User))
            {
                return Results.Problem("a team-scoped user may share flows only with a namespace filter naming their own namespaces", statusCode: 403);
            }

            var link = access.Links.Create(request.Panel!, request.Query, lifetime);
            var root = $"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}/";
            return Results.Ok(new EmbedLinkDto(root + link.Url, root + link.SvgUrl, link.Expires));
        }).Produces<EmbedLinkDto>();
        return app;
    }

    /// <summary>"30m", "12h", "7d", or a TimeSpan; null when unreadable or outside 1 minute to 366 days.</summary>
    public static TimeSpan? ParseLifetime(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var t = text.Trim();
        TimeSpan? value = t[^1] switch
        {
            'm' or 'h' or 'd' when double.TryParse(t[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n is > 0 and < 1e6 =>
                t[^1] switch { 'm' => TimeSpan.FromMinutes(n), 'h' => TimeSpan.FromHours(n), _ => TimeSpan.FromDays(n) },
            _ => TimeSpan.TryParse(t, CultureInfo.InvariantCulture, out var span) ? span : null,
        };
        return value >= TimeSpan.FromMinutes(1) && value <= EmbedLinks.MaxLifetime ? value : null;
    }

    /// <summary>An altered or expired signed link gets a 403 that says which, as a page or as an image.</summary>
    private static async Task RefuseBadLinks(HttpContext context, Func<Task> next)
    {
        if (EmbedPanels.FromPath(context.Request.Path) is { } panel)
        {
            var check = context.RequestServices.GetRequiredService<EmbedLinks>().Check(panel, context.Request.Query);
            if (check.Status is EmbedLinkStatus.Expired or EmbedLinkStatus.Invalid)
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                context.Response.Headers.CacheControl = "no-store";
                if (context.Request.Path.Value!.EndsWith(".svg", StringComparison.Ordinal))
                {
                    await Results.Text(EmbedSvgEndpoints.Message("CiliumDash", check.Message!), "image/svg+xml; charset=utf-8", statusCode: 403).ExecuteAsync(context);
                }
                else
                {
                    var html = $"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>CiliumDash embed</title></head><body style=\"font-family:sans-serif\"><p data-testid=\"embed-refused\">{System.Net.WebUtility.HtmlEncode(check.Message)}</p></body></html>";
                    await Results.Content(html, "text/html; charset=utf-8", statusCode: 403).ExecuteAsync(context);
                }

                return;
            }
        }

        await next();
    }
}
