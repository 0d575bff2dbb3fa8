using CiliumDash.Contract;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CiliumDash.Cluster;

/// <summary>
/// <c>/api/v1/cluster</c>, <c>/api/v1/nodes</c>, <c>/api/v1/nodes/{name}</c>, <c>/api/v1/controllers</c> and
/// <c>/api/v1/bpf-maps</c>: the read model's records as they are (design.md's contract: add fields, never rename).
/// </summary>
public static class ClusterApi
{
    public static IEndpointRouteBuilder MapClusterApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1");
        api.MapGet("/cluster", (ClusterReadModel model) => TypedResults.Ok(model.ClusterOverview()));
        api.MapGet("/nodes", async Task<Results<Ok<IReadOnlyList<NodeRowDto>>, ProblemHttpResult>> (
            ClusterReadModel model, string? order, string? at, HttpContext http, TimeProvider time, IServiceProvider services) =>
        {
            if (at is not null)
            {
                // ?at= answers from history: each node's agent state as last recorded before that moment.
                var history = services.GetService<IHistoryQueries>();
                if (HistoryAt.Resolve(at, time, history, out var moment) is { } problem)
                {
                    return problem;
                }

                return HistoryAt.Answer(http.Response, await history!.NodesAtAsync(moment, http.RequestAborted));
            }

            return order switch
            {
                null or "" or "name" => TypedResults.Ok(model.NodeRows()),
                "problems" => TypedResults.Ok(model.NodeRows(NodeOrder.ProblemsFirst)),
                _ => TypedResults.Problem($"order '{order}' is not one of name, problems", statusCode: StatusCodes.Status400BadRequest),
            };
        });
        api.MapGet("/nodes/{name}", async Task<Results<Ok<NodeDetailDto>, ProblemHttpResult>> (
            string name, string? at, ClusterReadModel model, HttpContext http, TimeProvider time, IServiceProvider services) =>
        {
            if (at is not null)
            {
                // ?at= answers from history: the recorded part of the node's detail as it stood at that moment.
                var history = services.GetService<IHistoryQueries>();
                if (HistoryAt.Resolve(at, time, history, out var moment) is { } problem)
                {
                    return problem;
                }

                var answer = await history!.NodeAtAsync(name, moment, http.RequestAborted);
                if (answer.Value is { Count: 0 })
                {
                    return TypedResults.Problem($"node '{name}' has no recorded state at {moment:yyyy-MM-dd'T'HH:mm:ss'Z'}", statusCode: StatusCodes.Status404NotFound);
                }

                return HistoryAt.Answer(http.Response, new HistoryAnswer<NodeDetailDto>(answer.Value?[0], answer.Coverage, answer.Error));
            }

            return model.NodeDetail(name) is { } node
                ? TypedResults.Ok(node)
                : TypedResults.Problem($"node '{name}' is not known to the dashboard", statusCode: StatusCodes.Status404NotFound);
        });
        api.MapGet("/controllers", (ClusterReadModel model) => TypedResults.Ok(model.FailingControllers()));
        api.MapGet("/bpf-maps", (ClusterReadModel model) => TypedResults.Ok(model.BpfMaps()));
        return app;
    }
}
