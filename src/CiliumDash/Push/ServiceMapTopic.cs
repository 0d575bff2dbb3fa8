using System.Collections.Concurrent;
using System.Text.Json;
using CiliumDash.Contract;
using CiliumDash.ServiceMap;
using CiliumDash.Shared;

namespace CiliumDash.Push;

/// <summary>
/// The <c>serviceMap</c> topic: each subscription is a map view (the query string of <c>/api/v1/service-map</c>) seen
/// with the subscriber's scope; the payload is that endpoint's body. The store changes at most twice a second
/// (<see cref="ServiceMapStore.UpdateInterval"/>), so pushes do too; subscribers with the same view and scope share
/// one computed payload per change.
/// </summary>
public sealed class ServiceMapTopic(ServiceMapStore store, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, View> _views = new(StringComparer.Ordinal);

    public ChangeSignal Signal => store.Changed;

    /// <summary>Registers the connection's view; null and the parser's message when the query is not valid.</summary>
    public JsonElement? Subscribe(string connectionId, string? query, AccessScope scope, out string? error)
    {
        var (parsed, message) = ServiceMapQuery.TryParse(query, time.GetUtcNow());
        error = message;
        if (parsed is null)
        {
            return null;
        }

        var view = new View(parsed, scope, parsed.ToQueryString() + "|" + (scope.Namespaces is { } only ? string.Join(",", only.Order(StringComparer.Ordinal)) : "*"));
        _views[connectionId] = view;
        return Payload(view);
    }

    public void Remove(string connectionId) => _views.TryRemove(connectionId, out _);

    /// <summary>Offers the current map to every subscribed connection, computed once per distinct view.</summary>
    public void Publish(IEnumerable<PushConnection> subscribers)
    {
        foreach (var group in subscribers.Where(c => c.IsSubscribed(PushTopics.ServiceMap) && _views.ContainsKey(c.Id))
                     .GroupBy(c => _views[c.Id].Key, StringComparer.Ordinal))
        {
            var payload = Payload(_views[group.First().Id]);
            foreach (var connection in group)
            {
                connection.Offer(PushTopics.ServiceMap, payload);
            }
        }
    }

    private JsonElement Payload(View view) => ApiJson.ToElement(ServiceMapApi.Dto(store.Query(view.Query, view.Scope)));

    private sealed record View(ServiceMapQuery Query, AccessScope Scope, string Key);
}
