using System.Text;
using CiliumDash.Contract;
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

            if (query.Format is "jsonl" or "csv")
            {
                // A saved export gets a name that says what and when: flows-20260301T140502Z.jsonl
                var stamp = store.Time.GetUtcNow().UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture);
                http.Response.Headers.ContentDisposition = $"attachment; filename=\"flows-{stamp}.{query.Format}\"";
            }

            if (query.Format == "jsonl")
            {
                return Results.Text(Lines(window.Export(query, limit, out _).Select(FlowJson.Line)), "application/x-ndjson", Encoding.UTF8);
            }

            var page = window.Query(query, 0, limit);
            return query.Format switch
            {
                "csv" => Results.Text(Lines(page.Rows.Select(FlowJson.CsvLine).Prepend(FlowJson.CsvHeader)), "text/csv", Encoding.UTF8),
                _ => TypedResults.Ok(List(query, page.Matched, page.Rows)),
            };
        }).Produces<FlowListDto>();

        app.MapGet("/api/v1/flows/summary", (HttpContext http, FlowStore store, AccessScopes scopes) =>
        {
            var (parsed, _, error) = ParseQuery(http.Request.QueryString.Value);
            if (parsed is null)
            {
                return Results.Problem(error, statusCode: StatusCodes.Status400BadRequest);
            }

            var scope = scopes.For(http.User);
            return TypedResults.Ok(Summary(store, parsed.Restrict(scope), scope));
        }).Produces<FlowSummaryDto>();
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


    /// <summary>The list body of /api/v1/flows and of the hub's flows pushes: rows of the store's query, newest first.</summary>
    public static FlowListDto List(FlowQuery query, int total, IReadOnlyList<FlowRecord> rows) =>
        new(total, rows.Count, query.ToQueryString(), query.ToHubbleCommand(), rows.Select(Row).ToList());

    /// <summary>The contract row of a flow: the one mapping from the window's <see cref="FlowRecord"/>, for REST, hub and embeds.</summary>
    public static FlowRowDto Row(FlowRecord f) =>
        new(f.Time, f.Uuid, f.Node, f.Verdict, f.DropReason, Endpoint(f.Source), Endpoint(f.Destination),
            new FlowL4Dto(f.Protocol, f.SourcePort, f.DestinationPort), f.Type, f.TrafficDirection, f.IsReply, f.Summary);

    /// <summary>/api/v1/flows/summary: the store's aggregates of the (scoped) query, plus cluster-wide totals for who may see them.</summary>
    public static FlowSummaryDto Summary(FlowStore store, FlowQuery query, AccessScope scope)
    {
        var summary = store.Summarize(query, Math.Clamp(query.Limit ?? 20, 1, 1000));
        var clusterWide = scope.SeesClusterWideFlows;
        return new FlowSummaryDto(
            new FlowWindowDto(store.Capacity, summary.InWindow, summary.Matched),
            store.Received,
            store.Evicted,
            store.Duplicates,
            store.LostBySource(),
            clusterWide ? new FlowTotalsDto(store.CountsByVerdict(), store.CountsByDropReason()) : null,
            summary.Verdicts.Select(c => new CountDto(c.Name, c.Count)).ToList(),
            summary.DropReasons.Select(c => new CountDto(c.Name, c.Count)).ToList(),
            summary.Namespaces.Select(n => new NamespacePairDto(n.Source, n.Destination, n.Flows, n.Drops)).ToList(),
            summary.TopTalkers.Select(t => new TalkerDto(t.Source, t.Destination, t.Port, t.Protocol, t.Flows, t.Drops)).ToList(),
            summary.PolicyVerdicts.Select(p => new PolicyVerdictDto(p.Direction, p.Verdict, p.Count)).ToList(),
            clusterWide ? store.Series(60).Select(x => new FlowSecondDto(x.Second, x.Flows, x.Drops, x.Verdicts, x.DropReasons)).ToList() : null)
        {
            StreamWarning = store.StreamWarning is { } w ? new StreamWarningDto(w.Message, w.Since, w.Duplicates) : null,
        };
    }

    private static FlowEndpointDto Endpoint(FlowEndpoint e) => new(e.Namespace, e.Pod, e.Ip, e.Labels, e.Identity, e.Workload, e.Service);
}
