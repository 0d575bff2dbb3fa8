using System.Text.Json;
using CiliumDash.Testing;
using CiliumDash.Tests.Integration;
using CiliumDash.Tests.Protocols;
using CiliumDash.Tests.Push;
using Microsoft.AspNetCore.SignalR.Client;

namespace CiliumDash.Tests.Contract;

/// <summary>
/// Each hub topic's payload is the REST body of the same view (design.md: one read model per view), proven with a
/// real SignalR client and HTTP client against the app on its simulated cluster, the JSON compared structurally.
/// The cluster keeps changing (polls, probes), so each test takes a hub message and reads the REST body right after
/// it; a difference that is only a newer state goes away with the next message, a difference of shape never does.
/// </summary>
public sealed class HubRestParityTests : IClassFixture<HubRestParityTests.Server>
{
    private readonly Server _server;

    public HubRestParityTests(Server server) => _server = server;

    public sealed class Server : IAsyncLifetime
    {
        public DashboardServer Dashboard { get; } = new();

        public async Task InitializeAsync()
        {
            using var client = Dashboard.CreateLoopbackClient();
            await Api.WaitForAsync(client, "/api/v1/connectivity", j => j.GetProperty("pairs").GetArrayLength() >= 2, "probes between both nodes");
            await Api.WaitForAsync(client, "/api/v1/bpf-maps", j => j.GetArrayLength() == 2, "BPF maps of both nodes");
        }

        public async Task DisposeAsync() => await Dashboard.DisposeAsync();
    }

    [Theory]
    [InlineData("cluster", "/api/v1/cluster")]
    [InlineData("nodes", "/api/v1/nodes")]
    [InlineData("controllers", "/api/v1/controllers")]
    [InlineData("bpfMaps", "/api/v1/bpf-maps")]
    [InlineData("connectivity", "/api/v1/connectivity")]
    public async Task Topic_PayloadEqualsRestBody(string topic, string path)
    {
        await using var hub = await HubClient.ConnectAsync(_server.Dashboard.BaseAddress);
        using var http = _server.Dashboard.CreateLoopbackClient();
        await hub.Connection.InvokeAsync("Subscribe", topic);

        string? last = null;
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var message = await hub.NextAsync(topic);
            var rest = await Api.GetAsync(http, path);
            last = JsonStructure.Difference(rest, message.Payload);
            if (last is null)
            {
                return;
            }
        }

        Assert.Fail($"the {topic} payload never equalled GET {path}; last difference: {last}");
    }

    [Fact]
    public async Task ControllersTopic_FailingControllers_SameRowsInSameOrderAsRest()
    {
        var faults = _server.Dashboard.Simulator.Faults;
        faults.FailingControllerNodes = new HashSet<string> { "fedora", "knode1" };
        try
        {
            using var http = _server.Dashboard.CreateLoopbackClient();
            await Api.WaitForAsync(http, "/api/v1/controllers", j => j.EnumerateArray().Select(c => c.GetProperty("node").GetString()).Distinct().Count() == 2,
                "failing controllers on both nodes");
            await Topic_PayloadEqualsRestBody("controllers", "/api/v1/controllers");
            await Topic_PayloadEqualsRestBody("cluster", "/api/v1/cluster");
        }
        finally
        {
            faults.FailingControllerNodes = new HashSet<string>();
        }
    }
}

/// <summary>Flows: the hub's snapshot of a subscription is the body of <c>/api/v1/flows</c> with the same query.</summary>
public sealed class HubRestFlowParityTests : IAsyncLifetime, IAsyncDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "ciliumdash-parity-" + Guid.NewGuid().ToString("N"));
    private DashboardServer _server = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        // Replayed captures: once they are all in, the window no longer changes, so both reads see the same flows.
        Directory.CreateDirectory(Path.Combine(_dir, "nodes", "fedora"));
        var lines = FlowFixtures.Files().SelectMany(f => File.ReadAllLines(FlowFixtures.PathOf(f))).Where(l => l.Trim().Length > 0).ToArray();
        await File.WriteAllLinesAsync(Path.Combine(_dir, "flows.jsonl"), lines);
        _server = new DashboardServer(new Dictionary<string, string?> { ["CiliumDash:Simulator:Scenario"] = _dir });
        _client = _server.CreateLoopbackClient();
        await Api.WaitForAsync(_client, "/api/v1/flows", j => j.GetProperty("total").GetInt32() == lines.Length, "every replayed flow in the window");
    }

    // xunit also disposes the instance itself (IAsyncDisposable): the teardown is there, where ownership is visible.
    Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Theory]
    [InlineData("limit=100")]
    [InlineData("verdict=DROPPED&limit=100")]
    [InlineData("protocol=http&limit=3")]
    public async Task FlowsSnapshot_EqualsRestBody(string query)
    {
        await using var hub = await HubClient.ConnectAsync(_server.BaseAddress);

        await hub.Connection.InvokeAsync("SubscribeFlows", query);
        var snapshot = await hub.NextAsync("flows");
        var rest = await Api.GetAsync(_client, "/api/v1/flows?" + query);

        Assert.Equal("Snapshot", snapshot.Kind);
        Assert.True(snapshot.Payload.GetProperty("flows").GetArrayLength() > 0, $"no flows for {query}");
        // sentAt is the push's own clock (the rate bound); everything else is the REST body.
        Api.AssertUtcTime(snapshot.Payload.GetProperty("sentAt"));
        Assert.False(rest.TryGetProperty("sentAt", out _), "a REST body has no sentAt");
        Assert.Null(JsonStructure.Difference(rest, JsonStructure.Without(snapshot.Payload, "sentAt")));
    }
}
