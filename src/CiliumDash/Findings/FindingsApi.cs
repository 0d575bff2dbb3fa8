using CiliumDash.Contract;
using CiliumDash.Shared;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CiliumDash.Findings;

/// <summary><c>GET /api/v1/findings</c>: the engine's findings worst first, as the caller's scope allows.</summary>
public static class FindingsApi
{
    private static readonly AccessScope NoNamespaces = new(new HashSet<string>());

    public static IEndpointRouteBuilder MapFindingsApi(this IEndpointRouteBuilder app)
    {
        // ?node=X narrows to the findings about one node (as subject or as the peer of a pair).
        // ?at= (RFC 3339 or a duration ago) answers from history: the findings open at that moment, same shape.
        app.MapGet("/api/v1/findings", async Task<Results<Ok<IReadOnlyList<FindingDto>>, ProblemHttpResult>> (
            HttpContext http, FindingsEngine engine, AccessScopes scopes, string? node, string? at, TimeProvider time, IServiceProvider services) =>
        {
            var scope = scopes.For(http.User);
            if (at is not null)
            {
                var history = services.GetService<IHistoryQueries>();
                if (HistoryAt.Resolve(at, time, history, out var moment) is { } problem)
                {
                    return problem;
                }

                return HistoryAt.Answer(http.Response, await history!.FindingsAtAsync(moment, scope, node, http.RequestAborted));
            }

            return TypedResults.Ok<IReadOnlyList<FindingDto>>(engine.Current.VisibleTo(scope)
                .Where(f => node is null || f.Subject.Node == node || f.Subject.Peer == node)
                .Select(ToDto)
                .ToList());
        });
        return app;
    }

    /// <summary>The hub's <c>findings</c> payload: one for every subscriber, so only the cluster-wide findings.</summary>
    public static IReadOnlyList<FindingDto> SharedPayload(FindingsEngine engine)
    {
        ArgumentNullException.ThrowIfNull(engine);
        return engine.Current.VisibleTo(NoNamespaces).Select(ToDto).ToList();
    }

    /// <summary>The contract's shape of a finding: the REST body and the hub payload are the same records.</summary>
    public static FindingDto ToDto(Finding f)
    {
        ArgumentNullException.ThrowIfNull(f);
        var s = f.Subject;
        return new FindingDto(f.Id, Severity(f.Severity), f.Kind, new FindingSubjectDto(s.Node, s.Peer, s.Path, s.Controller, s.Map, s.Component),
            f.Summary, f.Hint, f.Evidence.Select(e => new EvidenceDto(e.Source, e.Value)).ToList(), f.Since);
    }

    /// <summary>The severity as the API spells it.</summary>
    public static string Severity(FindingSeverity severity) => severity switch
    {
        FindingSeverity.Critical => "critical",
        FindingSeverity.Warning => "warning",
        _ => "info",
    };
}
