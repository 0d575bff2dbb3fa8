using System.Net;
using System.Text.Json;
using CiliumDash.Testing;

namespace CiliumDash.Tests.Integration;

/// <summary>The REST contract of a healthy simulated cluster, read over loopback through the real exec and gRPC paths.</summary>
public sealed class DashboardApiTests : IClassFixture<DashboardApiTests.Server>
{
    private static readonly string[] Verdicts = ["FORWARDED", "DROPPED", "AUDIT", "REDIRECTED", "ERROR", "TRACED", "TRANSLATED"];
    private static readonly string[] SimulatedNodes = ["fedora", "knode1"];

    private readonly Server _server;

    public DashboardApiTests(Server server) => _server = server;

    private static Task<JsonElement> TwoReadNodesAsync(HttpClient client) =>
        Api.WaitForAsync(client, "/api/v1/nodes",
            nodes => nodes.GetArrayLength() == 2 && nodes.EnumerateArray().All(n => n.GetProperty("ciliumVersion").ValueKind == JsonValueKind.String),
            "both nodes read");

    [Fact]
    public async Task Nodes_SimulatedCluster_ContractShape()
    {
        using var client = _server.Dashboard.CreateLoopbackClient();

        var nodes = await TwoReadNodesAsync(client);

        Assert.Equal(["fedora", "knode1"], nodes.EnumerateArray().Select(n => n.GetProperty("name").GetString()));
        foreach (var node in nodes.EnumerateArray())
        {
            Api.AssertCamelCase(node);
            Assert.Equal("Ok", node.GetProperty("state").GetString());
            Assert.Equal("1.12.0", node.GetProperty("ciliumVersion").GetString());
            Api.AssertUtcTime(node.GetProperty("lastUpdated"));
            Assert.False(node.GetProperty("stale").GetBoolean());
            Assert.Equal(JsonValueKind.Null, node.GetProperty("error").ValueKind);
            var controllers = node.GetProperty("controllers");
            Assert.True(controllers.GetProperty("total").GetInt32() > 10);
            Assert.Equal(0, controllers.GetProperty("failing").GetInt32());
        }
    }

    [Fact]
    public async Task NodeDetail_KnownNode_ContractShape()
    {
        using var client = _server.Dashboard.CreateLoopbackClient();
        await TwoReadNodesAsync(client);

        var node = await Api.GetAsync(client, "/api/v1/nodes/fedora");

        Api.AssertCamelCase(node);
        Assert.Equal("fedora", node.GetProperty("name").GetString());
        Assert.Equal("Ok", node.GetProperty("state").GetString());
        Assert.False(node.GetProperty("stale").GetBoolean());
        Api.AssertUtcTime(node.GetProperty("lastUpdated"));
        Assert.Equal("Strict", node.GetProperty("kubeProxyReplacement").GetProperty("mode").GetString());
        var controller = node.GetProperty("controllers")[0];
        Api.AssertCamelCase(controller);
        foreach (var field in new[] { "name", "failing", "consecutiveFailureCount", "failureCount", "successCount", "lastFailureMessage", "lastSuccess", "lastFailure" })
        {
            Assert.True(controller.TryGetProperty(field, out _), $"controllers[0].{field}");
        }

        var maps = node.GetProperty("bpfMaps");
        Assert.True(maps.GetProperty("maps").GetArrayLength() > 0);
        Assert.True(maps.GetProperty("maps")[0].TryGetProperty("size", out _));
        Assert.Equal(JsonValueKind.Object, node.GetProperty("ipam").ValueKind);
        Assert.Equal(JsonValueKind.Object, node.GetProperty("hubble").ValueKind);
        Assert.Equal(2, node.GetProperty("health").GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task NodeDetail_UnknownNode_404NamingIt()
    {
        using var client = _server.Dashboard.CreateLoopbackClient();

        using var response = await client.GetAsync("/api/v1/nodes/no-such-node");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("node 'no-such-node' is not known to the dashboard", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Flows_LiveRelay_ShapeAndKeepArriving()
    {
        using var client = _server.Dashboard.CreateLoopbackClient();
        var first = await Api.WaitForAsync(client, "/api/v1/flows?limit=3", page => page.GetProperty("returned").GetInt32() == 3, "three flows");

        Assert.True(first.GetProperty("total").GetInt32() >= 3);
        var flow = first.GetProperty("flows")[0];
        Api.AssertCamelCase(flow);
        Api.AssertUtcTime(flow.GetProperty("time"));
        Assert.Contains(flow.GetProperty("verdict").GetString(), Verdicts);
        Assert.Contains(flow.GetProperty("node").GetString(), SimulatedNodes);
        Assert.True(flow.GetProperty("source").TryGetProperty("pod", out _));
        Assert.True(flow.GetProperty("l4").TryGetProperty("protocol", out _));

        var newest = flow.GetProperty("uuid").GetString();
        await Eventually.True(async () =>
        {
            var page = await Api.GetAsync(client, "/api/v1/flows?limit=1");
            return page.GetProperty("flows")[0].GetProperty("uuid").GetString() != newest;
        }, "a newer flow than the first one read");
    }

    [Fact]
    public async Task Flows_ZeroLimit_400()
    {
        using var client = _server.Dashboard.CreateLoopbackClient();

        using var response = await client.GetAsync("/api/v1/flows?limit=0");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Healthz_Always200()
    {
        using var client = _server.Dashboard.CreateLoopbackClient();

        Assert.Equal("ok", await client.GetStringAsync("/healthz"));
    }

    [Fact]
    public async Task Readyz_OnceConnected_200()
    {
        using var client = _server.Dashboard.CreateLoopbackClient();

        await Eventually.True(async () =>
        {
            using var response = await client.GetAsync("/readyz");
            return response.StatusCode == HttpStatusCode.OK;
        }, "/readyz to answer 200");

        var body = await Api.GetAsync(client, "/readyz");
        Assert.True(body.GetProperty("ready").GetBoolean());
        Assert.Equal("Connected", body.GetProperty("agents").GetProperty("state").GetString());
        Assert.Equal("Connected", body.GetProperty("relay").GetProperty("state").GetString());
    }

    public sealed class Server() : DashboardFixture();
}
