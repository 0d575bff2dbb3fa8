using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR.Client;

namespace CiliumDash.Tests.Push;

/// <summary>One received hub message, with when it arrived (for rate checks).</summary>
internal sealed record HubMessage(string Kind, string Topic, JsonElement Payload, long ReceivedAt);

/// <summary>A .NET SignalR client of /hubs/cluster that queues every Snapshot and Changed it receives.</summary>
internal sealed class HubClient : IAsyncDisposable
{
    private readonly Channel<HubMessage> _messages = Channel.CreateUnbounded<HubMessage>();

    private HubClient(HubConnection connection)
    {
        Connection = connection;
        connection.On<string, JsonElement>("Snapshot", (topic, payload) => Queue("Snapshot", topic, payload));
        connection.On<string, JsonElement>("Changed", (topic, payload) => Queue("Changed", topic, payload));
    }

    public HubConnection Connection { get; }

    public static async Task<HubClient> ConnectAsync(Uri server, IReadOnlyDictionary<string, string>? headers = null)
    {
        var connection = new HubConnectionBuilder().WithUrl(new Uri(server, "hubs/cluster"), o =>
        {
            foreach (var (name, value) in headers ?? new Dictionary<string, string>())
            {
                o.Headers[name] = value;
            }
        }).Build();
        var client = new HubClient(connection);
        await connection.StartAsync();
        return client;
    }

    /// <summary>The next message of <paramref name="topic"/> (others are dropped), or a timeout naming what was awaited.</summary>
    public async Task<HubMessage> NextAsync(string topic, TimeSpan? timeout = null) => await NextAsync(m => m.Topic == topic, $"'{topic}' message", timeout);

    public async Task<HubMessage> NextAnyAsync(TimeSpan? timeout = null) => await NextAsync(_ => true, "message", timeout);

    private async Task<HubMessage> NextAsync(Func<HubMessage, bool> wanted, string what, TimeSpan? timeout)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(20));
        try
        {
            while (true)
            {
                var message = await _messages.Reader.ReadAsync(cts.Token);
                if (wanted(message))
                {
                    return message;
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no {what} from the hub within {(timeout ?? TimeSpan.FromSeconds(20)).TotalSeconds:0}s");
        }
    }

    public async Task<List<HubMessage>> NextAsync(string topic, int count, TimeSpan? timeout = null)
    {
        var list = new List<HubMessage>();
        for (var i = 0; i < count; i++)
        {
            list.Add(await NextAsync(topic, timeout));
        }

        return list;
    }

    public async ValueTask DisposeAsync() => await Connection.DisposeAsync();

    private void Queue(string kind, string topic, JsonElement payload) =>
        _messages.Writer.TryWrite(new HubMessage(kind, topic, payload.Clone(), Stopwatch.GetTimestamp()));
}
