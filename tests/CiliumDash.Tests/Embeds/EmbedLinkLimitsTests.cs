using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CiliumDash.Testing;
using Microsoft.Extensions.Time.Testing;

namespace CiliumDash.Tests.Embeds;

/// <summary>What <c>POST /api/v1/embed-links</c> refuses, and how a bad link is refused when a login is required.</summary>
public sealed class EmbedLinkLimitsTests : IClassFixture<EmbedLinkLimitsTests.Server>
{
    private const string Token = "embed-limits-browser-token";
    private readonly Server _server;

    public EmbedLinkLimitsTests(Server server) => _server = server;

    [Fact]
    public async Task CreateLink_BodyOverFourKilobytes_413()
    {
        var json = JsonSerializer.Serialize(new { panel = "flows", query = "namespace=" + new string('a', 5000), expiresIn = "1h" });
        using var sized = await CreateAsync(new StringContent(json, Encoding.UTF8, "application/json"));
        using var chunked = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(json)));
        chunked.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var streamed = await CreateAsync(chunked);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, sized.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, streamed.StatusCode);
    }

    [Theory]
    [InlineData("flows", "bogus=1", "query: Invalid flow filter: unknown filter \"bogus\"")]
    [InlineData("drop-reasons", "to-port=http", "to-port")]
    public async Task CreateLink_QueryNotAFlowFilter_400WithTheParsersMessage(string panel, string query, string message)
    {
        using var response = await CreateAsync(JsonContent.Create(new { panel, query, expiresIn = "1h" }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("7d", HttpStatusCode.OK)]
    [InlineData("8d", HttpStatusCode.BadRequest)]
    [InlineData("31d", HttpStatusCode.BadRequest)]
    [InlineData("366d", HttpStatusCode.BadRequest)]
    public async Task CreateLink_Lifetime_AtMostTheConfiguredMaximum(string expiresIn, HttpStatusCode expected)
    {
        using var response = await CreateAsync(JsonContent.Create(new { panel = "cluster", query = "", expiresIn }));

        Assert.Equal(expected, response.StatusCode);
        if (expected == HttpStatusCode.BadRequest)
        {
            Assert.Contains("between 1 minute and 7 days", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task CreateLink_NotJson_400Or415()
    {
        using var broken = await CreateAsync(new StringContent("{\"panel\":", Encoding.UTF8, "application/json"));
        using var form = await CreateAsync(new FormUrlEncodedContent(new Dictionary<string, string> { ["panel"] = "cluster" }));

        Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, form.StatusCode);
    }

    [Fact]
    public async Task SignedLink_TamperedOrExpiredWithoutLogin_403Not401()
    {
        using var created = await CreateAsync(JsonContent.Create(new { panel = "flows", query = "verdict=DROPPED", expiresIn = "1h" }));
        var url = new Uri((await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("url").GetString()!).PathAndQuery;
        var expired = EmbedLinksTests.Links(new FakeTimeProvider(new DateTimeOffset(2024, 1, 2, 3, 4, 0, TimeSpan.Zero))).Create("cluster", null, TimeSpan.FromMinutes(10));
        using var handler = new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false };
        using var anonymous = new HttpClient(handler) { BaseAddress = _server.Dashboard.BaseAddress };

        using var valid = await anonymous.GetAsync(url);
        using var tampered = await anonymous.GetAsync(url.Replace("DROPPED", "FORWARDED", StringComparison.Ordinal));
        using var tamperedSvg = await anonymous.GetAsync(url.Replace("/embed/flows?", "/embed/flows.svg?", StringComparison.Ordinal).Replace("DROPPED", "FORWARDED", StringComparison.Ordinal));
        using var old = await anonymous.GetAsync("/" + expired.Url);

        Assert.Equal(HttpStatusCode.OK, valid.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, tampered.StatusCode);
        Assert.Contains("invalid signature", await tampered.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, tamperedSvg.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, old.StatusCode);
        Assert.Contains("expired at 2024-01-02 03:14:00 UTC", await old.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public void MaxLinkLifetime_OverThirtyDays_StartFailsNamingTheKey()
    {
        using var server = new DashboardServer(new Dictionary<string, string?> { ["CiliumDash:Embeds:MaxLinkLifetime"] = "31.00:00:00" });

        var error = Assert.ThrowsAny<Exception>(() => server.BaseAddress);

        Assert.Contains("CiliumDash:Embeds:MaxLinkLifetime: must be 00:01:00 to 30.00:00:00.", error.ToString(), StringComparison.Ordinal);
    }

    /// <summary>Sends <paramref name="content"/> as the body of a create request, which disposes it.</summary>
    private async Task<HttpResponseMessage> CreateAsync(HttpContent content)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/embed-links") { Headers = { { "Authorization", $"Bearer {Token}" } }, Content = content };
        return await _server.Client.SendAsync(request);
    }

    public sealed class Server() : DashboardFixture(new Dictionary<string, string?>
    {
        ["CiliumDash:Auth:Mode"] = "Token",
        ["CiliumDash:Auth:Token"] = Token,
        ["CiliumDash:Embeds:SigningKey"] = EmbedLinksTests.Key,
        ["CiliumDash:Embeds:MaxLinkLifetime"] = "7.00:00:00",
    });
}
