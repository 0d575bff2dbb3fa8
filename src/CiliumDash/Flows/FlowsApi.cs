using System.Text;
using CiliumDash.Flows.Query;
using CiliumDash.Shared;

namespace CiliumDash.Flows;

/// <summary>
/// <c>/api/v1/flows</c> (the window, newest first, filtered by hubble observe's flag names as query parameters; JSON,
/// JSONL in Hubble's form or CSV; <c>source=relay</c> asks the relay's buffers instead) and <c>/api/v1/flows/summary</c>.
/// </summary>
public static class FlowsApi
{
    public const int DefaultLimit = 1000;

    public static IEndpointRouteBuilder MapFlowsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/flows", async (HttpContext http, FlowStore store, RelayFlowSource relay, AccessScopes scopes, CancellationToken ct) =>
        {
            var (parsed, fromRelay, error) = ParseQuery(http.Request.QueryString.Value);
            if (parsed is null)
            {
                return Results.Problem(error, statusCode: StatusCodes.Status400BadRequest);
            }

            var query = parsed.Restrict(scopes.For(http.User));

            var limit = Math.Min(query.Limit ?? DefaultLimit, store.Capacity);
            var window = store.Window;
            if (fromRelay)
            {
                try
                {
                    // The relay knows nothing of teams: its answer is encoded (and redacted) like the window and scoped here.
                    window = store.WindowOf(await relay.QueryAsync(query, limit, ct));
                }
                catch (Exception ex) when (ex is InvalidOperationException or Grpc.Core.RpcException)
                {
                    return Results.Problem(ex is Grpc.Core.RpcException rpc ? RelayFlowSource.Describe(rpc, store.Relay.Target) : ex.Message,
                        statusCode: StatusCodes.Status503ServiceUnavailable);
                }
            }

            if (query.Format == "jsonl")
            {
                return Results.Text(Lines(window.Export(query, limit, out _).Select(FlowJson.Line)), "application/x-ndjson", Encoding.UTF8);
            }

            var page = window.Query(query, 0, limit);
            return query.Format switch
            {
                "csv" => Results.Text(Lines(page.Rows.Select(FlowJson.CsvLine).Prepend(FlowJson.CsvHeader)), "text/csv", Encoding.UTF8),
                _ => Results.Ok(new { total = page.Matched, returned = page.Rows.Count, query = query.ToQueryString(), hubble = query.ToHubbleCommand(), flows = page.Rows.Select(Row) }),
            };
        });

        app.MapGet("/api/v1/flows/summary", (HttpContext http, FlowStore store, AccessScopes scopes) =>
        {
            var (parsed, _, error) = ParseQuery(http.Request.QueryString.Value);
            if (parsed is null)
            {
                return Results.Problem(error, statusCode: StatusCodes.Status400BadRequest);
            }

            var query = parsed.Restrict(scopes.For(http.User));

            var summary = store.Summarize(query, Math.Clamp(query.Limit ?? 20, 1, 1000));
            return Results.Ok(new
            {
                window = new { capacity = store.Capacity, count = summary.InWindow, matched = summary.Matched },
                received = store.Received,
                evicted = store.Evicted,
                duplicates = store.Duplicates,
                streamWarning = store.StreamWarning,
                lostEvents = store.LostBySource(),
                // Cluster-wide totals and series would tell a team about other teams' traffic.
                totals = query.Namespaces is null ? new { verdicts = store.CountsByVerdict(), dropReasons = store.CountsByDropReason() } : null,
                verdicts = summary.Verdicts,
                dropReasons = summary.DropReasons,
                namespaces = summary.Namespaces,
                topTalkers = summary.TopTalkers,
                policyVerdicts = summary.PolicyVerdicts,
                series = query.Namespaces is not null ? null : store.Series(60).Select(s => new { time = s.Second, flows = s.Flows, drops = s.Drops, s.Verdicts, s.DropReasons }),
            });
        });
        return app;
    }

    /// <summary>The query string without <c>source</c> (where to read, not what to match).</summary>
    private static (FlowQuery? Query, bool FromRelay, string? Error) ParseQuery(string? queryString)
    {
        var parts = (queryString ?? "").TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries);
        var source = parts.Where(p => p.StartsWith("source=", StringComparison.Ordinal)).Select(p => p[7..]).LastOrDefault();
        if (source is not null and not "window" and not "relay")
        {
            return (null, false, $"Invalid flow filter: source=\"{source}\": expected window or relay.");
        }

        var result = FlowQuery.TryParse(string.Join('&', parts.Where(p => !p.StartsWith("source=", StringComparison.Ordinal))));
        return (result.Query, source == "relay", result.Error);
    }

    private static string Lines(IEnumerable<string> lines)
    {
        var b = new StringBuilder();
        foreach (var line in lines)
        {
            b.Append(line).Append('\n');
        }

        return b.ToString();
    }

    /// <summary>The contract row shape of /api/v1/flows, shared with the hub's flows topic.</summary>
    public static object Row(FlowRecord f) => new
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
