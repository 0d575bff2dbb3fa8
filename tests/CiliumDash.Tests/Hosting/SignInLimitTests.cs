using System.Net;
using CiliumDash.Testing;

namespace CiliumDash.Tests.Hosting;

/// <summary>
/// Failed sign-ins are limited per client address (3 per hour here). Each test is its own client: the dashboard
/// believes X-Forwarded-For from 127.0.0.1 (ForwardedHeaders:KnownProxies), as it would behind an Ingress.
/// </summary>
public sealed class SignInLimitTests : IClassFixture<SignInLimitTests.Server>
{
    private const string Token = "limit-tests-browser-token";
    private readonly Server _server;

    public SignInLimitTests(Server server) => _server = server;

    [Fact]
    public async Task FailedLogins_OverTheLimit_429WithRetryAfterEvenForTheRightToken()
    {
        const string client = "203.0.113.1";
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(client, "wrong")).StatusCode);
        }

        using var limited = await LoginAsync(client, "wrong");
        using var right = await LoginAsync(client, Token);
        using var good = Bearer(client, Token);
        using var bearer = await _server.Client.SendAsync(good);
        using var otherClient = await LoginAsync("203.0.113.2", Token);

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.InRange(limited.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
        Assert.Contains("too many failed sign-ins", await limited.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.TooManyRequests, right.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, bearer.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, otherClient.StatusCode);
    }

    [Fact]
    public async Task FailedBearerTokens_OverTheLimit_429ButASessionCookieStillWorks()
    {
        const string client = "203.0.113.3";
        using var login = await LoginAsync(client, Token);
        var cookie = login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("ciliumdash=", StringComparison.Ordinal)).Split(';')[0];
        for (var i = 0; i < 3; i++)
        {
            using var wrong = Bearer(client, "wrong-token-wrong-token");
            Assert.Equal(HttpStatusCode.Unauthorized, (await _server.Client.SendAsync(wrong)).StatusCode);
        }

        using var overLimit = Bearer(client, "wrong-token-wrong-token");
        using var limited = await _server.Client.SendAsync(overLimit);
        using var withCookie = new HttpRequestMessage(HttpMethod.Get, "/api/v1/nodes") { Headers = { { "Cookie", cookie }, { "X-Forwarded-For", client } } };
        using var session = await _server.Client.SendAsync(withCookie);

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.NotNull(limited.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.OK, session.StatusCode);
    }

    [Fact]
    public async Task SuccessfulSignIns_DoNotCount()
    {
        const string client = "203.0.113.4";
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(client, "wrong")).StatusCode);
        }

        for (var i = 0; i < 10; i++)
        {
            using var good = Bearer(client, Token);
            Assert.Equal(HttpStatusCode.OK, (await _server.Client.SendAsync(good)).StatusCode);
            Assert.Equal(HttpStatusCode.Redirect, (await LoginAsync(client, Token)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(client, "wrong")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await LoginAsync(client, "wrong")).StatusCode);
    }

    private async Task<HttpResponseMessage> LoginAsync(string client, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/login")
        {
            Headers = { { "X-Forwarded-For", client } },
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = token }),
        };
        return await _server.Client.SendAsync(request);
    }

    private static HttpRequestMessage Bearer(string client, string token) =>
        new(HttpMethod.Get, "/api/v1/nodes") { Headers = { { "Authorization", $"Bearer {token}" }, { "X-Forwarded-For", client } } };

    public sealed class Server : IDisposable
    {
        /// <summary>Redirects and Set-Cookie as the server sent them: nothing followed, no cookie jar.</summary>
        private readonly HttpClientHandler _handler = new() { AllowAutoRedirect = false, UseCookies = false };

        public Server()
        {
            Dashboard = new DashboardServer(new Dictionary<string, string?>
            {
                ["CiliumDash:Auth:Mode"] = "Token",
                ["CiliumDash:Auth:Token"] = Token,
                ["CiliumDash:Auth:FailedSignIns:Limit"] = "3",
                ["CiliumDash:Auth:FailedSignIns:Window"] = "01:00:00",
                ["CiliumDash:ForwardedHeaders:KnownProxies"] = "127.0.0.1",
            });
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
}
