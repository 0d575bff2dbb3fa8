using CiliumDash.Contract;
using CiliumDash.Shared;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CiliumDash.History;

/// <summary>
/// <c>/api/v1/history</c> (the recorder's state), <c>/api/v1/history/nodes/{name}</c> (state changes and controller
/// episodes), <c>/api/v1/history/flows</c> (stored drops and errors) and <c>/api/v1/history/flows/summary</c> (the
/// 10 s aggregates summed), each range in the hubble CLI's <c>since</c>/<c>until</c> formats and with its coverage.
/// </summary>
public static class HistoryApi
{
    public static IEndpointRouteBuilder MapHistory(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/history");
        api.MapGet("", async (HistoryQueries queries, TimeProvider time, HttpContext http) =>
            TypedResults.Ok(await queries.StatusAsync(time.GetUtcNow(), http.RequestAborted)));
        api.MapGet("/nodes/{name}", async Task<Results<Ok<NodeHistoryDto>, ProblemHttpResult>> (string name, string? since, string? until, HistoryQueries queries, TimeProvider time, HttpContext http) =>
            Range(since, until, time, TimeSpan.FromDays(7), out var from, out var to) is { } problem
                ? problem
                : TypedResults.Ok(await queries.NodeAsync(name, from, to, http.RequestAborted)));
        api.MapGet("/flows", async Task<Results<Ok<StoredFlowsDto>, ProblemHttpResult>> (string? since, string? until, int? limit, HistoryQueries queries, AccessScopes scopes, TimeProvider time, HttpContext http) =>
            Range(since, until, time, TimeSpan.FromHours(1), out var from, out var to) is { } problem
                ? problem
                : limit is < 1 or > 100_000
                    ? TypedResults.Problem("limit must be 1 to 100000", statusCode: StatusCodes.Status400BadRequest)
                    : TypedResults.Ok(await queries.FlowsAsync(from, to, scopes.For(http.User), limit ?? 1000, http.RequestAborted)));
        api.MapGet("/flows/summary", async Task<Results<Ok<FlowHistorySummaryDto>, ProblemHttpResult>> (string? since, string? until, int? top, HistoryQueries queries, AccessScopes scopes, TimeProvider time, HttpContext http) =>
            Range(since, until, time, TimeSpan.FromHours(1), out var from, out var to) is { } problem
                ? problem
                : TypedResults.Ok(await queries.FlowSummaryAsync(from, to, scopes.For(http.User), Math.Clamp(top ?? 20, 1, 1000), http.RequestAborted)));
        return app;
    }

    /// <summary><c>since</c> defaults to <paramref name="back"/> ago, <c>until</c> to now; since must come first.</summary>
    private static ProblemHttpResult? Range(string? since, string? until, TimeProvider time, TimeSpan back, out DateTimeOffset from, out DateTimeOffset to)
    {
        var now = time.GetUtcNow();
        from = now - back;
        to = now;
        string? error = null;
        if (since is not null && !TimeParameter.TryParse(since, now, out from, out error))
        {
            return TypedResults.Problem($"since: {error}", statusCode: StatusCodes.Status400BadRequest);
        }

        if (until is not null && !TimeParameter.TryParse(until, now, out to, out error))
        {
            return TypedResults.Problem($"until: {error}", statusCode: StatusCodes.Status400BadRequest);
        }

        return from > to ? TypedResults.Problem("since is after until", statusCode: StatusCodes.Status400BadRequest) : null;
    }
}
