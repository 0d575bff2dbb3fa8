using System.Collections.Concurrent;
using System.Text.Json;
using CiliumDash.Contract;
using CiliumDash.Events;
using CiliumDash.Shared;

namespace CiliumDash.Push;

/// <summary>
/// The hub's <c>events</c> topic: the body of <c>/api/v1/events</c> for the newest <see cref="EventsApi.TopicLimit"/>
/// events, as each subscriber's team scope allows. A payload is computed once per distinct scope and change.
/// </summary>
public sealed class EventsTopicAdapter(ClusterEventStore store)
{
    private static readonly AccessScope NoNamespaces = new(new HashSet<string>());

    private readonly ConcurrentDictionary<string, AccessScope> _scopes = new(StringComparer.Ordinal);

    public ChangeSignal Signal => store.Changed;

    /// <summary>Remembers the subscriber's scope and returns its snapshot.</summary>
    public JsonElement Subscribe(string connectionId, AccessScope scope)
    {
        _scopes[connectionId] = scope;
        return Payload(scope);
    }

    public void Forget(string connectionId) => _scopes.TryRemove(connectionId, out _);

    /// <summary>A subscriber whose scope is unknown sees only what every team sees.</summary>
    public AccessScope ScopeOf(string connectionId) => _scopes.GetValueOrDefault(connectionId) ?? NoNamespaces;

    public JsonElement Payload(AccessScope scope) =>
        ApiJson.ToElement(EventsApi.Payload(store, new ClusterEventQuery(Limit: EventsApi.TopicLimit), scope));

    /// <summary>Scopes that see the same events share one payload.</summary>
    public static string KeyOf(AccessScope scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        return scope.Namespaces is null ? "*" : string.Join('\n', scope.Namespaces.Order(StringComparer.Ordinal));
    }
}
