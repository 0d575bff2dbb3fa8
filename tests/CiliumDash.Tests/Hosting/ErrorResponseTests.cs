using System.Net;
using System.Net.Http.Json;
using CiliumDash.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace CiliumDash.Tests.Hosting;

/// <summary>
/// Error responses carry the headers normal ones do. The server runs as Production (no developer exception page) in
/// Token mode; a startup filter puts a throwing handler behind the app's pipeline so a real unhandled exception
/// reaches it, and a forwarded client address gives the rate-limited request a client of its own.
/// </summary>
public sealed class ErrorResponseTests : IClassFixture<ErrorResponseTests.Server>
{
    private const string Token = "error-tests-browser-token";
    private readonly Server _server;

    public ErrorResponseTests(Server server) => _server = server;

    [Fact]
    public async Task Login_NoFormBody_400WithTheLoginPage()
    {
        using var empty = await _server.Client.PostAsync("/login", null);
        using var jsonBody = JsonContent.Create(new { token = Token });
        using var json = await _server.Client.PostAsync("/login", jsonBody);

        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Contains("the request carried no form", await empty.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, json.StatusCode);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(404)]
    [InlineData(413)]
    [InlineData(429)]
    [InlineData(500)]
    public async Task ErrorResponse_EveryStatus_CarriesTheSecurityHeaders(int status)
    {
        using var response = await _server.Client.SendAsync(await RequestForAsync(status));

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Contains("frame-ancestors", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
    }

    [Fact]
    public async Task Csp_Page_ConnectsOnlyToItself()
    {
        using var request = Bearer(HttpMethod.Get, "/");
        using var page = await _server.Client.SendAsync(request);

        var csp = page.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("connect-src 'self';", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("ws:", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("wss:", csp, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/embed/cluster.svg")]
    [InlineData("/embed/connectivity.svg")]
    public async Task Csp_SvgImage_AllowsNothingButInlineStyles(string path)
    {
        using var request = Bearer(HttpMethod.Get, path);
        using var svg = await _server.Client.SendAsync(request);

        Assert.Equal("image/svg+xml", svg.Content.Headers.ContentType!.MediaType);
        Assert.StartsWith("default-src 'none'; style-src 'unsafe-inline';", svg.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    private async Task<HttpRequestMessage> RequestForAsync(int status)
    {
        switch (status)
        {
            case 400:
                return new HttpRequestMessage(HttpMethod.Post, "/login");
            case 401:
                return new HttpRequestMessage(HttpMethod.Get, "/api/v1/nodes");
            case 403:
                return new HttpRequestMessage(HttpMethod.Get, "/embed/cluster?exp=1900000000&sig=AAAA");
            case 404:
                return Bearer(HttpMethod.Get, "/api/v1/nodes/no-such-node");
            case 413:
                var big = Bearer(HttpMethod.Post, "/api/v1/embed-links");
                big.Content = JsonContent.Create(new { panel = "flows", query = "namespace=" + new string('a', 5000), expiresIn = "1h" });
                return big;
            case 429:
                for (var i = 0; i < 2; i++)
                {
                    using var wrongToken = Limited("wrong-token-wrong-token");
                    using var wrong = await _server.Client.SendAsync(wrongToken);
                    Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
                }

                return Limited(Token);
            default:
                return Bearer(HttpMethod.Get, Server.ThrowingPath);
        }
    }

    private static HttpRequestMessage Limited(string token)
    {
        return new HttpRequestMessage(HttpMethod.Get, "/api/v1/nodes") { Headers = { { "Authorization", $"Bearer {token}" }, { "X-Forwarded-For", "198.51.100.7" } } };
    }

    private static HttpRequestMessage Bearer(HttpMethod method, string path) =>
        new(method, path) { Headers = { { "Authorization", $"Bearer {Token}" } } };

    public sealed class Server : IDisposable
    {
        public const string ThrowingPath = "/test-only/throws";

        /// <summary>Redirects and Set-Cookie as the server sent them: nothing followed, no cookie jar.</summary>
        private readonly HttpClientHandler _handler = new() { AllowAutoRedirect = false, UseCookies = false };

        public Server()
        {
            Dashboard = new DashboardServer(
                new Dictionary<string, string?>
                {
                    ["environment"] = "Production",
                    ["CiliumDash:Auth:Mode"] = "Token",
                    ["CiliumDash:Auth:Token"] = Token,
                    ["CiliumDash:Auth:FailedSignIns:Limit"] = "2",
                    ["CiliumDash:Auth:FailedSignIns:Window"] = "01:00:00",
                    ["CiliumDash:ForwardedHeaders:KnownProxies"] = "127.0.0.1",
                },
                services => services.AddSingleton<IStartupFilter, ThrowBehindTheApp>());
            Client = new HttpClient(_handler) { BaseAddress = Dashboard.BaseAddress };
        }

        public DashboardServer Dashboard { get; }

        public HttpClient Client { get; }

        public void Dispose()
        {
            Client.Dispose();
            _handler.Dispose();
            Dashboard.Dispose();
        }
    }

    /// <summary>Requests no endpoint took fall through the app's pipeline to here, and this path throws.</summary>
    private sealed class ThrowBehindTheApp : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            next(app);
            app.Run(context =>
            {
                if (context.Request.Path == Server.ThrowingPath)
                {
                    throw new InvalidOperationException("a handler failed");
                }

                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            });
        };
    }
}
