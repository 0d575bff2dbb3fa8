using System.Diagnostics;
using System.Text.Json;
using CiliumDash.Testing;
using Microsoft.AspNetCore.SignalR.Client;
using HubException = Microsoft.AspNetCore.SignalR.HubException;

namespace CiliumDash.Tests.Push;

/// <summary>/hubs/cluster over real sockets with the .NET SignalR client, against the app on its simulated cluster.</summary>
public sealed class ClusterHubTests : IClassFixture<ClusterHubTests.Server>
{
    private readonly Server _server;

    public ClusterHubTests(Server server) => _server = server;

    public sealed class Server : IAsyncLifetime
    {
        // Enough flows that every push round has some, so the rate bound is what limits the pushes.
        public DashboardServer Dashboard { get; } = new(new Dictionary<string, string?> { ["CiliumDash:Simulator:FlowsPerSecond"] = "400" });

        public Task InitializeAsync() => Task.CompletedTask;

        public async Task DisposeAsync() => await Dashboard.DisposeAsync();
    }

    [Fact]
    public async Task SubscribeNodes_Connected_SnapshotThenChanged()
    {
        await using var client = await HubClient.ConnectAsync(_server.Dashboard.BaseAddress);

        await client.Connection.InvokeAsync("Subscribe", "nodes");

        var first = await client.NextAsync("nodes");
        Assert.Equal("Snapshot", first.Kind);
        Assert.Equal(JsonValueKind.Array, first.Payload.ValueKind);
        var changed = await client.NextAsync("nodes");
        Assert.Equal("Changed", changed.Kind);
        var names = changed.Payload.EnumerateArray().Select(n => n.GetProperty("name").GetString()).ToList();
        Assert.Equal(["fedora", "knode1"], names);
        Assert.True(changed.Payload[0].GetProperty("controllers").GetProperty("total").GetInt32() > 0);
    }

    [Theory]
    [InlineData("cluster", "nodes")]
    [InlineData("connectivity", "pairs")]
    public async Task Subscribe_ObjectTopic_SnapshotHasRestShape(string topic, string property)
    {
        await using var client = await HubClient.ConnectAsync(_server.Dashboard.BaseAddress);

        await client.Connection.InvokeAsync("Subscribe", topic);

        var snapshot = await client.NextAsync(topic);
        Assert.Equal("Snapshot", snapshot.Kind);
        Assert.True(snapshot.Payload.TryGetProperty(property, out _), $"{topic} payload lacks '{property}': {snapshot.Payload}");
    }

    [Fact]
    public async Task SubscribeConnectivity_BothNodesProbed_PairsBetweenThem()
    {
        await using var client = await HubClient.ConnectAsync(_server.Dashboard.BaseAddress);
        await client.Connection.InvokeAsync("Subscribe", "connectivity");

        var payload = await Eventually.Value(async () =>
        {
            var m = await client.NextAsync("connectivity");
            return m.Payload.GetProperty("pairs").GetArrayLength() >= 4 ? new[] { m.Payload } : null;
        }, "probes between both nodes");

        var pair = payload[0].GetProperty("pairs").EnumerateArray().First(p => p.GetProperty("from").GetString() == "fedora" && p.GetProperty("to").GetString() == "knode1");
        Assert.True(pair.GetProperty("host").GetProperty("icmpNs").GetInt64() > 0);
    }

    [Fact]
    public async Task SubscribeBpfMapsAndControllers_Connected_PerNodeArrays()
    {
        await using var client = await HubClient.ConnectAsync(_server.Dashboard.BaseAddress);
        await client.Connection.InvokeAsync("Subscribe", "bpfMaps");
        await client.Connection.InvokeAsync("Subscribe", "controllers");

        var maps = await Eventually.Value(async () =>
        {
            var m = await client.NextAsync("bpfMaps");
            return m.Payload.GetArrayLength() == 2 ? new[] { m.Payload } : null;
        }, "BPF maps of both nodes");
        var controllers = await client.NextAsync("controllers");

        Assert.Contains(maps[0].EnumerateArray(), n => n.GetProperty("node").GetString() == "fedora" && n.GetProperty("maps").GetArrayLength() > 0);
        Assert.Equal(JsonValueKind.Array, controllers.Payload.ValueKind);
    }

    [Fact]
    public async Task Subscribe_UnknownTopic_HubExceptionNamesTopics()
    {
        await using var client = await HubClient.ConnectAsync(_server.Dashboard.BaseAddress);

        var ex = await Assert.ThrowsAsync<HubException>(() => client.Connection.InvokeAsync("Subscribe", "<nodes>"));

        Assert.Contains("unknown topic '<nodes>'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("bpfMaps", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubscribeFlows_UnsupportedFilter_Refused()
    {
        await using var client = await HubClient.ConnectAsync(_server.Dashboard.BaseAddress);

        var ex = await Assert.ThrowsAsync<HubException>(() => client.Connection.InvokeAsync("SubscribeFlows", "no-such-filter=1"));

        Assert.Contains("unknown filter \"no-such-filter\"", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubscribeFlows_NamespaceFilter_OnlyMatchingFlowsAtBoundedRate()
    {
        await using var client = await HubClient.ConnectAsync(_server.Dashboard.BaseAddress);

        await client.Connection.InvokeAsync("SubscribeFlows", "namespace=kube-system&limit=5");

        var snapshot = await client.NextAsync("flows");
        Assert.Equal("Snapshot", snapshot.Kind);
        var changes = await client.NextAsync("flows", 12);
        Assert.All(changes, m => Assert.Equal("Changed", m.Kind));
        var flows = changes.SelectMany(m => m.Payload.GetProperty("flows").EnumerateArray()).ToList();
        Assert.NotEmpty(flows);
        Assert.All(flows, f => Assert.True(
            f.GetProperty("source").GetProperty("namespace").GetString() == "kube-system" || f.GetProperty("destination").GetProperty("namespace").GetString() == "kube-system",
            $"flow outside kube-system: {f}"));
        Assert.All(changes, m => Assert.InRange(m.Payload.GetProperty("returned").GetInt32(), 1, 5));
        AssertAtMostPerSecond(changes, 5);
        // Each flow is sent once.
        var uuids = flows.Select(f => f.GetProperty("uuid").GetString()).ToList();
        Assert.Equal(uuids.Count, uuids.Distinct().Count());
    }

    [Fact]
    public async Task SubscribeFlows_UserInNoTeam_SeesNoFlows()
    {
        await using var scoped = new DashboardServer(new Dictionary<string, string?> { ["CiliumDash:Auth:Teams:platform"] = "kube-system" });
        using var http = scoped.CreateLoopbackClient();
        // A user in no team sees no flows over REST either, so wait on the dashboard's own counter.
        await Integration.Api.WaitForAsync(http, "/api/v1/flows/summary", j => j.GetProperty("received").GetInt64() > 0, "flows received");
        await using var client = await HubClient.ConnectAsync(scoped.BaseAddress);

        await client.Connection.InvokeAsync("SubscribeFlows", "");

        var snapshot = await client.NextAsync("flows");
        Assert.Equal(0, snapshot.Payload.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Subscribe_ThirtyClients_EachGetsSnapshotAndChange()
    {
        var clients = await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => HubClient.ConnectAsync(_server.Dashboard.BaseAddress)));
        try
        {
            await Task.WhenAll(clients.Select(c => c.Connection.InvokeAsync("Subscribe", "cluster")));

            var received = await Task.WhenAll(clients.Select(c => c.NextAsync("cluster", 2)));

            Assert.All(received, pair => Assert.Equal(["Snapshot", "Changed"], pair.Select(m => m.Kind)));
        }
        finally
        {
            foreach (var c in clients)
            {
                await c.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Unsubscribe_Nodes_NoMoreNodesButOtherTopicsContinue()
    {
        await using var client = await HubClient.ConnectAsync(_server.Dashboard.BaseAddress);
        await client.Connection.InvokeAsync("Subscribe", "nodes");
        await client.NextAsync("nodes");

        await client.Connection.InvokeAsync("Unsubscribe", "nodes");
        await client.Connection.InvokeAsync("Subscribe", "cluster");

        // One nodes push may already be on its way; the same loop sends the cluster snapshot only after it.
        while ((await client.NextAnyAsync()).Topic != "cluster")
        {
        }

        var later = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            later.Add((await client.NextAnyAsync()).Topic);
        }

        Assert.Equal(["cluster", "cluster", "cluster"], later);
    }

    /// <summary>
    /// No second of the server's clock holds more than <paramref name="max"/> of the flows pushes. The pushes' own
    /// sentAt is used, not the receive time: a loaded machine delivers them in bunches the server never sent.
    /// </summary>
    internal static void AssertAtMostPerSecond(IReadOnlyList<HubMessage> messages, int max)
    {
        var sent = messages.Select(m => m.Payload.GetProperty("sentAt").GetDateTimeOffset()).ToList();
        for (var i = 0; i < sent.Count; i++)
        {
            var inWindow = sent.Skip(i).TakeWhile(t => t - sent[i] < TimeSpan.FromSeconds(1)).Count();
            Assert.True(inWindow <= max, $"{inWindow} pushes sent within one second (at most {max} expected)");
        }
    }
}
