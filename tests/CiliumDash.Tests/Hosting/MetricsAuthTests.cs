using System.Net;
using CiliumDash.Testing;

namespace CiliumDash.Tests.Hosting;

/// <summary>/metrics needs the sign-in every page needs, or the scrape token, which opens /metrics and nothing else.</summary>
public sealed class MetricsAuthTests
{
    private const string Token = "metrics-tests-browser-token";
    private const string ScrapeToken = "metrics-tests-scrape-token-0123";

    [Fact]
    public async Task TokenMode_Anonymous_401()
    {
        using var server = TokenServer();
        using var handler = NoRedirects();
        using var client = new HttpClient(handler) { BaseAddress = server.BaseAddress };

        var metrics = await client.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.Unauthorized, metrics.StatusCode);
    }

    [Fact]
    public async Task TokenMode_ScrapeToken_OpensMetricsOnly()
    {
        using var server = TokenServer();
        using var handler = NoRedirects();
        using var client = new HttpClient(handler) { BaseAddress = server.BaseAddress };

        using var scrape = Bearer("/metrics", ScrapeToken);
        var metrics = await client.SendAsync(scrape);
        var body = await metrics.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.Contains("# TYPE ciliumdash_flows_received_total counter", body, StringComparison.Ordinal);
        foreach (var path in new[] { "/", "/nodes", "/api/v1/nodes", "/api/v1/flows", "/embed/cluster", "/embed/cluster.svg" })
        {
            using var request = Bearer(path, ScrapeToken);
            using var response = await client.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{path} answered {(int)response.StatusCode} to the scrape token");
        }

        using var negotiate = Bearer("/hubs/cluster/negotiate?negotiateVersion=1", ScrapeToken, HttpMethod.Post);
        using var hub = await client.SendAsync(negotiate);
        Assert.Equal(HttpStatusCode.Unauthorized, hub.StatusCode);
    }

    [Fact]
    public async Task TokenMode_BrowserTokenOrWrongToken_OkOr401()
    {
        using var server = TokenServer();
        using var handler = NoRedirects();
        using var client = new HttpClient(handler) { BaseAddress = server.BaseAddress };

        using var browserToken = Bearer("/metrics", Token);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(browserToken)).StatusCode);
        using var wrongToken = Bearer("/metrics", "not-the-scrape-token-at-all");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(wrongToken)).StatusCode);
    }

    [Fact]
    public async Task ProxyHeaderMode_MetricsNeedAUserWithTheGroupOrTheScrapeToken()
    {
        using var server = new DashboardServer(new Dictionary<string, string?>
        {
            ["CiliumDash:Auth:Mode"] = "ProxyHeader",
            ["CiliumDash:Auth:ProxyHeader:TrustedProxies"] = "127.0.0.1",
            ["CiliumDash:Auth:ProxyHeader:RequiredGroup"] = "platform",
            ["CiliumDash:Metrics:ScrapeToken"] = ScrapeToken,
        });
        using var handler = NoRedirects();
        using var client = new HttpClient(handler) { BaseAddress = server.BaseAddress };

        using var member = new HttpRequestMessage(HttpMethod.Get, "/metrics") { Headers = { { "X-Forwarded-User", "alice" }, { "X-Forwarded-Groups", "platform" } } };
        using var outsider = new HttpRequestMessage(HttpMethod.Get, "/metrics") { Headers = { { "X-Forwarded-User", "bob" }, { "X-Forwarded-Groups", "marketing" } } };

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(member)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(outsider)).StatusCode);
        using var scrape = Bearer("/metrics", ScrapeToken);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(scrape)).StatusCode);
        using var wrongToken = Bearer("/metrics", "wrong-scrape-token-0123456");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(wrongToken)).StatusCode);
        using var scrapeOnApi = Bearer("/api/v1/nodes", ScrapeToken);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(scrapeOnApi)).StatusCode);
    }

    [Fact]
    public void ScrapeToken_TooShort_StartFailsNamingTheKey()
    {
        using var server = new DashboardServer(new Dictionary<string, string?> { ["CiliumDash:Auth:Mode"] = "Token", ["CiliumDash:Metrics:ScrapeToken"] = "short" });

        var error = Assert.ThrowsAny<Exception>(() => server.BaseAddress);

        Assert.Contains("CiliumDash:Metrics:ScrapeToken: must be at least 16 characters", error.ToString(), StringComparison.Ordinal);
    }

    private static DashboardServer TokenServer() => new(new Dictionary<string, string?>
    {
        ["CiliumDash:Auth:Mode"] = "Token",
        ["CiliumDash:Auth:Token"] = Token,
        ["CiliumDash:Metrics:ScrapeToken"] = ScrapeToken,
    });

    private static HttpRequestMessage Bearer(string path, string token, HttpMethod? method = null) =>
        new(method ?? HttpMethod.Get, path) { Headers = { { "Authorization", $"Bearer {token}" } } };

    /// <summary>Redirects and Set-Cookie as the server sent them: nothing followed, no cookie jar.</summary>
    private static HttpClientHandler NoRedirects() => new() { AllowAutoRedirect = false, UseCookies = false };
}
