using System.Net;
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
    private const string TokenOrCookie = "token-or-cookie";

    public static void AddCiliumDashAuth(this WebApplicationBuilder builder, CiliumDashOptions options)
    {
        var auth = options.Auth;
        var services = builder.Services;
        services.AddSingleton<AccessScopes>();
        services.AddCascadingAuthenticationState();
        if (auth.Mode == AuthMode.None)
        {
            RequireLoopbackOrConsent(builder, auth);
            services.AddAuthentication();
            services.AddAuthorization();
            return;
        }

        var scheme = auth.Mode switch
        {
            AuthMode.ProxyHeader => ProxyHeaderAuthentication.SchemeName,
            AuthMode.Token => TokenOrCookie,
            _ => CookieScheme,
        };
        var authentication = services.AddAuthentication(o =>
        {
            o.DefaultScheme = scheme;
            o.DefaultChallengeScheme = auth.Mode == AuthMode.OpenIdConnect ? OpenIdConnectDefaults.AuthenticationScheme : scheme;
        });
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
                // Scripts send a Bearer header, browsers carry the cookie; one scheme picks per request.
                authentication.AddPolicyScheme(TokenOrCookie, "token or cookie", o => o.ForwardDefaultSelector = ctx =>
                    ctx.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? BearerTokenAuthentication.SchemeName : CookieScheme);
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

        services.AddAuthorization(o =>
        {
            var policy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser();
            if (auth.Mode == AuthMode.OpenIdConnect && auth.OpenIdConnect.RequiredClaim is { Length: > 0 } required)
            {
                var (type, value) = SplitClaim(required);
                policy.RequireClaim(type, value);
            }

            if (auth.Mode == AuthMode.ProxyHeader && auth.ProxyHeader.RequiredGroup is { Length: > 0 } group)
            {
                policy.RequireClaim(AccessScopes.GroupClaim, group);
            }

            o.FallbackPolicy = policy.Build();
        });
    }

    /// <summary>Set on a request that is allowed only by its signed embed link (no cookie, no login).</summary>
    public const string SignedEmbedItem = "ciliumdash.signed-embed";

    /// <summary>
    /// A valid signed <c>/embed/{panel}</c> link stands in for a login, for that request only: the principal it gets
    /// names nothing but the link, and the page renders without a Blazor circuit (which would carry no signature).
    /// </summary>
    public static IApplicationBuilder UseSignedEmbedLinks(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            if (context.User.Identity?.IsAuthenticated != true
                && context.Request.Path.StartsWithSegments("/embed")
                && context.Request.Query.ContainsKey(Embeds.EmbedLinks.SignatureKey)
                && context.RequestServices.GetRequiredService<Embeds.EmbedLinks>().TryValidate(context))
            {
                context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "signed embed link")], "EmbedLink"));
                context.Items[SignedEmbedItem] = true;
            }

            return next(context);
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

        app.MapGet("/login", (HttpContext ctx, string? returnUrl) => LoginPage(ctx, null, returnUrl)).AllowAnonymous();
        app.MapPost("/login", async (HttpContext ctx, BrowserToken token) =>
        {
            var form = await ctx.Request.ReadFormAsync();
            var returnUrl = form["returnUrl"].ToString();
            if (!token.Matches(form["token"].ToString()))
            {
                return LoginPage(ctx, "That token is not valid.", returnUrl);
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

    private static IResult LoginPage(HttpContext ctx, string? error, string? returnUrl)
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
        return Results.Content(html, "text/html; charset=utf-8", Encoding.UTF8, error is null ? 200 : 401);
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
        request.Path.StartsWithSegments("/api") || request.Path.StartsWithSegments("/hubs") || request.Path.StartsWithSegments("/embed");

    private static (string Type, string Value) SplitClaim(string required) =>
        required.IndexOf('=') is > 0 and var i ? (required[..i], required[(i + 1)..]) : (required, "");

    private static void RequireLoopbackOrConsent(WebApplicationBuilder builder, AuthOptions auth)
    {
        var urls = builder.Configuration[WebHostDefaults.ServerUrlsKey] ?? CiliumDashHostingExtensions.DefaultUrl;
        var exposed = urls.Split(';', StringSplitOptions.RemoveEmptyEntries).Where(u => !IsLoopback(u)).ToList();
        if (exposed.Count > 0 && !auth.AllowAnonymous)
        {
            throw new InvalidOperationException(
                $"CiliumDash:Auth:Mode is None but the dashboard listens on {string.Join(", ", exposed)}: anyone who reaches it would see the cluster. " +
                "Choose CiliumDash:Auth:Mode=Token, OpenIdConnect or ProxyHeader, or set CiliumDash:Auth:AllowAnonymous=true to accept that.");
        }
    }

    private static bool IsLoopback(string url)
    {
        var host = url.Split("://", 2)[^1].Split('/')[0];
        host = host.StartsWith('[') ? host[1..host.IndexOf(']', StringComparison.Ordinal)] : host.Split(':')[0];
        return host == "localhost" || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));
    }
}

/// <summary>Mode=Token's secret: configured, or generated at start and logged once (the only secret we ever log).</summary>
public sealed class BrowserToken
{
    private readonly byte[] _hash;

    public BrowserToken(string? configured)
    {
        Generated = string.IsNullOrEmpty(configured);
        Value = Generated ? Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).TrimEnd('=').Replace('+', '-').Replace('/', '_') : configured!;
        _hash = SHA256.HashData(Encoding.UTF8.GetBytes(Value));
    }

    public bool Generated { get; }

    internal string Value { get; }

    public bool Matches(string? candidate) =>
        candidate is { Length: > 0 } && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(candidate)), _hash);
}
