using System.Net.WebSockets;
using System.Text;
using CiliumDash.Testing;
using Microsoft.AspNetCore.SignalR.Client;

namespace CiliumDash.Tests.Push;

/// <summary>A client that stops reading must cost the others nothing and the server only a bounded amount of memory.</summary>
public sealed class SlowClientTests
{
    private const char RecordSeparator = '\u001e';

    [Fact]
    public async Task NeverReadingClient_HighFlowRate_OthersKeepReceivingAndMemoryStaysBounded()
    {
        await using var dashboard = new DashboardServer(new Dictionary<string, string?> { ["CiliumDash:Simulator:FlowsPerSecond"] = "3000" });
        await using var reader = await HubClient.ConnectAsync(dashboard.BaseAddress);
        await reader.Connection.InvokeAsync("SubscribeFlows", "");
        await reader.NextAsync("flows", 2);

        // A raw WebSocket that does the SignalR handshake and subscribes to everything, then never reads again.
        using var stalled = new ClientWebSocket();
        var ws = new UriBuilder(dashboard.BaseAddress) { Scheme = "ws", Path = "/hubs/cluster" }.Uri;
        await stalled.ConnectAsync(ws, CancellationToken.None);
        await SendAsync(stalled, """{"protocol":"json","version":1}""");
        await SendAsync(stalled, """{"type":1,"target":"SubscribeFlows","arguments":[""]}""");
        foreach (var topic in new[] { "cluster", "nodes", "controllers", "bpfMaps", "connectivity" })
        {
            await SendAsync(stalled, $$"""{"type":1,"target":"Subscribe","arguments":["{{topic}}"]}""");
        }

        var before = GC.GetTotalMemory(forceFullCollection: true);

        // 40 pushes is about ten seconds of flows: time for the stalled socket's buffers to fill up.
        var received = await reader.NextAsync("flows", 40);

        var after = GC.GetTotalMemory(forceFullCollection: true);
        Assert.All(received, m => Assert.Equal("Changed", m.Kind));
        ClusterHubTests.AssertAtMostPerSecond(received, 5);
        Assert.True(after - before < 64L * 1024 * 1024, $"server and test heap grew by {(after - before) / 1024 / 1024} MB with a stalled hub client");
        Assert.Equal(WebSocketState.Open, stalled.State);
    }

    private static Task SendAsync(ClientWebSocket socket, string json) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(json + RecordSeparator), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
}
