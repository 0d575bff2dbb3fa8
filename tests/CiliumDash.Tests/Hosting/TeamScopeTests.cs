using System.Net.Http.Json;
using System.Text.Json;
using CiliumDash.Testing;

namespace CiliumDash.Tests.Hosting;

public sealed class TeamScopeTests : IClassFixture<TeamScopeTests.Server>
{
    private readonly Server _server;

    public TeamScopeTests(Server server) => _server = server;

    [Fact]
    public async Task FlowsApi_ShopTeamMember_SeesOnlyFlowsTouchingShop()
    {
        var flows = await Eventually.Value(async () =>
        {
            var doc = await Get("alice", "shop-team", "/api/v1/flows?limit=500");
            return doc.RootElement.GetProperty("returned").GetInt32() >= 20 ? doc : null;
        }, "some shop flows for the shop team");

        Assert.All(flows.RootElement.GetProperty("flows").EnumerateArray(), f =>
            Assert.Contains("shop", new[] { Ns(f, "source"), Ns(f, "destination") }));
    }

    [Fact]
    public async Task FlowsApi_UserInNoTeam_SeesNoFlowsEvenWithAFilterThatWouldMatch()
    {
        await Eventually.True(async () => (await Get("root", "platform", "/api/v1/flows?limit=5")).RootElement.GetProperty("returned").GetInt32() > 0,
            "flows for the all-namespaces team");

        var none = await Get("mallory", "marketing", "/api/v1/flows?namespace=shop&namespace=kube-system");

        Assert.Equal(0, none.RootElement.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task FlowSummary_RestrictedUser_NoClusterWideTotalsOrSeries()
    {
        var summary = await Get("alice", "shop-team", "/api/v1/flows/summary");

        Assert.Equal(JsonValueKind.Null, summary.RootElement.GetProperty("totals").ValueKind);
        Assert.Equal(JsonValueKind.Null, summary.RootElement.GetProperty("series").ValueKind);
    }

    [Fact]
    public async Task FlowsEmbed_ShopTeamMember_PanelAndSvgShowOnlyShopFlows()
    {
        await Eventually.True(async () => (await Get("alice", "shop-team", "/api/v1/flows?limit=5")).RootElement.GetProperty("returned").GetInt32() > 0,
            "shop flows in the window");

        var page = await GetText("alice", "shop-team", "/embed/flows?rows=50");
        var svg = await GetText("alice", "shop-team", "/embed/flows.svg?rows=50");
        var nobody = await GetText("mallory", "marketing", "/embed/flows?rows=50");

        // The ingress controller only talks to default/frontend: its flows never touch shop. The all-namespaces team
        // sees them (so the check below can fail); the shop team must not.
        await Eventually.True(async () => (await GetText("root", "platform", "/embed/flows?rows=200")).Contains("ingress-nginx/", StringComparison.Ordinal),
            "ingress-nginx flows for the all-namespaces team");
        foreach (var text in new[] { page, svg })
        {
            Assert.Contains("shop/", text, StringComparison.Ordinal);
            Assert.DoesNotContain("ingress-nginx/", text, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("shop/", nobody, StringComparison.Ordinal);
    }

    private async Task<string> GetText(string user, string groups, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path) { Headers = { { "X-Forwarded-User", user }, { "X-Forwarded-Groups", groups } } };
        using var response = await _server.Client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }

    private async Task<JsonDocument> Get(string user, string groups, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path) { Headers = { { "X-Forwarded-User", user }, { "X-Forwarded-Groups", groups } } };
        using var response = await _server.Client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonDocument>())!;
    }

    private static string Ns(JsonElement flow, string side) => flow.GetProperty(side).GetProperty("namespace").GetString() ?? "";

    public sealed class Server() : DashboardFixture(new Dictionary<string, string?>
            {
                ["CiliumDash:Auth:Mode"] = "ProxyHeader",
                ["CiliumDash:Auth:ProxyHeader:TrustedProxies"] = "127.0.0.1",
                ["CiliumDash:Auth:Teams:shop-team"] = "shop",
                ["CiliumDash:Auth:Teams:platform"] = "*",
                ["CiliumDash:Simulator:FlowsPerSecond"] = "200",
            });
}
