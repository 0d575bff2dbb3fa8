using System.Threading.Channels;
using CiliumDash.Cluster;
using CiliumDash.Flows;
using CiliumDash.Agents;
using CiliumDash.Findings;

namespace CiliumDash.Push;

/// <summary>
/// Turns the stores' data-free change signals into hub pushes: per changed topic that someone subscribed to, the
/// payload is computed once and offered to every subscriber's mailbox; new flows are read once and offered to
/// every flows subscription, which filters them for its own query and scope.
/// </summary>
public sealed class ClusterPublisher(
    ClusterStore cluster,
    FlowStore flows,
    ConnectivityTopicAdapter connectivity,
    TopicPayloads payloads,
    FindingsEngine findings,
    EventsTopicAdapter events,
    PushConnections connections,
    ServiceMapTopic serviceMap,
    ILogger<ClusterPublisher> log) : BackgroundService
{
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private int _clusterDirty;
    private int _flowsDirty;
    private int _eventsDirty;
    private int _mapDirty;
    private long _flowCursor;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _flowCursor = flows.Received;
        var signals = new List<IDisposable>
        {
            cluster.Changed.Subscribe(() => Mark(ref _clusterDirty)),
            flows.Changed.Subscribe(() => Mark(ref _flowsDirty)),
            findings.Changed.Subscribe(() => Mark(ref _clusterDirty)),
            events.Signal.Subscribe(() => Mark(ref _eventsDirty)),
            serviceMap.Signal.Subscribe(() => Mark(ref _mapDirty)),
        };
        signals.AddRange(connectivity.Signals.Where(s => s != cluster.Changed).Select(s => s.Subscribe(() => Mark(ref _clusterDirty))));
        try
        {
            // One worker: a slow round merges the signals that fire meanwhile instead of running rounds in parallel.
            while (await _wake.Reader.WaitToReadAsync(stoppingToken))
            {
                _wake.Reader.TryRead(out _);
                try
                {
                    Publish();
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    log.LogWarning(ex, "hub publish round failed");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // shutting down
        }
        finally
        {
            signals.ForEach(s => s.Dispose());
        }
    }

    private void Mark(ref int flag)
    {
        Volatile.Write(ref flag, 1);
        _wake.Writer.TryWrite(true);
    }

    private void Publish()
    {
        var subscribers = connections.All.ToList();
        if (Interlocked.Exchange(ref _clusterDirty, 0) == 1)
        {
            foreach (var topic in PushTopics.Shared)
            {
                var targets = subscribers.Where(c => c.IsSubscribed(topic)).ToList();
                if (targets.Count > 0)
                {
                    var payload = payloads.For(topic);
                    targets.ForEach(c => c.Offer(topic, payload));
                }
            }
        }

        if (Interlocked.Exchange(ref _eventsDirty, 0) == 1)
        {
            foreach (var group in subscribers.Where(c => c.IsSubscribed(PushTopics.Events)).GroupBy(c => EventsTopicAdapter.KeyOf(events.ScopeOf(c.Id))))
            {
                var payload = events.Payload(events.ScopeOf(group.First().Id));
                foreach (var c in group)
                {
                    c.Offer(PushTopics.Events, payload);
                }
            }
        }

        if (Interlocked.Exchange(ref _mapDirty, 0) == 1)
        {
            serviceMap.Publish(subscribers);
        }

        if (Interlocked.Exchange(ref _flowsDirty, 0) == 1)
        {
            var flowTargets = subscribers.Where(c => c.HasFlows).ToList();
            if (flowTargets.Count == 0)
            {
                _flowCursor = flows.Received;
                return;
            }

            var fresh = FlowTopicAdapter.ReadNew(flows, ref _flowCursor);
            if (fresh.Count > 0)
            {
                flowTargets.ForEach(c => c.OfferFlows(fresh));
            }
        }
    }
}
