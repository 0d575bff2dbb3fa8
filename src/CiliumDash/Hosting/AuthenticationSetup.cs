using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using CiliumDash.Configuration;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Authorization;
using CiliumDash.Shared;

namespace CiliumDash.Hosting;

/// <summary>
/// The one access setting, <c>CiliumDash:Auth:Mode</c>: None (loopback, or an explicit AllowAnonymous), Token (a
/// browser token exchanged for a cookie, or a Bearer header for scripts), OpenIdConnect (code flow with PKCE) or
/// ProxyHeader (an authenticating proxy's headers, trusted only from its addresses). The dashboard is read-only for all.
/// </summary>
public static class AuthenticationSetup
{
    public const string CookieScheme = "ciliumdash";
    private const string ByRequest = "by-request";

    public static void AddCiliumDashAuth(this WebApplicationBuilder builder, CiliumDashOptions options)
    {
        var auth = options.Auth;
        var services = builder.Services;
        services.AddSingleton<AccessScopes>();
        services.AddSingleton<FailedSignIns>();
        services.AddSingleton<ExposureGuard>();
        services.AddHostedService(sp => sp.GetRequiredService<ExposureGuard>());
        services.AddCascadingAuthenticationState();
        if (auth.Mode == AuthMode.None)
        {
            services.AddAuthentication();
            services.AddAuthorization();
            return;
        }

        services.AddSingleton(new ScrapeToken(options.Metrics.ScrapeToken));
        var authentication = services.AddAuthentication(o =>
        {
            o.DefaultScheme = ByRequest;
            o.DefaultChallengeScheme = auth.Mode == AuthMode.OpenIdConnect ? OpenIdConnectDefaults.AuthenticationScheme : ByRequest;
        });
        // One place picks the scheme of a request: a Bearer header on /metrics is a scrape token (in Token mode only
        // when it is the scrape token: the browser token opens /metrics as it opens every page); otherwise the mode's.
        authentication.AddPolicyScheme(ByRequest, "by request", o => o.ForwardDefaultSelector = ctx =>
        {
            var bearer = BearerTokenAuthentication.BearerOf(ctx.Request);
            if (bearer is not null && ScrapeTokenAuthentication.IsMetrics(ctx.Request.Path)
                && (auth.Mode != AuthMode.Token || ctx.RequestServices.GetRequiredService<ScrapeToken>().Hash.Matches(bearer)))
            {
                return ScrapeTokenAuthentication.SchemeName;
            }

            return auth.Mode switch
            {
                AuthMode.ProxyHeader => ProxyHeaderAuthentication.SchemeName,
                AuthMode.Token when bearer is not null => BearerTokenAuthentication.SchemeName,
                _ => CookieScheme,
            };
        });
        authentication.AddScheme<AuthenticationSchemeOptions, ScrapeTokenAuthentication>(ScrapeTokenAuthentication.SchemeName, null);
        authentication.AddCookie(CookieScheme, o =>
        {
            o.Cookie.Name = "ciliumdash";
            o.Cookie.HttpOnly = true;
            o.Cookie.SecurePolicy = CookieSecurePolicy.Always;
            o.Cookie.SameSite = SameSiteMode.Lax;   // Lax, not Strict: the OIDC callback is a top-level cross-site redirect
            o.LoginPath = "/login";
            o.ExpireTimeSpan = TimeSpan.FromHours(12);
            o.SlidingExpiration = true;
            // Scripts get 401, not a redirect to a login page they cannot fill in.
            o.Events.OnRedirectToLogin = ctx => ApiOrRedirect(ctx, StatusCodes.Status401Unauthorized);
            o.Events.OnRedirectToAccessDenied = ctx => ApiOrRedirect(ctx, StatusCodes.Status403Forbidden);
        });

        switch (auth.Mode)
        {
            case AuthMode.Token:
                services.AddSingleton(new BrowserToken(auth.Token));
                authentication.AddScheme<AuthenticationSchemeOptions, BearerTokenAuthentication>(BearerTokenAuthentication.SchemeName, null);
                break;
            case AuthMode.ProxyHeader:
                authentication.AddScheme<AuthenticationSchemeOptions, ProxyHeaderAuthentication>(ProxyHeaderAuthentication.SchemeName, null);
                break;
            case AuthMode.OpenIdConnect:
                authentication.AddOpenIdConnect(o =>
                {
                    var oidc = auth.OpenIdConnect;
                    o.Authority = oidc.Authority;
                    o.ClientId = oidc.ClientId;
                    o.ClientSecret = oidc.ClientSecret;
                    o.ResponseType = "code";
                    o.UsePkce = true;
                    o.SignInScheme = CookieScheme;
                    o.RequireHttpsMetadata = oidc.Authority?.StartsWith("https://", StringComparison.OrdinalIgnoreCase) == true;
                    o.GetClaimsFromUserInfoEndpoint = true;
                    o.SaveTokens = false;
                    o.Scope.Add("profile");
                    o.ClaimActions.MapJsonKey(AccessScopes.GroupClaim, AccessScopes.GroupClaim);
                    o.MapInboundClaims = false;
                    o.TokenValidationParameters.NameClaimType = "name";
                    o.Events.OnRedirectToIdentityProvider = ctx =>
                    {
                        if (IsApi(ctx.Request))
                        {
                            ctx.Response.StatusCode = StatusCodes.Status401Unauthorized;
                            ctx.HandleResponse();
                        }

                        return Task.CompletedTask;
                    };
                });
                break;
        }

        (string Type, string Value)? required = auth.Mode switch
        {
            AuthMode.OpenIdConnect when auth.OpenIdConnect.RequiredClaim is { Length: > 0 } claim => SplitClaim(claim),
            AuthMode.ProxyHeader when auth.ProxyHeader.RequiredGroup is { Length: > 0 } group => (AccessScopes.GroupClaim, group),
            _ => null,
        };
        services.AddAuthorization(o => o.FallbackPolicy = new AuthorizationPolicyBuilder()
            .RequireAuthenticatedUser()
            .RequireAssertion(ctx => Admits(ctx.User, (ctx.Resource as HttpContext)?.Request.Path ?? default, required))
            .Build());
    }

    /// <summary>
    /// Who may in: a scrape token's principal only to /metrics, a signed link's only to /embed; a user only with the
    /// required claim or group when one is configured.
    /// </summary>
    public static bool Admits(ClaimsPrincipal user, PathString path, (string Type, string Value)? required)
    {
        if (ScrapeTokenAuthentication.IsScrape(user))
        {
            return ScrapeTokenAuthentication.IsMetrics(path);
        }

        if (user.Identity?.AuthenticationType == SignedEmbedAuthenticationType)
        {
            return path.StartsWithSegments("/embed");
        }

        return required is not { } r || user.HasClaim(r.Type, r.Value);
    }

    private const string SignedEmbedAuthenticationType = "EmbedLink";

    /// <summary>
    /// A valid signed <c>/embed/{panel}</c> link stands in for a login, for that request only: the principal it gets
    /// names nothing but the link, and the page renders without a Blazor circuit (which would carry no signature).
    /// An altered or expired link is refused here with 403 and the reason, before any login is asked for.
    /// </summary>
    public static IApplicationBuilder UseSignedEmbedLinks(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (Embeds.EmbedPanels.FromPath(context.Request.Path) is { } panel)
            {
                var check = context.RequestServices.GetRequiredService<Embeds.EmbedLinks>().Check(panel, context.Request.Query);
                if (check.Status is Embeds.EmbedLinkStatus.Expired or Embeds.EmbedLinkStatus.Invalid)
                {
                    await Embeds.EmbedLinks.RefuseAsync(context, check);
                    return;
                }

                if (check.Status == Embeds.EmbedLinkStatus.Valid && context.User.Identity?.IsAuthenticated != true)
                {
                    context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "signed embed link")], SignedEmbedAuthenticationType));
                    context.Items[Embeds.EmbedLinks.SignedRequestItem] = true;
                }
            }

            await next(context);
        });

    /// <summary>Remembers the TCP peer before forwarded headers rewrite it: proxy trust is about who is really connected.</summary>
    public static IApplicationBuilder UsePeerCapture(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            context.Items[ProxyHeaderAuthentication.PeerItem] = context.Connection.RemoteIpAddress;
            return next(context);
        });

    public static void MapLogin(this WebApplication app, CiliumDashOptions options)
    {
        if (options.Auth.Mode != AuthMode.Token)
        {
            return;
        }

        app.MapGet("/login", (HttpContext ctx, string? returnUrl) => LoginPage(ctx, null, returnUrl, StatusCodes.Status200OK)).AllowAnonymous();
        app.MapPost("/login", async (HttpContext ctx, BrowserToken token, FailedSignIns failures) =>
        {
            if (!ctx.Request.HasFormContentType)
            {
                return LoginPage(ctx, "Sign in with the form below: the request carried no form (Content-Type application/x-www-form-urlencoded).", null, StatusCodes.Status400BadRequest);
            }

            IFormCollection form;
            try
            {
                form = await ctx.Request.ReadFormAsync(ctx.RequestAborted);
            }
            catch (InvalidDataException)
            {
                return LoginPage(ctx, "Sign in with the form below: the form could not be read.", null, StatusCodes.Status400BadRequest);
            }

            var returnUrl = form["returnUrl"].ToString();
            if (!token.Matches(form["token"].ToString()))
            {
                failures.Record(ctx);
                return LoginPage(ctx, "That token is not valid.", returnUrl, StatusCodes.Status401Unauthorized);
            }

            var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "token user")], CookieScheme);
            await ctx.SignInAsync(CookieScheme, new ClaimsPrincipal(identity));
            return Results.LocalRedirect(SafeReturnUrl(ctx, returnUrl));
        }).AllowAnonymous().DisableAntiforgery();
        app.MapPost("/logout", async (HttpContext ctx) =>
        {
            await ctx.SignOutAsync(CookieScheme);
            return Results.LocalRedirect(ctx.Request.PathBase + "/login");
        }).DisableAntiforgery();
    }

    /// <summary>A login return URL never leaves the site: anything but a local path goes to the overview.</summary>
    public static string SafeReturnUrl(HttpContext ctx, string? returnUrl)
    {
        var root = ctx.Request.PathBase.HasValue ? ctx.Request.PathBase.Value + "/" : "/";
        if (string.IsNullOrEmpty(returnUrl) || returnUrl[0] != '/' || returnUrl.StartsWith("//", StringComparison.Ordinal) || returnUrl.StartsWith("/\\", StringComparison.Ordinal)
            || returnUrl.Any(char.IsControl))
        {
            return root;
        }

        return returnUrl;
    }

    private static IResult LoginPage(HttpContext ctx, string? error, string? returnUrl, int status)
    {
        var e = System.Net.WebUtility.HtmlEncode(error ?? "");
        var r = System.Net.WebUtility.HtmlEncode(SafeReturnUrl(ctx, returnUrl));
        var action = System.Net.WebUtility.HtmlEncode(ctx.Request.PathBase + "/login");
        var html = $$"""
            <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>CiliumDash — sign in</title>
            <style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:4rem auto;padding:0 1rem}input{width:100%;padding:.5rem;margin:.5rem 0}p.e{color:#cf222e}</style></head>
            <body><h1>CiliumDash</h1><p>Paste the browser token. It is printed once in the dashboard's log at start, or set by <code>CiliumDash:Auth:Token</code>.</p>
            <p class="e" role="alert">{{e}}</p>
            <form method="post" action="{{action}}"><label for="token">Token</label><input id="token" name="token" type="password" autocomplete="off" autofocus>
            <input type="hidden" name="returnUrl" value="{{r}}"><button type="submit">Sign in</button></form></body></html>
            """;
        return Results.Content(html, "text/html; charset=utf-8", Encoding.UTF8, status);
    }

    private static Task ApiOrRedirect(RedirectContext<CookieAuthenticationOptions> ctx, int status)
    {
        if (IsApi(ctx.Request))
        {
            ctx.Response.StatusCode = status;
            return Task.CompletedTask;
        }

        ctx.Response.Redirect(ctx.RedirectUri);
        return Task.CompletedTask;
    }

    private static bool IsApi(HttpRequest request) =>
        request.Path.StartsWithSegments("/api") || request.Path.StartsWithSegments("/hubs") || request.Path.StartsWithSegments("/embed")
        || ScrapeTokenAuthentication.IsMetrics(request.Path);

    private static (string Type, string Value) SplitClaim(string required) =>
        required.IndexOf('=') is > 0 and var i ? (required[..i], required[(i + 1)..]) : (required, "");
}

/// <summary>Mode=Token's secret: configured, or generated at start and logged once (the only secret we ever log).</summary>
public sealed class BrowserToken
{
    private readonly SecretHash _hash;

    public BrowserToken(string? configured)
    {
        Generated = string.IsNullOrEmpty(configured);
        Value = Generated ? Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).TrimEnd('=').Replace('+', '-').Replace('/', '_') : configured!;
        _hash = new SecretHash(Value);
    }

    public bool Generated { get; }

    internal string Value { get; }

    public bool Matches(string? candidate) => _hash.Matches(candidate);
}
