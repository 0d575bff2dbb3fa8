using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using CiliumDash.Push;
using CiliumDash.Testing;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace CiliumDash.Tests.Push;

/// <summary>A client that stops reading must cost the others nothing and the server only a bounded amount of memory.</summary>
public sealed class SlowClientTests
{
    private const char RecordSeparator = '\u001e';
    private static readonly string[] SharedTopics = ["cluster", "nodes", "controllers", "bpfMaps", "connectivity"];

    // The heap is not measured here: tests share this process, so its growth is other tests' noise. What bounds the
    // server's memory is structural and is asserted instead: the stalled connection's sender waits on the transport
    // (so nothing queues behind it), its mailbox holds at most one payload per topic, and SignalR closes it once a send
    // has waited TransportSendTimeout (10 s). docs/benchmarks.md §6 measures the process with a stalled client;
    // PushConnectionsTests pins the mailbox and the stalled count with a fake clock.
    [Fact]
    public async Task NeverReadingClient_HighFlowRate_OthersKeepReceivingAndServerDropsIt()
    {
        await using var dashboard = new DashboardServer(new Dictionary<string, string?>
        {
            ["CiliumDash:Simulator:FlowsPerSecond"] = "3000",
            // Enough nodes, polled every second, that the node and connectivity topics carry tens of KB a second.
            ["CiliumDash:Simulator:Nodes"] = "64",
            ["CiliumDash:Kubernetes:PollInterval"] = "00:00:01",
        }, LockServerSendBuffer);
        await using var reader = await HubClient.ConnectAsync(dashboard.BaseAddress);
        await reader.Connection.InvokeAsync("SubscribeFlows", "");
        await reader.NextAsync("flows", 2);

        using var stalled = await ConnectWithTinyReceiveWindowAsync(dashboard.BaseAddress);
        await SendAsync(stalled, """{"protocol":"json","version":1}""");
        await SendAsync(stalled, """{"type":1,"target":"SubscribeFlows","arguments":[""]}""");
        foreach (var topic in SharedTopics)
        {
            await SendAsync(stalled, $$"""{"type":1,"target":"Subscribe","arguments":["{{topic}}"]}""");
        }

        var connections = dashboard.Services.GetRequiredService<PushConnections>();
        var stuck = await Eventually.Value(
            () => Task.FromResult(connections.All.FirstOrDefault(c => c.Id != reader.Connection.ConnectionId && c.SendingSince is { } since && DateTimeOffset.UtcNow - since > TimeSpan.FromSeconds(1))),
            "the stalled client's sender to wait on a full transport", TimeSpan.FromSeconds(60));

        // While it is stuck, the reader still gets its pushes at the usual rate, and the stalled mailbox stays bounded.
        var received = await reader.NextAsync("flows", 12);
        Assert.All(received, m => Assert.Equal("Changed", m.Kind));
        ClusterHubTests.AssertAtMostPerSecond(received, 5);
        Assert.InRange(stuck.Waiting, 0, SharedTopics.Length + 1);

        // Then SignalR gives up on it, and everything it held goes with it; the reader carries on.
        await Eventually.True(() => connections.All.All(c => c.Id != stuck.Id), "the server to close the stalled connection", TimeSpan.FromSeconds(60));
        using var http = dashboard.CreateLoopbackClient();
        var metrics = PrometheusText.Parse(await http.GetStringAsync("/metrics"));
        Assert.Equal(1, metrics.Value("ciliumdash_connected_clients", ("kind", "hub")));
        Assert.Equal(0, metrics.Value("ciliumdash_hub_stalled_clients"));
        Assert.Equal("Changed", (await reader.NextAsync("flows")).Kind);
    }

    /// <summary>
    /// Accepted sockets inherit the listener's send buffer. Set explicitly, Linux stops growing it: otherwise the first
    /// ACK after the client's window opens a crack lets the kernel take megabytes more (loopback's 64 KB segments),
    /// and the "stalled" sender resumes for a while. CI saw exactly that; a fixed buffer makes the stall certain.
    /// </summary>
    private static void LockServerSendBuffer(IServiceCollection services) =>
        services.Configure<SocketTransportOptions>(o => o.CreateBoundListenSocket = endpoint =>
        {
            var socket = SocketTransportOptions.CreateDefaultBoundListenSocket(endpoint);
            socket.SendBufferSize = 4096;
            return socket;
        });

    /// <summary>
    /// A WebSocket over a socket whose receive buffer is set before connecting, so the TCP window stays tiny and the
    /// server's buffers fill in seconds rather than after megabytes (ClientWebSocket cannot set socket options).
    /// </summary>
    private static async Task<WebSocket> ConnectWithTinyReceiveWindowAsync(Uri server)
    {
        TcpClient? tcp = new TcpClient(AddressFamily.InterNetwork) { ReceiveBufferSize = 2048 };
        try
        {
            await tcp.ConnectAsync(server.Host, server.Port);
            var stream = tcp.GetStream();
            var key = Convert.ToBase64String(Guid.NewGuid().ToByteArray());
            var request = $"GET /hubs/cluster HTTP/1.1\r\nHost: {server.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
                          $"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(request));

            // Read the response head byte by byte so no WebSocket frame after it is consumed here.
            var head = new StringBuilder();
            var one = new byte[1];
            while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
            {
                Assert.Equal(1, await stream.ReadAsync(one));
                head.Append((char)one[0]);
            }

            Assert.StartsWith("HTTP/1.1 101", head.ToString(), StringComparison.Ordinal);
            var socket = WebSocket.CreateFromStream(stream, new WebSocketCreationOptions { IsServer = false });

            // The WebSocket owns the stream and the stream owns the socket: closing the WebSocket closes the connection.
            tcp = null;
            return socket;
        }
        finally
        {
            tcp?.Dispose();
        }
    }

    private static Task SendAsync(WebSocket socket, string json) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(json + RecordSeparator), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
}
