using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;

namespace CiliumDash.Push;

/// <summary>The hub's live connections that subscribed to something, each with its own mailbox and sender loop.</summary>
public sealed class PushConnections(IHubContext<ClusterHub, IClusterClient> hub, TimeProvider time, ILogger<PushConnections> log) : IAsyncDisposable
{
    /// <summary>At most one message per topic per connection in this time: 4 per second.</summary>
    public static readonly TimeSpan MinInterval = TimeSpan.FromMilliseconds(250);

    private readonly ConcurrentDictionary<string, Lazy<PushConnection>> _connections = new(StringComparer.Ordinal);

    /// <summary>A send waiting longer than this means the client stopped reading (a healthy one takes milliseconds).</summary>
    public static readonly TimeSpan StalledAfter = TimeSpan.FromSeconds(5);

    public int Count => _connections.Count;

    /// <summary>Connections whose current send has waited longer than <see cref="StalledAfter"/>.</summary>
    public int Stalled => All.Count(c => c.SendingSince is { } since && time.GetUtcNow() - since > StalledAfter);

    public IEnumerable<PushConnection> All => _connections.Values.Where(c => c.IsValueCreated).Select(c => c.Value);

    public PushConnection For(string connectionId) =>
        _connections.GetOrAdd(connectionId, id => new Lazy<PushConnection>(() => new PushConnection(id, hub, time, MinInterval, log))).Value;

    public async Task RemoveAsync(string connectionId)
    {
        if (_connections.TryRemove(connectionId, out var connection) && connection.IsValueCreated)
        {
            await connection.Value.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var id in _connections.Keys)
        {
            await RemoveAsync(id);
        }
    }
}
