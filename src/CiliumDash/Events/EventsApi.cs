using CiliumDash.Contract;
using CiliumDash.Shared;

namespace CiliumDash.Events;

/// <summary>
/// <c>GET /api/v1/events?since=&amp;until=&amp;namespace=&amp;node=&amp;kind=&amp;limit=</c>: cluster events in time order, as
/// the caller's team scope allows (<see cref="ClusterEvent.IsVisibleTo"/>); <c>kind</c> repeats to OR kinds.
/// </summary>
public static class EventsApi
{
    public const int DefaultLimit = 1000;

    /// <summary>Events in a hub payload: the live edge, not the whole store.</summary>
    public const int TopicLimit = 200;

    public static IEndpointRouteBuilder MapEventsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/events", (HttpContext http, ClusterEventStore store, AccessScopes scopes, TimeProvider time) =>
        {
            if (!TryParse(http.Request.Query, time.GetUtcNow(), store.Capacity, out var query, out var error))
            {
                return Results.Problem(error, statusCode: StatusCodes.Status400BadRequest);
            }

            return Results.Ok(Payload(store, query, scopes.For(http.User)));
        }).Produces<ClusterEventsDto>().ProducesProblem(StatusCodes.Status400BadRequest);
        return app;
    }

    /// <summary>The REST body, and the hub payload for one scope: the same record.</summary>
    public static ClusterEventsDto Payload(ClusterEventStore store, ClusterEventQuery query, AccessScope scope)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(query);
        var limit = query.Limit ?? DefaultLimit;
        var all = store.Query(query with { Limit = null }, scope);
        var events = all.Count > limit ? all.Skip(all.Count - limit).ToList() : all;
        var kept = store.OldestKept;
        var h = store.Health;
        return new ClusterEventsDto(new EventSourceDto(h.State.ToString(), h.Target, h.LastError, h.LastSuccess, h.LastErrorAt), query.Since, query.Until,
            events.Count, all.Count > events.Count, kept, events.Select(ToDto).ToList());
    }

    public static ClusterEventDto ToDto(ClusterEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new ClusterEventDto(e.Sequence, ClusterEvent.WireName(e.Kind), e.Time, e.Node, e.Namespace, e.Name, e.Detail);
    }

    public static bool TryParse(IQueryCollection q, DateTimeOffset now, int maxLimit, out ClusterEventQuery query, out string error)
    {
        ArgumentNullException.ThrowIfNull(q);
        query = new ClusterEventQuery();
        error = "";
        if (!TimeParameter.TryParseOptional(q["since"].FirstOrDefault(), now, out var since, out var sinceError))
        {
            error = $"since: {sinceError}";
            return false;
        }

        if (!TimeParameter.TryParseOptional(q["until"].FirstOrDefault(), now, out var until, out var untilError))
        {
            error = $"until: {untilError}";
            return false;
        }

        HashSet<ClusterEventKind>? kinds = null;
        foreach (var raw in q["kind"])
        {
            if (!ClusterEvent.TryParseKind(raw, out var kind))
            {
                error = $"kind: '{ClusterEvent.Bound(raw, 64)}' is not one of {string.Join(", ", ClusterEvent.WireNames)}";
                return false;
            }

            (kinds ??= []).Add(kind);
        }

        int? limit = null;
        if (q["limit"].FirstOrDefault() is { } rawLimit)
        {
            if (!int.TryParse(rawLimit, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var l) || l < 1 || l > maxLimit)
            {
                error = $"limit: must be 1 to {maxLimit}";
                return false;
            }

            limit = l;
        }

        var ns = q["namespace"].FirstOrDefault();
        var node = q["node"].FirstOrDefault();
        if (ns?.Length > ClusterEvent.MaxName || node?.Length > ClusterEvent.MaxName)
        {
            error = $"namespace and node: at most {ClusterEvent.MaxName} characters";
            return false;
        }

        query = new ClusterEventQuery(since, until, string.IsNullOrEmpty(ns) ? null : ns, string.IsNullOrEmpty(node) ? null : node, kinds, limit);
        return true;
    }
}
