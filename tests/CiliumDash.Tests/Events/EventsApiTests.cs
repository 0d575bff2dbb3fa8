using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CiliumDash.Simulator.Kubernetes;
using CiliumDash.Testing;
using CiliumDash.Tests.Push;
using Microsoft.AspNetCore.SignalR.Client;

namespace CiliumDash.Tests.Events;

/// <summary><c>/api/v1/events</c>, the hub topic and /metrics on the dashboard's own simulated cluster, with team scopes.</summary>
public sealed class EventsApiTests(EventsApiTests.Server server) : IClassFixture<EventsApiTests.Server>
{
    private const string Shop = "shop-team";
    private const string Platform = "platform";

    [Fact]
    public async Task Events_PolicyInANamespace_SeenOnlyByTeamsCoveringIt()
    {
        var changes = server.Dashboard.Simulator.Changes;
        await AwaitConnected();
        changes.ApplyPolicy(PolicyKind.CiliumNetworkPolicy, "default", "scoped-default-policy", "frontend", "ingress-nginx", 80);
        changes.ApplyPolicy(PolicyKind.CiliumNetworkPolicy, "shop", "scoped-shop-policy", "cart", "frontend", 80);
        changes.AddNode("scoped-node");

        var all = await Eventually.Value(async () =>
        {
            var names = Names(await Get(Platform, "/api/v1/events"));
            return names.Contains("scoped-default-policy") && names.Contains("scoped-shop-policy") && names.Contains("scoped-node") ? names : null;
        }, "the platform team to see all three events");
        var shop = Names(await Get(Shop, "/api/v1/events"));
        var nobody = Names(await Get("nobody", "/api/v1/events"));

        Assert.Contains("scoped-shop-policy", shop);
        Assert.Contains("scoped-node", shop);
        Assert.DoesNotContain("scoped-default-policy", shop);
        Assert.Contains("scoped-node", nobody);
        Assert.DoesNotContain("scoped-shop-policy", nobody);
        Assert.Equal(3, all.Intersect(["scoped-default-policy", "scoped-shop-policy", "scoped-node"]).Count());
    }

    [Fact]
    public async Task Events_Filters_NarrowByKindNamespaceNodeAndTime()
    {
        var changes = server.Dashboard.Simulator.Changes;
        await AwaitConnected();
        var node = server.Dashboard.Simulator.Nodes[0];
        changes.RestartAgent(node.Name, "Error", 2);
        changes.ApplyPolicy(PolicyKind.NetworkPolicy, "shop", "filter-policy", "cart", "frontend", 81);
        await Eventually.True(async () => Names(await Get(Platform, "/api/v1/events?kind=policy-created&namespace=shop")).Contains("filter-policy"), "the policy event");

        var restarts = await Eventually.Value(async () =>
        {
            var doc = await Get(Platform, $"/api/v1/events?kind=agent-restart&node={node.Name}&since=1h");
            return doc.RootElement.GetProperty("returned").GetInt32() > 0 ? doc : null;
        }, "the agent restart event");
        var future = await Get(Platform, "/api/v1/events?since=2999-01-01T00:00:00Z");

        var e = restarts.RootElement.GetProperty("events")[0];
        Assert.Equal(("agent-restart", node.Name, "Error (exit code 2)"), (e.GetProperty("kind").GetString(), e.GetProperty("node").GetString(), e.GetProperty("detail").GetString()));
        Assert.All(restarts.RootElement.GetProperty("events").EnumerateArray(), x => Assert.Equal("agent-restart", x.GetProperty("kind").GetString()));
        Assert.Equal(0, future.RootElement.GetProperty("returned").GetInt32());
    }

    [Theory]
    [InlineData("/api/v1/events?kind=bogus", "kind: 'bogus' is not one of agent-restart")]
    [InlineData("/api/v1/events?since=yesterday", "since: 'yesterday' is neither RFC 3339")]
    [InlineData("/api/v1/events?until=999999999h", "until: '999999999h' reaches back before the year 1")]
    [InlineData("/api/v1/events?limit=0", "limit: must be 1 to")]
    public async Task Events_BadArgument_Is400NamingIt(string path, string message)
    {
        using var request = Request(Platform, path);
        using var response = await server.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HubTopic_Events_SnapshotThenChangedWithinTheSubscribersScope()
    {
        await AwaitConnected();
        await using var hub = await HubClient.ConnectAsync(server.Dashboard.BaseAddress,
            new Dictionary<string, string> { ["X-Forwarded-User"] = "ann", ["X-Forwarded-Groups"] = Shop });
        await hub.Connection.InvokeAsync("Subscribe", "events");
        var snapshot = await hub.NextAsync("events");
        Assert.Equal("Snapshot", snapshot.Kind);

        server.Dashboard.Simulator.Changes.ApplyPolicy(PolicyKind.CiliumNetworkPolicy, "default", "hub-hidden", "frontend", "ingress-nginx", 80);
        server.Dashboard.Simulator.Changes.ApplyPolicy(PolicyKind.CiliumNetworkPolicy, "shop", "hub-visible", "cart", "frontend", 80);
        var changed = await Eventually.Value(async () =>
        {
            var m = await hub.NextAsync("events");
            return m.Payload.GetProperty("events").EnumerateArray().Any(e => e.GetProperty("name").GetString() == "hub-visible") ? m : null;
        }, "a Changed payload with the shop policy");

        Assert.Equal("Changed", changed.Kind);
        Assert.DoesNotContain(changed.Payload.GetProperty("events").EnumerateArray(), e => e.GetProperty("name").GetString() == "hub-hidden");
    }

    [Fact]
    public async Task Metrics_EventsSource_ReportsItsState()
    {
        await AwaitConnected();
        using var request = Request(Platform, "/metrics");
        using var response = await server.Client.SendAsync(request);
        var metrics = await response.Content.ReadAsStringAsync();

        var samples = CiliumDash.Testing.PrometheusText.Parse(metrics).Samples;
        Assert.Contains(samples, s => s.Name == "ciliumdash_source_state" && s.Label("source") == "kubernetes-events" && s.Label("state") == "Connected" && s.Value == 1);
        Assert.Contains(samples, s => s.Name == "ciliumdash_cluster_events_total");
    }

    private async Task AwaitConnected() =>
        await Eventually.True(async () => (await Get(Platform, "/api/v1/events")).RootElement.GetProperty("source").GetProperty("state").GetString() == "Connected",
            "the events watch to connect");

    private static HashSet<string> Names(JsonDocument doc) =>
        [.. doc.RootElement.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("name").GetString() ?? "")];

    private static HttpRequestMessage Request(string groups, string path) =>
        new(HttpMethod.Get, path) { Headers = { { "X-Forwarded-User", "user-" + groups }, { "X-Forwarded-Groups", groups } } };

    private async Task<JsonDocument> Get(string groups, string path)
    {
        using var request = Request(groups, path);
        using var response = await server.Client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonDocument>())!;
    }

    public sealed class Server() : DashboardFixture(new Dictionary<string, string?>
    {
        ["CiliumDash:Auth:Mode"] = "ProxyHeader",
        ["CiliumDash:Auth:ProxyHeader:TrustedProxies"] = "127.0.0.1",
        ["CiliumDash:Auth:Teams:shop-team"] = "shop",
        ["CiliumDash:Auth:Teams:platform"] = "*",
        ["CiliumDash:Simulator:ChangeEverySeconds"] = "0",
        ["CiliumDash:Simulator:FlowsPerSecond"] = "0",
    });
}
