using System.Net;
using System.Text.Json;
using System.Xml.Linq;
using CiliumDash.Testing;
using CiliumDash.Tests.Contract;
using CiliumDash.Tests.Integration;
using CiliumDash.Tests.Push;
using Microsoft.AspNetCore.SignalR.Client;

namespace CiliumDash.Tests.ServiceMap;

/// <summary><c>/api/v1/service-map</c>, <c>/embed/map.svg</c> and the <c>serviceMap</c> topic against the app on its simulated cluster, with teams.</summary>
public sealed class ServiceMapApiTests : IClassFixture<ServiceMapApiTests.Server>
{
    private readonly Server _server;

    public ServiceMapApiTests(Server server) => _server = server;

    [Fact]
    public async Task ServiceMap_ShopTeam_SeesOnlyLinksTouchingShopAndTheirNodes()
    {
        await Eventually.True(async () => Edges(await Get("root", "platform", "/api/v1/service-map")).Any(e => !Touches(e, "shop")),
            "links that do not touch shop, for the all-namespaces team (so the check below can fail)");

        var map = await Eventually.Value(async () =>
        {
            var doc = await Get("alice", "shop-team", "/api/v1/service-map");
            return Edges(doc).Count > 0 ? doc : null;
        }, "shop links for the shop team");

        var edges = Edges(map);
        Assert.All(edges, e => Assert.True(Touches(e, "shop"), $"{e.GetProperty("id")} does not touch shop"));
        var ids = edges.SelectMany(e => new[] { e.GetProperty("source").GetString(), e.GetProperty("target").GetString() }).ToHashSet();
        Assert.All(map.RootElement.GetProperty("nodes").EnumerateArray(), n => Assert.Contains(n.GetProperty("id").GetString(), ids));
        Assert.Empty(Edges(await Get("mallory", "marketing", "/api/v1/service-map")));
    }

    [Fact]
    public async Task ServiceMap_Shape_AsTheContractSays()
    {
        var map = await Eventually.Value(async () =>
        {
            var doc = await Get("root", "platform", "/api/v1/service-map?group-by=namespace");
            return Edges(doc).Count > 0 ? doc : null;
        }, "links in the simulated cluster");

        var node = map.RootElement.GetProperty("nodes")[0];
        foreach (var field in new[] { "id", "kind", "namespace", "name", "labels" })
        {
            Assert.True(node.TryGetProperty(field, out _), $"node lacks {field}");
        }

        var edge = Edges(map)[0];
        foreach (var field in new[] { "source", "target", "flows", "verdicts", "dropReasons", "ports", "policies" })
        {
            Assert.True(edge.TryGetProperty(field, out _), $"edge lacks {field}");
        }

        Assert.Equal("namespace", map.RootElement.GetProperty("groupBy").GetString());
        Assert.All(Edges(map), e => Assert.Equal(e.GetProperty("flows").GetInt64(), e.GetProperty("verdicts").EnumerateObject().Sum(v => v.Value.GetInt64())));
    }

    [Theory]
    [InlineData("/api/v1/service-map?since=soon", "since=\\\"soon\\\"")]
    [InlineData("/api/v1/service-map?verdict=DROPPED", "unknown service map parameter 'verdict'")]
    public async Task ServiceMap_BadQuery_400NamingTheParameter(string path, string message)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path) { Headers = { { "X-Forwarded-User", "root" }, { "X-Forwarded-Groups", "platform" } } };
        using var response = await _server.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MapSvg_ShopTeam_WellFormedWithTitleAndDescAndOnlyShopLinks()
    {
        await Eventually.True(async () => Edges(await Get("alice", "shop-team", "/api/v1/service-map")).Count > 0, "shop links");

        var svg = XDocument.Parse(await GetText("alice", "shop-team", "/embed/map.svg?theme=dark"));
        XNamespace ns = "http://www.w3.org/2000/svg";

        Assert.StartsWith("Service map: ", svg.Root!.Element(ns + "title")!.Value, StringComparison.Ordinal);
        Assert.NotEmpty(svg.Root.Element(ns + "desc")!.Value);
        Assert.All(svg.Descendants(ns + "path").Select(p => p.Element(ns + "title")!.Value), t => Assert.Contains("shop/", t, StringComparison.Ordinal));
        Assert.DoesNotContain(svg.Descendants(ns + "text"), t => t.Value.EndsWith('…'));
    }

    private static List<JsonElement> Edges(JsonDocument doc) => [.. doc.RootElement.GetProperty("edges").EnumerateArray()];

    private static bool Touches(JsonElement edge, string ns) =>
        new[] { edge.GetProperty("source").GetString()!, edge.GetProperty("target").GetString()! }.Any(id => id.Contains($":{ns}/", StringComparison.Ordinal));

    private async Task<string> GetText(string user, string groups, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path) { Headers = { { "X-Forwarded-User", user }, { "X-Forwarded-Groups", groups } } };
        using var response = await _server.Client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }

    private async Task<JsonDocument> Get(string user, string groups, string path) => JsonDocument.Parse(await GetText(user, groups, path));

    public sealed class Server() : DashboardFixture(new Dictionary<string, string?>
    {
        ["CiliumDash:Auth:Mode"] = "ProxyHeader",
        ["CiliumDash:Auth:ProxyHeader:TrustedProxies"] = "127.0.0.1",
        ["CiliumDash:Auth:Teams:shop-team"] = "shop",
        ["CiliumDash:Auth:Teams:platform"] = "*",
        ["CiliumDash:Simulator:FlowsPerSecond"] = "200",
    });
}

/// <summary>The <c>serviceMap</c> hub topic: snapshot, then changes whose payload is the REST body of the same view.</summary>
public sealed class ServiceMapHubTests : IClassFixture<ServiceMapHubTests.Server>
{
    private readonly Server _server;

    public ServiceMapHubTests(Server server) => _server = server;

    [Fact]
    public async Task Hub_ServiceMapTopic_SnapshotThenChanges_SameBodyAsRest()
    {
        await using var hub = await HubClient.ConnectAsync(_server.Dashboard.BaseAddress);
        using var http = _server.Dashboard.CreateLoopbackClient();
        await hub.Connection.InvokeAsync("SubscribeServiceMap", "group-by=namespace");

        var snapshot = await hub.NextAsync("serviceMap");
        Assert.Equal("Snapshot", snapshot.Kind);
        string? last = null;
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var message = await hub.NextAsync("serviceMap");
            Assert.Equal("Changed", message.Kind);
            var rest = await Api.GetAsync(http, "/api/v1/service-map?group-by=namespace");
            last = JsonStructure.Difference(rest, message.Payload);
            if (last is null)
            {
                return;
            }
        }

        Assert.Fail($"the serviceMap payload never equalled the REST body; last difference: {last}");
    }

    [Fact]
    public async Task Hub_ServiceMapBadQuery_HubErrorNamesTheParameter()
    {
        await using var hub = await HubClient.ConnectAsync(_server.Dashboard.BaseAddress);

        var error = await Assert.ThrowsAsync<Microsoft.AspNetCore.SignalR.HubException>(() => hub.Connection.InvokeAsync("SubscribeServiceMap", "max-nodes=lots"));

        Assert.Contains("max-nodes=\"lots\"", error.Message, StringComparison.Ordinal);
    }

    public sealed class Server() : DashboardFixture(new Dictionary<string, string?> { ["CiliumDash:Simulator:FlowsPerSecond"] = "200" });
}
