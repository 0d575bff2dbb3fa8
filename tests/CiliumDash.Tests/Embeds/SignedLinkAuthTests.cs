using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CiliumDash.Testing;

namespace CiliumDash.Tests.Embeds;

/// <summary>With a login required, a signed embed link is the only key a wiki page has: it opens that panel and nothing else.</summary>
public sealed class SignedLinkAuthTests : IClassFixture<SignedLinkAuthTests.Server>
{
    private const string Token = "embed-tests-token-0123456789";
    private readonly Server _server;

    public SignedLinkAuthTests(Server server) => _server = server;

    [Fact]
    public async Task SignedLink_TokenModeWithoutCookie_OpensThatPanelStaticallyWithRefresh()
    {
        var link = await CreateAsync("cluster");
        using var handler = NoRedirects();
        using var anonymous = new HttpClient(handler) { BaseAddress = _server.Dashboard.BaseAddress };

        var page = await anonymous.GetAsync(link.GetProperty("url").GetString());
        var svg = await anonymous.GetAsync(link.GetProperty("svgUrl").GetString());
        var html = await page.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("js/embed-refresh.js", html, StringComparison.Ordinal);
        Assert.DoesNotContain("\"type\":\"server\"", html, StringComparison.Ordinal);   // no interactive component, so no circuit: it would carry no signature
        Assert.Equal(HttpStatusCode.OK, svg.StatusCode);
        Assert.Equal("image/svg+xml", svg.Content.Headers.ContentType!.MediaType);

        // The same panel opened by a signed-in user is interactive: the marker the assertion above looks for exists.
        using var signedIn = new HttpRequestMessage(HttpMethod.Get, "/embed/cluster") { Headers = { { "Authorization", $"Bearer {Token}" } } };
        Assert.Contains("\"type\":\"server\"", await (await _server.Client.SendAsync(signedIn)).Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignedLink_Tampered_IsRefusedAndOpensNothing()
    {
        var url = (await CreateAsync("cluster")).GetProperty("url").GetString()!;
        using var handler = NoRedirects();
        using var anonymous = new HttpClient(handler) { BaseAddress = _server.Dashboard.BaseAddress };

        var otherPanel = await anonymous.GetAsync(url.Replace("/embed/cluster", "/embed/controllers", StringComparison.Ordinal));
        var badSignature = await anonymous.GetAsync(url[..^2] + (url.EndsWith("AA", StringComparison.Ordinal) ? "BB" : "AA"));
        var api = await anonymous.GetAsync("/api/v1/nodes?" + new Uri(new Uri("http://x"), url).Query.TrimStart('?'));

        Assert.NotEqual(HttpStatusCode.OK, otherPanel.StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, badSignature.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
    }

    private async Task<JsonElement> CreateAsync(string panel)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/embed-links")
        {
            Headers = { { "Authorization", $"Bearer {Token}" } },
            Content = JsonContent.Create(new { panel, query = "", expiresIn = "1h" }),
        };
        using var response = await _server.Client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>Redirects and Set-Cookie as the server sent them: nothing followed, no cookie jar.</summary>
    private static HttpClientHandler NoRedirects() => new() { AllowAutoRedirect = false, UseCookies = false };

    public sealed class Server() : DashboardFixture(new Dictionary<string, string?> { ["CiliumDash:Auth:Mode"] = "Token", ["CiliumDash:Auth:Token"] = Token });
}
