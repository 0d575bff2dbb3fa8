using System.Net;
using CiliumDash.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CiliumDash.Tests.Hosting;

public sealed class OpenIdConnectTests
{
    [Fact]
    public async Task OpenIdConnectMode_AnonymousPage_RedirectsToTheIssuerWithCodeFlowAndPkce()
    {
        await using var issuer = await FakeIssuer.StartAsync();
        using var server = new DashboardServer(new Dictionary<string, string?>
        {
            ["CiliumDash:Auth:Mode"] = "OpenIdConnect",
            ["CiliumDash:Auth:OpenIdConnect:Authority"] = issuer.Url,
            ["CiliumDash:Auth:OpenIdConnect:ClientId"] = "ciliumdash",
            ["CiliumDash:Auth:OpenIdConnect:RequiredClaim"] = "groups=platform",
        });
        using var handler = new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false };
        using var client = new HttpClient(handler) { BaseAddress = server.BaseAddress };

        var page = await client.GetAsync("/nodes");
        var api = await client.GetAsync("/api/v1/nodes");
        var metrics = await client.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        var location = page.Headers.Location!;
        Assert.StartsWith(issuer.Url + "/authorize", location.GetLeftPart(UriPartial.Path), StringComparison.Ordinal);
        var query = System.Web.HttpUtility.ParseQueryString(location.Query);
        Assert.Equal("code", query["response_type"]);
        Assert.Equal("S256", query["code_challenge_method"]);
        Assert.False(string.IsNullOrEmpty(query["code_challenge"]));
        Assert.Equal("ciliumdash", query["client_id"]);
        Assert.EndsWith("/signin-oidc", query["redirect_uri"], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, metrics.StatusCode);   // Prometheus gets 401, not a redirect to the issuer
    }

    /// <summary>Just enough of an OpenID provider for the dashboard to build its authorization request.</summary>
    private sealed class FakeIssuer : IAsyncDisposable
    {
        private static readonly string[] ResponseTypes = ["code"];
        private static readonly string[] SubjectTypes = ["public"];
        private static readonly string[] SigningAlgorithms = ["RS256"];
        private static readonly string[] CodeChallengeMethods = ["S256"];

        private readonly WebApplication _app;

        private FakeIssuer(WebApplication app, string url)
        {
            _app = app;
            Url = url;
        }

        public string Url { get; }

        public static async Task<FakeIssuer> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            app.MapGet("/.well-known/openid-configuration", (HttpContext ctx) =>
            {
                var url = $"http://{ctx.Request.Host}";
                return Results.Json(new Dictionary<string, object>
                {
                    ["issuer"] = url,
                    ["authorization_endpoint"] = url + "/authorize",
                    ["token_endpoint"] = url + "/token",
                    ["userinfo_endpoint"] = url + "/userinfo",
                    ["jwks_uri"] = url + "/jwks",
                    ["response_types_supported"] = ResponseTypes,
                    ["subject_types_supported"] = SubjectTypes,
                    ["id_token_signing_alg_values_supported"] = SigningAlgorithms,
                    ["code_challenge_methods_supported"] = CodeChallengeMethods,
                });
            });
            app.MapGet("/jwks", () => Results.Json(new { keys = Array.Empty<object>() }));
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new FakeIssuer(app, address.TrimEnd('/'));
        }

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();
    }
}
