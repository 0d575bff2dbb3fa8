using CiliumDash.Flows;
using Microsoft.AspNetCore.SignalR;
using CiliumDash.Shared;

namespace CiliumDash.Push;

/// <summary>
/// <c>/hubs/cluster</c>: live cluster state for browsers' own scripts, embeds and tools (Blazor pages read the stores
/// in-process instead). Subscribe to a topic, get <c>Snapshot</c> then <c>Changed</c>, a few per second at most.
/// Flows are filtered by the caller's access scope.
/// </summary>
public sealed class ClusterHub(PushConnections connections, TopicPayloads payloads, FlowStore flows, AccessScopes scopes, EventsTopicAdapter events, ServiceMapTopic serviceMap) : Hub<IClusterClient>
{
    public void Subscribe(string topic)
    {
        if (topic == PushTopics.Flows)
        {
            SubscribeFlows(null);
            return;
        }

        if (topic == PushTopics.Events)
        {
            connections.For(Context.ConnectionId).Subscribe(topic, events.Subscribe(Context.ConnectionId, scopes.For(Context.User)));
            return;
        }

        if (topic == PushTopics.ServiceMap)
        {
            SubscribeServiceMap(null);
            return;
        }

        if (!PushTopics.IsShared(topic))
        {
            throw new HubException(PushTopics.UnknownTopic(topic));
        }

        connections.For(Context.ConnectionId).Subscribe(topic, payloads.For(topic));
    }

    /// <summary>Flows matching <paramref name="query"/>, the query string of <c>/api/v1/flows</c> (e.g. "namespace=app&amp;verdict=DROPPED").</summary>
    public void SubscribeFlows(string? query)
    {
        if (query?.Length > 4096)
        {
            throw new HubException("flow query is longer than 4096 characters");
        }

        if (!FlowTopicAdapter.TryParse(query, out var filter, out var error))
        {
            throw new HubException(error);
        }

        // The scope becomes part of the subscription's query, so the snapshot and every later push apply it alike.
        var scope = scopes.For(Context.User);
        var scoped = new FlowFilter(filter.Query.Restrict(scope));
        var snapshot = FlowTopicAdapter.Latest(flows, scoped, AccessScope.All, Math.Min(filter.Query.Limit ?? PushConnection.SnapshotFlows, PushConnection.SnapshotFlows), out var total);
        connections.For(Context.ConnectionId).SubscribeFlows(scoped, snapshot, total);
    }

    /// <summary>The service map view of <paramref name="query"/>, the query string of <c>/api/v1/service-map</c> (e.g. "namespace=shop&amp;group-by=app").</summary>
    public void SubscribeServiceMap(string? query)
    {
        if (serviceMap.Subscribe(Context.ConnectionId, query, scopes.For(Context.User), out var error) is not { } snapshot)
        {
            throw new HubException(error);
        }

        connections.For(Context.ConnectionId).Subscribe(PushTopics.ServiceMap, snapshot);
    }

    public void Unsubscribe(string topic) => connections.For(Context.ConnectionId).Unsubscribe(topic);

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        events.Forget(Context.ConnectionId);
        serviceMap.Remove(Context.ConnectionId);
        await connections.RemoveAsync(Context.ConnectionId);
        await base.OnDisconnectedAsync(exception);
    }
}
