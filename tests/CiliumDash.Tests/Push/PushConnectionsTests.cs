using System.Text.Json;
using CiliumDash.Push;
using CiliumDash.Testing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CiliumDash.Tests.Push;

/// <summary>
/// The mailbox and the stalled count against a client whose sends never complete, with a fake clock: what the
/// socket-level SlowClientTests cannot pin down exactly, because the kernel decides when a socket is full.
/// </summary>
public sealed class PushConnectionsTests
{
    private const string StuckId = "stuck";

    [Fact]
    public async Task NeverCompletingSend_NewerStates_MailboxHoldsOnePerTopicAndOthersKeepSending()
    {
        var time = new FakeTimeProvider();
        var hub = new StuckHub(StuckId);
        await using var connections = new PushConnections(hub, time, NullLogger<PushConnections>.Instance);
        var stuck = connections.For(StuckId);
        var healthy = connections.For("healthy");

        stuck.Subscribe("cluster", Payload(0));
        await Eventually.True(() => stuck.SendingSince is not null, "the stuck send to start");
        healthy.Subscribe("cluster", Payload(0));
        for (var i = 1; i <= 50; i++)
        {
            stuck.Subscribe("nodes", Payload(i));
            stuck.Offer("cluster", Payload(i));
            stuck.Offer("nodes", Payload(i));
            healthy.Offer("cluster", Payload(i));
        }

        // The healthy connection's sender goes on round after round (one per 250 ms of the fake clock).
        await Eventually.True(() =>
        {
            time.Advance(PushConnections.MinInterval);
            return hub.Received("healthy").Contains(50);
        }, "the healthy connection to get the newest state");

        Assert.Equal(0, stuck.Sent);
        Assert.Equal(2, stuck.Waiting);
        Assert.Equal([0], hub.Received(StuckId));
    }

    [Fact]
    public async Task NeverCompletingSend_OverFiveSeconds_CountedAsStalled()
    {
        var time = new FakeTimeProvider();
        await using var connections = new PushConnections(new StuckHub(StuckId), time, NullLogger<PushConnections>.Instance);
        var stuck = connections.For(StuckId);

        stuck.Subscribe("cluster", Payload(0));
        await Eventually.True(() => stuck.SendingSince is not null, "the stuck send to start");
        time.Advance(PushConnections.StalledAfter);
        Assert.Equal(0, connections.Stalled);

        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, connections.Stalled);
        Assert.Equal(time.GetUtcNow() - PushConnections.StalledAfter - TimeSpan.FromMilliseconds(1), stuck.SendingSince);
    }

    private static JsonElement Payload(int n) => JsonSerializer.SerializeToElement(n);

    /// <summary>A hub whose sends to one connection never complete (its client stopped reading); others complete at once.</summary>
    private sealed class StuckHub(string stuckId) : IHubContext<ClusterHub, IClusterClient>
    {
        private readonly Lock _gate = new();
        private readonly Dictionary<string, List<int>> _received = new(StringComparer.Ordinal);

        public IHubClients<IClusterClient> Clients => new ByConnection(this);

        public IGroupManager Groups => throw new NotSupportedException();

        public int[] Received(string id)
        {
            lock (_gate)
            {
                return _received.TryGetValue(id, out var list) ? [.. list] : [];
            }
        }

        private Task Send(string id, JsonElement payload)
        {
            lock (_gate)
            {
                if (!_received.TryGetValue(id, out var list))
                {
                    _received[id] = list = [];
                }

                list.Add(payload.GetInt32());
            }

            // The stuck client's send is handed over (and recorded above) but never taken off the transport.
            return id == stuckId ? Task.Delay(Timeout.Infinite) : Task.CompletedTask;
        }

        /// <summary>PushConnection addresses one connection at a time; nothing else is used.</summary>
        private sealed class ByConnection(StuckHub hub) : IHubClients<IClusterClient>
        {
            public IClusterClient All => throw new NotSupportedException();

            public IClusterClient Client(string connectionId) => new Client(hub, connectionId);

            public IClusterClient AllExcept(IReadOnlyList<string> excludedConnectionIds) => throw new NotSupportedException();

            public IClusterClient Clients(IReadOnlyList<string> connectionIds) => throw new NotSupportedException();

            public IClusterClient Group(string groupName) => throw new NotSupportedException();

            public IClusterClient GroupExcept(string groupName, IReadOnlyList<string> excludedConnectionIds) => throw new NotSupportedException();

            public IClusterClient Groups(IReadOnlyList<string> groupNames) => throw new NotSupportedException();

            public IClusterClient User(string userId) => throw new NotSupportedException();

            public IClusterClient Users(IReadOnlyList<string> userIds) => throw new NotSupportedException();
        }

        private sealed class Client(StuckHub hub, string id) : IClusterClient
        {
            public Task Snapshot(string topic, JsonElement payload) => hub.Send(id, payload);

            public Task Changed(string topic, JsonElement payload) => hub.Send(id, payload);
        }
    }
}
