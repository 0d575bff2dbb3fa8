using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace CiliumDash.Hosting;

/// <summary>
/// Prometheus's key to <c>/metrics</c>: <c>CiliumDash:Metrics:ScrapeToken</c> sent as <c>Authorization: Bearer</c>.
/// It authenticates on <c>/metrics</c> only, and the access policy admits its principal nowhere else, so it is never a
/// sign-in for pages, REST, the hub or embeds.
/// </summary>
public sealed class ScrapeTokenAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ScrapeToken token,
    FailedSignIns failures) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ScrapeToken";
    public const string ScopeClaim = "ciliumdash:scope";
    public const string MetricsScope = "metrics";

    public static bool IsMetrics(PathString path) => path.Equals("/metrics", StringComparison.OrdinalIgnoreCase);

    public static bool IsScrape(ClaimsPrincipal user) => user.HasClaim(ScopeClaim, MetricsScope);

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!IsMetrics(Request.Path) || BearerTokenAuthentication.BearerOf(Request) is not { } bearer)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (!token.Hash.Matches(bearer))
        {
            failures.Record(Context);
            return Task.FromResult(AuthenticateResult.Fail(token.Hash.IsSet ? "invalid scrape token" : "no CiliumDash:Metrics:ScrapeToken is configured"));
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "metrics scrape"), new Claim(ScopeClaim, MetricsScope)], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }
}

/// <summary>The configured scrape token (none = only signed-in users read /metrics).</summary>
public sealed class ScrapeToken(string? configured)
{
    public SecretHash Hash { get; } = new(configured);
}
