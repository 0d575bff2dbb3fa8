using System.Text.Json;
using System.Threading.Channels;
using CiliumDash.Contract;
using CiliumDash.Flows;
using Microsoft.AspNetCore.SignalR;

namespace CiliumDash.Push;

/// <summary>
/// One hub connection's mailbox: per topic only the newest state waits (latest value wins), and one sender loop
/// sends at most one message per topic per <see cref="PushConnections.MinInterval"/>. A client that reads slowly
/// holds up only its own loop (SignalR's send awaits the transport's back-pressure), and while it waits newer
/// states replace older ones, so the server keeps at most one payload per topic for it.
/// </summary>
public sealed class PushConnection : IAsyncDisposable
{
    /// <summary>
    /// Flows per push: the newest win and <c>total</c> counts the ones left out. 5 per push at 4 pushes/s keeps a
    /// subscriber under ~20 KB/s whatever the flow rate (docs/benchmarks.md); the REST API is for complete lists.
    /// </summary>
    public const int MaxFlowsPerPush = 5;

    /// <summary>Flows in the first message of a subscription.</summary>
    public const int SnapshotFlows = 100;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Pending?> _topics = new(StringComparer.Ordinal);
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly CancellationTokenSource _stop = new();
    private readonly string _id;
    private readonly IHubContext<ClusterHub, IClusterClient> _hub;
    private readonly TimeProvider _time;
    private readonly TimeSpan _interval;
    private readonly ILogger _log;
    private readonly Task _loop;
    private FlowSubscription? _flows;
    private long _sendingSinceTicks;
    private long _sent;

    public PushConnection(string id, IHubContext<ClusterHub, IClusterClient> hub, TimeProvider time, TimeSpan interval, ILogger log)
    {
        _id = id;
        _hub = hub;
        _time = time;
        _interval = interval;
        _log = log;
        _loop = Task.Run(SendLoopAsync);
    }

    public bool IsSubscribed(string topic)
    {
        lock (_gate)
        {
            return _topics.ContainsKey(topic);
        }
    }

    public bool HasFlows => Volatile.Read(ref _flows) is not null;

    public string Id => _id;

    /// <summary>Messages handed to the transport so far.</summary>
    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>When the send in progress started, or null when none is: a client that stopped reading shows here.</summary>
    public DateTimeOffset? SendingSince =>
        Interlocked.Read(ref _sendingSinceTicks) is var ticks and > 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    /// <summary>Payloads waiting for this connection: at most one per subscribed topic, however long the client stalls.</summary>
    public int Waiting
    {
        get
        {
            lock (_gate)
            {
                return _topics.Values.Count(p => p is not null) + (_flows?.HasWaiting == true ? 1 : 0);
            }
        }
    }

    /// <summary>Subscribes (or re-subscribes) and queues the snapshot, which is sent before any change.</summary>
    public void Subscribe(string topic, JsonElement snapshot)
    {
        lock (_gate)
        {
            _topics[topic] = new Pending(true, snapshot);
        }

        Wake();
    }

    /// <summary>A newer state of a topic; replaces a state not yet sent (a queued snapshot stays a snapshot).</summary>
    public void Offer(string topic, JsonElement payload)
    {
        lock (_gate)
        {
            if (!_topics.TryGetValue(topic, out var pending))
            {
                return;
            }

            _topics[topic] = new Pending(pending?.Snapshot ?? false, payload);
        }

        Wake();
    }

    /// <param name="filter">the subscription's query with the subscriber's access scope applied.</param>
    public void SubscribeFlows(FlowFilter filter, IReadOnlyList<FlowRecord> snapshot, int total)
    {
        var subscription = new FlowSubscription(filter, snapshot, total);
        lock (_gate)
        {
            _flows = subscription;
        }

        Wake();
    }

    /// <summary>New flows (newest first) from the publisher; this connection keeps the ones its (scoped) filter matches.</summary>
    public void OfferFlows(IReadOnlyList<FreshFlow> fresh)
    {
        var subscription = Volatile.Read(ref _flows);
        if (subscription is not null && subscription.Accept(fresh))
        {
            Wake();
        }
    }

    public void Unsubscribe(string topic)
    {
        lock (_gate)
        {
            _topics.Remove(topic);
            if (topic == PushTopics.Flows)
            {
                _flows = null;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _wake.Writer.TryComplete();
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    private void Wake() => _wake.Writer.TryWrite(true);

    private async Task SendLoopAsync()
    {
        var ct = _stop.Token;
        try
        {
            while (await _wake.Reader.WaitToReadAsync(ct))
            {
                _wake.Reader.TryRead(out _);
                foreach (var (topic, message) in TakePending())
                {
                    var client = _hub.Clients.Client(_id);
                    Interlocked.Exchange(ref _sendingSinceTicks, _time.GetUtcNow().UtcTicks);
                    await (message.Snapshot ? client.Snapshot(topic, message.Payload) : client.Changed(topic, message.Payload)).WaitAsync(ct);
                    Interlocked.Exchange(ref _sendingSinceTicks, 0);
                    Interlocked.Increment(ref _sent);
                }

                // The rate bound: whatever arrives meanwhile is merged into the next round.
                await Task.Delay(_interval, _time, ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // the connection closed
        }
        catch (Exception ex)
        {
            _log.LogWarning(ex, "push to hub connection {Connection} stopped", _id);
        }
    }

    private List<(string Topic, Pending Message)> TakePending()
    {
        var due = new List<(string, Pending)>();
        lock (_gate)
        {
            foreach (var (topic, pending) in _topics)
            {
                if (pending is not null)
                {
                    due.Add((topic, pending));
                }
            }

            foreach (var (topic, _) in due)
            {
                _topics[topic] = null;
            }
        }

        if (Volatile.Read(ref _flows)?.Take(_time.GetUtcNow()) is { } flows)
        {
            due.Add((PushTopics.Flows, flows));
        }

        return due;
    }

    private sealed record Pending(bool Snapshot, JsonElement Payload);

    /// <summary>One connection's flows filter and the newest matching flows not yet sent (at most one push's worth).</summary>
    private sealed class FlowSubscription(FlowFilter filter, IReadOnlyList<FlowRecord> snapshot, int snapshotTotal)
    {
        private readonly Lock _gate = new();
        private readonly Queue<FlowRecord> _newestLast = new();

        // The snapshot is read from the store directly, so the publisher's next round may carry some of its flows again.
        private readonly HashSet<string> _inSnapshot = snapshot.Select(f => f.Uuid).Where(u => u.Length > 0).ToHashSet(StringComparer.Ordinal);
        private bool _snapshotDue = true;
        private int _matched;

        public bool Accept(IReadOnlyList<FreshFlow> freshNewestFirst)
        {
            var added = false;
            lock (_gate)
            {
                // Oldest first, so the queue ends with the newest and overflow drops the oldest.
                for (var i = freshNewestFirst.Count - 1; i >= 0; i--)
                {
                    var (flow, message) = freshNewestFirst[i];
                    if (filter.Matches(message) && !_inSnapshot.Contains(flow.Uuid))
                    {
                        _matched++;
                        _newestLast.Enqueue(flow);
                        if (_newestLast.Count > MaxFlowsPerPush)
                        {
                            _newestLast.Dequeue();
                        }

                        added = true;
                    }
                }
            }

            return added;
        }

        public bool HasWaiting
        {
            get
            {
                lock (_gate)
                {
                    return _snapshotDue || _newestLast.Count > 0;
                }
            }
        }

        public Pending? Take(DateTimeOffset now)
        {
            lock (_gate)
            {
                if (_snapshotDue)
                {
                    _snapshotDue = false;
                    return new Pending(true, Payload(snapshotTotal, snapshot, now));
                }

                if (_newestLast.Count == 0)
                {
                    return null;
                }

                var rows = _newestLast.Reverse().ToList();
                var payload = Payload(_matched, rows, now);
                _newestLast.Clear();
                _matched = 0;
                return new Pending(false, payload);
            }
        }

        // The body of /api/v1/flows for the same query, plus sentAt: the server's clock when this push left the
        // mailbox, so clients (and tests) can see the rate bound without the network's bunching.
        private JsonElement Payload(int total, IReadOnlyList<FlowRecord> rows, DateTimeOffset sentAt) =>
            ApiJson.ToElement(FlowTopicAdapter.Payload(filter, total, rows) with { SentAt = sentAt });
    }
}
