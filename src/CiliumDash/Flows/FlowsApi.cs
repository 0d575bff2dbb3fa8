namespace CiliumDash.Flows;

/// <summary><c>/api/v1/flows</c>: the live window, newest first.</summary>
public static class FlowsApi
{
    public const int DefaultLimit = 1000;

    public static IEndpointRouteBuilder MapFlowsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/flows", (FlowStore store, int? limit) =>
        {
            if (limit is < 1)
            {
                return Results.Problem("limit must be a positive number of rows", statusCode: 400);
            }

            var rows = store.Query(null, Math.Min(limit ?? DefaultLimit, store.Capacity), out var total);
            return Results.Ok(new { total, returned = rows.Count, flows = rows.Select(Row) });
        });
        return app;
    }

    private static object Row(FlowRecord f) => new
    {
        f.Time,
        f.Uuid,
        f.Node,
        f.Verdict,
        f.DropReason,
        source = Endpoint(f.Source),
        destination = Endpoint(f.Destination),
        l4 = new { protocol = f.Protocol, sourcePort = f.SourcePort, destinationPort = f.DestinationPort },
        f.Type,
        f.TrafficDirection,
        f.IsReply,
        f.Summary,
    };

    private static object Endpoint(FlowEndpoint e) => new { e.Namespace, pod = e.Pod, e.Ip, e.Labels, e.Identity, e.Workload, e.Service };
}
