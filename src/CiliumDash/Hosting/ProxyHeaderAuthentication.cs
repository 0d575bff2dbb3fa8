using System.Net;
using System.Security.Claims;
using System.Text.Encodings.Web;
using CiliumDash.Configuration;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using CiliumDash.Shared;

namespace CiliumDash.Hosting;

/// <summary>
/// The user and groups named by an authenticating proxy (e.g. oauth2-proxy), believed only when the TCP peer is one
/// of the configured proxies — the peer as seen on the socket, before any X-Forwarded-For rewriting.
/// </summary>
public sealed class ProxyHeaderAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptions<CiliumDashOptions> options) : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, logger, encoder)
{
    public const string SchemeName = "ProxyHeader";
    public const string PeerItem = "ciliumdash.peer";

    private readonly AddressList _trusted = AddressList.Parse(options.Value.Auth.ProxyHeader.TrustedProxies);

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var settings = options.Value.Auth.ProxyHeader;
        var user = Request.Headers[settings.UserHeader].ToString();
        if (string.IsNullOrEmpty(user))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var peer = Context.Items[PeerItem] as IPAddress ?? Context.Connection.RemoteIpAddress;
        if (!_trusted.Contains(peer))
        {
            return Task.FromResult(AuthenticateResult.Fail($"{settings.UserHeader} sent by {peer}, which is not a trusted proxy"));
        }

        if (Ambiguity(Request, settings) is { } ambiguity)
        {
            return Task.FromResult(AuthenticateResult.Fail(ambiguity));
        }

        var claims = new List<Claim> { new(ClaimTypes.Name, user) };
        claims.AddRange(Request.Headers[settings.GroupsHeader].ToString()
            .Split([',', '|'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(g => new Claim(AccessScopes.GroupClaim, g)));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName, ClaimTypes.Name, ClaimTypes.Role));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }

    /// <summary>
    /// A request must name one user and carry at most one groups header: two user headers (or one joining two names
    /// with a comma) or two groups headers mean something between the proxy and us added its own, and believing either
    /// or their union would hand out scopes nobody granted.
    /// </summary>
    public static string? Ambiguity(HttpRequest request, ProxyHeaderSettings settings)
    {
        var users = request.Headers[settings.UserHeader];
        if (users.Count > 1 || users.ToString().Contains(',', StringComparison.Ordinal))
        {
            return $"{settings.UserHeader} names more than one user; the authenticating proxy must send exactly one";
        }

        return request.Headers[settings.GroupsHeader].Count > 1
            ? $"{settings.GroupsHeader} appears more than once; the authenticating proxy must send one header (groups comma-separated)"
            : null;
    }

    /// <summary>Answers 400 to a trusted proxy's request whose identity headers are ambiguous (see <see cref="Ambiguity"/>).</summary>
    public static IApplicationBuilder UseSingleIdentityHeaders(IApplicationBuilder app, ProxyHeaderSettings settings)
    {
        var trusted = AddressList.Parse(settings.TrustedProxies);
        return app.Use(async (context, next) =>
        {
            var peer = context.Items[PeerItem] as IPAddress ?? context.Connection.RemoteIpAddress;
            if (trusted.Contains(peer) && Ambiguity(context.Request, settings) is { } ambiguity)
            {
                await Results.Problem(ambiguity, statusCode: StatusCodes.Status400BadRequest).ExecuteAsync(context);
                return;
            }

            await next(context);
        });
    }
}
