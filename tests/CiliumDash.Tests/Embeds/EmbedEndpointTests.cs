using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Xml.Linq;
using CiliumDash.Cluster;
using CiliumDash.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using CiliumDash.Agents;

namespace CiliumDash.Tests.Embeds;

/// <summary>/embed pages, SVG images, framing headers and signed links over loopback, on the simulated cluster.</summary>
public sealed class EmbedEndpointTests : IClassFixture<EmbedEndpointTests.Server>
{
    public const string Wiki = "https://wiki.example.com";
    private const string Hostile = "<script>alert(1)</script>&\"'";
    private readonly Server _server;

    public EmbedEndpointTests(Server server) => _server = server;

    public sealed class Server : IAsyncLifetime
    {
        public DashboardServer Dashboard { get; } = new(new Dictionary<string, string?>
        {
            ["CiliumDash:Embeds:AllowedOrigins"] = Wiki + ",https://docs.example.com:8443",
            ["CiliumDash:Embeds:SigningKey"] = EmbedLinksTests.Key,
        });

        public async Task InitializeAsync()
        {
            using var client = Dashboard.CreateLoopbackClient();
            await Integration.Api.WaitForAsync(client, "/api/v1/nodes", n => n.GetArrayLength() == 2 && n[0].GetProperty("ciliumVersion").ValueKind == JsonValueKind.String, "both nodes read");
            Dashboard.Services.GetRequiredService<ClusterStore>().UpdateNode(Hostile, _ => new NodeSnapshot(Hostile, null, null, null, null, null, null, Hostile, null));
        }

        public async Task DisposeAsync() => await Dashboard.DisposeAsync();
    }

    [Fact]
    public async Task EmbedPage_ThemeAndSize_ChromelessWithQueryLooks()
    {
        using var client = _server.Dashboard.CreateLoopbackClient();

        var html = await client.GetStringAsync("/embed/cluster?theme=dark&width=400&height=300");

        Assert.Contains("data-testid=\"embed-root\" data-theme=\"dark\" style=\"width:400px;overflow:auto;height:300px;overflow:auto;\"", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"embed-panel\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("class=\"mud-appbar", html, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"/nodes\"", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/embed/node?name=knode1", "Node knode1")]
    [InlineData("/embed/controllers", "Failing controllers")]
    [InlineData("/embed/bpf-maps", "BPF map sizes")]
    [InlineData("/embed/connectivity", "Cluster health")]
    [InlineData("/embed/flows?verdict=FORWARDED", "Flows (verdict=FORWARDED)")]
    [InlineData("/embed/drop-reasons", "Drop reasons")]
    public async Task EmbedPage_EachPanel_RendersTitle(string path, string title)
    {
        using var client = _server.Dashboard.CreateLoopbackClient();

        var html = await client.GetStringAsync(path);

        Assert.Contains($"data-testid=\"embed-title\">{WebUtility.HtmlEncode(title)}", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EmbedPage_HostileNodeName_Encoded()
    {
        using var client = _server.Dashboard.CreateLoopbackClient();

        var html = await client.GetStringAsync("/embed/node?name=" + Uri.EscapeDataString(Hostile));

        Assert.DoesNotContain(Hostile, html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
    }

    // The connectivity matrix SVG is the Connectivity feature's own route, with its own escaping tests.
    [Fact]
    public async Task Svg_HostileNodeName_WellFormedWithoutMarkup()
    {
        using var client = _server.Dashboard.CreateLoopbackClient();

        using var response = await client.GetAsync("/embed/node.svg?name=" + Uri.EscapeDataString(Hostile));

        var svg = await response.Content.ReadAsStringAsync();
        var doc = XDocument.Parse(svg);
        Assert.DoesNotContain(doc.Descendants(), e => e.Name.LocalName == "script");
        Assert.Contains(doc.Descendants().Where(e => e.Name.LocalName == "text"), t => t.Value.Contains(Hostile, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Svg_SameContent_CacheHeadersAndNotModified()
    {
        using var client = _server.Dashboard.CreateLoopbackClient();

        using var first = await client.GetAsync("/embed/bpf-maps.svg?theme=dark");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("image/svg+xml", first.Content.Headers.ContentType?.MediaType);
        Assert.True(first.Headers.CacheControl!.Public);
        Assert.Equal(TimeSpan.FromSeconds(15), first.Headers.CacheControl.MaxAge);
        var etag = first.Headers.ETag!;
        Assert.Contains("#0d1117", await first.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/embed/bpf-maps.svg?theme=dark");
        request.Headers.IfNoneMatch.Add(etag);
        using var second = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        Assert.Equal(etag, second.Headers.ETag);
    }

    [Fact]
    public async Task Framing_DashboardPage_DeniedEverywhere()
    {
        using var client = _server.Dashboard.CreateLoopbackClient();

        using var response = await client.GetAsync("/nodes");

        Assert.Contains("frame-ancestors 'none'", string.Join(';', response.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
    }

    [Fact]
    public async Task Framing_EmbedPanel_ConfiguredOriginsOnly()
    {
        using var client = _server.Dashboard.CreateLoopbackClient();

        using var response = await client.GetAsync("/embed/cluster");

        Assert.Contains("frame-ancestors 'self' https://wiki.example.com https://docs.example.com:8443", string.Join(';', response.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("X-Frame-Options"));
    }

    [Fact]
    public async Task SignedLink_CreatedOverRest_WorksForThatPanelOnly()
    {
        using var client = _server.Dashboard.CreateLoopbackClient();

        using var created = await client.PostAsJsonAsync("/api/v1/embed-links", new { panel = "flows", query = "verdict=FORWARDED", expiresIn = "1h" });
        created.EnsureSuccessStatusCode();
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        var url = new Uri(body.GetProperty("url").GetString()!);
        var svgUrl = new Uri(body.GetProperty("svgUrl").GetString()!);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(url.PathAndQuery + "&theme=dark")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(svgUrl.PathAndQuery)).StatusCode);
        using var tampered = await client.GetAsync(url.PathAndQuery.Replace("FORWARDED", "DROPPED", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Forbidden, tampered.StatusCode);
        Assert.Contains("invalid signature", await tampered.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var otherPanel = await client.GetAsync(url.PathAndQuery.Replace("/embed/flows", "/embed/drop-reasons", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Forbidden, otherPanel.StatusCode);
    }

    [Fact]
    public async Task SignedLink_Expired_ForbiddenSayingWhen()
    {
        using var client = _server.Dashboard.CreateLoopbackClient();
        var past = new FakeTimeProvider(new DateTimeOffset(2024, 1, 2, 3, 4, 0, TimeSpan.Zero));
        var link = EmbedLinksTests.Links(past).Create("cluster", null, TimeSpan.FromMinutes(10));

        using var page = await client.GetAsync("/" + link.Url);
        using var image = await client.GetAsync("/" + link.SvgUrl);

        Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
        Assert.Contains("this embed link expired at 2024-01-02 03:14:00 UTC", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, image.StatusCode);
        Assert.Contains("expired at 2024-01-02 03:14:00 UTC", await image.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"panel":"nope","expiresIn":"1h"}""", "there is no embed panel 'nope'")]
    [InlineData("""{"panel":"cluster","expiresIn":"forever"}""", "expiresIn 'forever'")]
    public async Task CreateLink_BadRequest_SaysWhy(string json, string message)
    {
        using var client = _server.Dashboard.CreateLoopbackClient();

        using var body = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        using var response = await client.PostAsync("/api/v1/embed-links", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
