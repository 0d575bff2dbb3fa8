using System.Net.Http.Json;
using System.Text.Json;
using CiliumDash.Agents;
using CiliumDash.Configuration;
using CiliumDash.Simulator.Cluster;
using CiliumDash.Testing;

namespace CiliumDash.Tests.Agents;

public sealed class AgentSocketSourceTests
{
    private static readonly SimulatedCluster Cluster = new(new SimulatorOptions { Nodes = 2 });

    [Fact]
    public async Task ReadAsync_AgentListening_ReturnsBothDocumentsAndSendsBriefFalse()
    {
        await using var sockets = await FakeAgentSockets.StartAsync(Cluster);
        using var source = new AgentSocketSource(new AgentSocketOptions { AgentSocket = sockets.AgentSocket, HealthSocket = sockets.HealthSocket, NodeName = "fedora" });

        var discovery = await source.DiscoverAsync(CancellationToken.None);
        var read = await source.ReadAsync(discovery.Agents.Single(), CancellationToken.None);

        Assert.Null(read.StatusError);
        Assert.Null(read.HealthError);
        Assert.Equal("false", sockets.LastBriefHeader);
        Assert.Equal("Strict", AgentStatusParser.Parse(read.Status!).Value!.KubeProxyReplacement!.Mode);
        using var matrix = new global::CiliumDash.Connectivity.ConnectivityStore(TimeProvider.System, new ConnectivityOptions());
        Assert.Equal(2, matrix.Ingest("fedora", read.Health!).Summary!.Total);
    }

    [Fact]
    public async Task ReadAsync_WithMetricsAgentWithoutMetricsApi_NotAvailableWhy()
    {
        // The fake serves only /v1/healthz and /v1beta/status, as an agent after 1.16 that dropped /v1/metrics/.
        await using var sockets = await FakeAgentSockets.StartAsync(Cluster);
        using var source = new AgentSocketSource(new AgentSocketOptions { AgentSocket = sockets.AgentSocket, HealthSocket = sockets.HealthSocket, NodeName = "fedora" });

        var agent = (await source.DiscoverAsync(CancellationToken.None)).Agents.Single();
        var read = await source.ReadAsync(agent with { WithMetrics = true }, CancellationToken.None);

        Assert.Null(read.StatusError);
        Assert.Null(read.Metrics);
        Assert.Equal("this agent version has no /v1/metrics/ API", read.MetricsError);
    }

    [Fact]
    public async Task ReadAsync_MetricsNotDue_NotAsked()
    {
        await using var sockets = await FakeAgentSockets.StartAsync(Cluster);
        using var source = new AgentSocketSource(new AgentSocketOptions { AgentSocket = sockets.AgentSocket, HealthSocket = sockets.HealthSocket, NodeName = "fedora" });

        var read = await source.ReadAsync((await source.DiscoverAsync(CancellationToken.None)).Agents.Single(), CancellationToken.None);

        Assert.Null(read.Metrics);
        Assert.Null(read.MetricsError);
    }

    [Fact]
    public async Task ReadAsync_SocketMissing_SaysWhichSocketAndWhatToCheck()
    {
        using var source = new AgentSocketSource(new AgentSocketOptions { AgentSocket = "/nonexistent/cilium.sock", HealthSocket = "/nonexistent/health.sock", NodeName = "n1" });

        var read = await source.ReadAsync((await source.DiscoverAsync(CancellationToken.None)).Agents[0], CancellationToken.None);

        Assert.Null(read.Status);
        Assert.Contains("/nonexistent/cilium.sock not found", read.StatusError, StringComparison.Ordinal);
        Assert.Contains("/var/run/cilium", read.StatusError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dashboard_AgentSocketSource_ShowsTheLocalNodeUnderTheAgentsOwnName()
    {
        await using var sockets = await FakeAgentSockets.StartAsync(Cluster);
        using var server = new DashboardServer(new Dictionary<string, string?>
        {
            ["CiliumDash:Source"] = "AgentSocket",
            ["CiliumDash:AgentSocket:AgentSocket"] = sockets.AgentSocket,
            ["CiliumDash:AgentSocket:HealthSocket"] = sockets.HealthSocket,
            ["CiliumDash:AgentSocket:NodeName"] = "placeholder",
            ["CiliumDash:AgentSocket:PollInterval"] = "00:00:01",
        });
        using var client = server.CreateLoopbackClient();

        var nodes = await Eventually.Value(async () =>
        {
            var doc = await client.GetFromJsonAsync<JsonDocument>("/api/v1/nodes");
            return doc!.RootElement.EnumerateArray().Any(n => n.GetProperty("name").GetString() == "fedora") ? doc : null;
        }, "the node under the name the agent reports (cluster.self)");

        var fedora = nodes.RootElement.EnumerateArray().Single(n => n.GetProperty("name").GetString() == "fedora");
        Assert.Equal("1.12.0", fedora.GetProperty("ciliumVersion").GetString());
        Assert.False(fedora.GetProperty("stale").GetBoolean());
    }
}
