using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace CiliumDash.Hosting;

/// <summary>Mode=Token for scripts: <c>Authorization: Bearer &lt;token&gt;</c> on REST, hub and embed requests.</summary>
public sealed class BearerTokenAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    BrowserToken token,
    FailedSignIns failures) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "BearerToken";

    /// <summary>The token of an <c>Authorization: Bearer</c> header, or null when the request has none.</summary>
    public static string? BearerOf(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
    }

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (BearerOf(Request) is not { } bearer)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (!token.Matches(bearer))
        {
            failures.Record(Context);
            return Task.FromResult(AuthenticateResult.Fail("invalid bearer token"));
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "token user")], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }
}

/// <summary>A configured secret kept as its SHA-256 and compared in constant time; empty never matches.</summary>
public sealed class SecretHash(string? value)
{
    private readonly byte[]? _hash = string.IsNullOrEmpty(value) ? null : SHA256.HashData(Encoding.UTF8.GetBytes(value));

    public bool IsSet => _hash is not null;

    public bool Matches(string? candidate) =>
        _hash is not null && candidate is { Length: > 0 } && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(candidate)), _hash);
}
