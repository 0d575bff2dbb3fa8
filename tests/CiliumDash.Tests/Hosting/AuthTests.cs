using System.Net;
using CiliumDash.Testing;

namespace CiliumDash.Tests.Hosting;

public sealed class AuthTests
{
    private const string Token = "correct-horse-battery-staple";

    [Fact]
    public async Task TokenMode_NoCredentials_PagesRedirectToLoginAndApiAnswers401()
    {
        using var server = TokenServer();
        using var handler = NoRedirects();
        using var client = new HttpClient(handler) { BaseAddress = server.BaseAddress };

        var page = await client.GetAsync("/nodes");
        var api = await client.GetAsync("/api/v1/nodes");
        var health = await client.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/login", page.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task TokenMode_BearerHeader_AllowsOnlyTheRightToken()
    {
        using var server = TokenServer();
        using var handler = NoRedirects();
        using var client = new HttpClient(handler) { BaseAddress = server.BaseAddress };

        using var good = new HttpRequestMessage(HttpMethod.Get, "/api/v1/cluster") { Headers = { { "Authorization", $"Bearer {Token}" } } };
        using var bad = new HttpRequestMessage(HttpMethod.Get, "/api/v1/cluster") { Headers = { { "Authorization", "Bearer wrong-token-wrong-token" } } };

        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(good)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(bad)).StatusCode);
    }

    [Fact]
    public async Task TokenMode_LoginWithToken_SetsASecureHttpOnlyCookieThatOpensPages()
    {
        using var server = TokenServer();
        var cookies = new CookieContainer();
        using var handler = new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = cookies };
        using var client = new HttpClient(handler) { BaseAddress = server.BaseAddress };

        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = Token, ["returnUrl"] = "/nodes" });
        var login = await client.PostAsync("/login", form);

        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Equal("/nodes", login.Headers.Location!.OriginalString);
        var setCookie = Assert.Single(login.Headers.GetValues("Set-Cookie"), c => c.StartsWith("ciliumdash=", StringComparison.Ordinal));
        Assert.Contains("secure", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", setCookie, StringComparison.OrdinalIgnoreCase);

        // HttpClient keeps Secure cookies off plain http, so send it by hand as a browser on loopback would.
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/nodes");
        request.Headers.Add("Cookie", setCookie.Split(';')[0]);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(request)).StatusCode);
    }

    [Theory]
    [InlineData("https://evil.example/", "/")]
    [InlineData("//evil.example/x", "/")]
    [InlineData("/\\evil.example", "/")]
    [InlineData("/flows?namespace=shop", "/flows?namespace=shop")]
    public async Task TokenMode_LoginReturnUrl_NeverLeavesTheSite(string returnUrl, string expected)
    {
        using var server = TokenServer();
        using var handler = NoRedirects();
        using var client = new HttpClient(handler) { BaseAddress = server.BaseAddress };

        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = Token, ["returnUrl"] = returnUrl });
        var login = await client.PostAsync("/login", form);

        Assert.Equal(expected, login.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task TokenMode_WrongToken_LoginPageSaysSoWith401()
    {
        using var server = TokenServer();
        using var handler = NoRedirects();
        using var client = new HttpClient(handler) { BaseAddress = server.BaseAddress };

        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = "nope" });
        var login = await client.PostAsync("/login", form);

        Assert.Equal(HttpStatusCode.Unauthorized, login.StatusCode);
        Assert.Contains("That token is not valid.", await login.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProxyHeaderMode_TrustedProxyNamesUser_Allowed()
    {
        using var server = ProxyServer(trusted: "127.0.0.1/32");
        using var handler = NoRedirects();
        using var client = new HttpClient(handler) { BaseAddress = server.BaseAddress };

        using var alice = ProxyRequest("alice", "platform");
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(alice)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/nodes")).StatusCode);
    }

    [Fact]
    public async Task ProxyHeaderMode_HeadersFromAnUntrustedAddress_Denied()
    {
        using var server = ProxyServer(trusted: "10.99.0.0/16");
        using var handler = NoRedirects();
        using var client = new HttpClient(handler) { BaseAddress = server.BaseAddress };

        using var mallory = ProxyRequest("mallory", "platform");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(mallory)).StatusCode);
    }

    [Fact]
    public async Task ProxyHeaderMode_UserWithoutTheRequiredGroup_Forbidden()
    {
        using var server = ProxyServer(trusted: "127.0.0.1", requiredGroup: "platform");
        using var handler = NoRedirects();
        using var client = new HttpClient(handler) { BaseAddress = server.BaseAddress };

        using var bob = ProxyRequest("bob", "marketing");
        Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(bob)).StatusCode);
        using var carol = ProxyRequest("carol", "marketing,platform");
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(carol)).StatusCode);
    }

    [Fact]
    public async Task EveryResponse_SecurityHeaders_DenyFramingAndSniffing()
    {
        using var server = new DashboardServer();
        using var handler = NoRedirects();
        using var client = new HttpClient(handler) { BaseAddress = server.BaseAddress };

        foreach (var path in new[] { "/", "/api/v1/cluster", "/healthz" })
        {
            var response = await client.GetAsync(path);
            Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
            Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        }
    }

    private static DashboardServer TokenServer() => new(new Dictionary<string, string?> { ["CiliumDash:Auth:Mode"] = "Token", ["CiliumDash:Auth:Token"] = Token });

    private static DashboardServer ProxyServer(string trusted, string? requiredGroup = null) => new(new Dictionary<string, string?>
    {
        ["CiliumDash:Auth:Mode"] = "ProxyHeader",
        ["CiliumDash:Auth:ProxyHeader:TrustedProxies"] = trusted,
        ["CiliumDash:Auth:ProxyHeader:RequiredGroup"] = requiredGroup,
    });

    private static HttpRequestMessage ProxyRequest(string user, string groups) =>
        new(HttpMethod.Get, "/api/v1/nodes") { Headers = { { "X-Forwarded-User", user }, { "X-Forwarded-Groups", groups } } };

    /// <summary>Redirects and Set-Cookie as the server sent them: nothing followed, no cookie jar.</summary>
    private static HttpClientHandler NoRedirects() => new() { AllowAutoRedirect = false, UseCookies = false };
}
