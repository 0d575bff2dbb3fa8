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
        app.MapEmbedSvg();
        app.MapPost("/api/v1/embed-links", (HttpContext context, EmbedAccess access) => access.CreateLinkAsync(context))
            .Accepts<EmbedLinkRequest>("application/json")
            .Produces<EmbedLinkDto>();
        return app;
    }
}
