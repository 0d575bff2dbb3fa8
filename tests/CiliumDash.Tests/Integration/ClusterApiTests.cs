using System.Net.Http.Json;
using System.Text.Json;
using CiliumDash.Testing;

namespace CiliumDash.Tests.Integration;

public sealed class ClusterApiTests : IClassFixture<ClusterApiTests.Server>
{
    private readonly Server _server;

    public ClusterApiTests(Server server) => _server = server;

    [Fact]
    public async Task ClusterApi_SimulatedDefault_ReportsBothNodesAndRelayConnected()
    {
        using var client = _server.Dashboard.CreateLoopbackClient();
        var cluster = await Eventually.Value(async () =>
        {
            var doc = await client.GetFromJsonAsync<JsonDocument>("/api/v1/cluster");
            var root = doc!.RootElement;
            return root.GetProperty("nodes").GetProperty("ready").GetInt32() == 2 && root.GetProperty("relay").GetProperty("state").GetString() == "Connected"
                ? doc : null;
        }, "two ready nodes and a connected relay");

        Assert.True(cluster.RootElement.GetProperty("simulated").GetBoolean());
        Assert.Equal(14, cluster.RootElement.GetProperty("clusterPods").GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task NodesAndControllers_FailingControllerOnKnode1_OneOrderRuleInTheQuery()
    {
        using var client = _server.Dashboard.CreateLoopbackClient();
        var faults = _server.Dashboard.Simulator.Faults;
        await Api.WaitForAsync(client, "/api/v1/nodes", n => n.GetArrayLength() == 2 && n.EnumerateArray().All(x => x.GetProperty("error").ValueKind == JsonValueKind.Null), "both nodes read");
        try
        {
            faults.FailingControllerNodes = new HashSet<string> { "knode1" };

            var controllers = await Api.WaitForAsync(client, "/api/v1/controllers", c => c.GetArrayLength() > 0, "failing controllers");
            var byProblem = await Api.WaitForAsync(client, "/api/v1/nodes?order=problems", n => n[0].GetProperty("controllers").GetProperty("failing").GetInt32() > 0, "knode1 first");
            var byName = await Api.GetAsync(client, "/api/v1/nodes");

            Assert.All(controllers.EnumerateArray(), c => Assert.Equal("knode1", c.GetProperty("node").GetString()));
            Assert.All(controllers.EnumerateArray(), c => Assert.True(c.GetProperty("consecutiveFailureCount").GetInt64() > 0));
            Assert.Equal(["knode1", "fedora"], byProblem.EnumerateArray().Select(n => n.GetProperty("name").GetString()));
            Assert.Equal(["fedora", "knode1"], byName.EnumerateArray().Select(n => n.GetProperty("name").GetString()));
        }
        finally
        {
            faults.FailingControllerNodes = new HashSet<string>();
        }
    }

    [Fact]
    public async Task Nodes_UnknownOrder_400NamesTheChoices()
    {
        using var client = _server.Dashboard.CreateLoopbackClient();

        using var response = await client.GetAsync("/api/v1/nodes?order=sideways");

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("order 'sideways' is not one of name, problems", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    public sealed class Server() : DashboardFixture();
}
