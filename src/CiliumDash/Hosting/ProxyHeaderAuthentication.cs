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

        var claims = new List<Claim> { new(ClaimTypes.Name, user) };
        claims.AddRange(Request.Headers[settings.GroupsHeader].ToString()
            .Split([',', '|'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(g => new Claim(AccessScopes.GroupClaim, g)));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName, ClaimTypes.Name, ClaimTypes.Role));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }
}
