using CiliumDash.Contract;
using CiliumDash.Shared;

namespace CiliumDash.ServiceMap;

/// <summary><c>GET /api/v1/service-map</c>: one map view (see <see cref="ServiceMapQuery"/>), team-scoped.</summary>
public static class ServiceMapApi
{
    public static IEndpointRouteBuilder MapServiceMapApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/service-map", (HttpContext http, ServiceMapStore store, AccessScopes scopes, TimeProvider time) =>
        {
            var (query, error) = ServiceMapQuery.TryParse(http.Request.QueryString.Value, time.GetUtcNow());
            if (query is null)
            {
                return Results.Problem(error, statusCode: StatusCodes.Status400BadRequest);
            }

            return TypedResults.Ok(Dto(store.Query(query, scopes.For(http.User))));
        }).Produces<ServiceMapDto>().ProducesProblem(StatusCodes.Status400BadRequest);
        return app;
    }

    /// <summary>The contract body of a view: the one mapping for REST, the hub topic and the page's script.</summary>
    public static ServiceMapDto Dto(ServiceMapGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var q = graph.Query;
        return new ServiceMapDto(
            graph.Nodes.Select(n => new ServiceMapNodeDto(n.Id, n.Kind, n.Namespace, n.Name, n.Labels, n.Flows, n.Dropped, n.Members, n.Filter)).ToList(),
            graph.Edges.Select(e => new ServiceMapEdgeDto(e.Id, e.Source, e.Target, e.Flows, e.Verdicts, e.DropReasons, e.Denied,
                e.Ports.Select(p => new ServiceMapPortDto(p.Protocol, p.Port, p.Flows)).ToList(), new ServiceMapL7Dto(e.Http, e.Dns),
                e.Policies.Select(p => new ServiceMapPolicyDto(p.Name, p.Namespace, p.Kind, p.Direction, p.Verdict, p.Flows)).ToList(),
                e.State, e.FlowsQuery, e.HubbleCommand, e.LastSeen)).ToList(),
            q.GroupBy switch { MapGrouping.Namespace => "namespace", MapGrouping.Label => q.LabelKey, _ => "workload" },
            q.ToQueryString(),
            graph.AutoGrouped,
            graph.CollapsedNamespaces,
            graph.Namespaces,
            new ServiceMapCoverageDto(graph.Coverage.Source, graph.Coverage.Flows, graph.Coverage.Oldest, graph.Coverage.Newest, graph.Coverage.Note));
    }
}
