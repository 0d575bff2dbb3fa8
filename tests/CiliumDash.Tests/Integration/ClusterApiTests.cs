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

    public sealed class Server() : DashboardFixture();
}
