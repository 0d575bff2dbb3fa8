using CiliumDash.Shared;

namespace CiliumDash.Findings;

/// <summary><c>GET /api/v1/findings</c>: the engine's findings worst first, as the caller's scope allows.</summary>
public static class FindingsApi
{
    private static readonly AccessScope NoNamespaces = new(new HashSet<string>());

    public static IEndpointRouteBuilder MapFindingsApi(this IEndpointRouteBuilder app)
    {
        // ?node=X narrows to the findings about one node (as subject or as the peer of a pair).
        app.MapGet("/api/v1/findings", (HttpContext http, FindingsEngine engine, AccessScopes scopes, string? node) =>
            engine.Current.VisibleTo(scopes.For(http.User))
                .Where(f => node is null || f.Subject.Node == node || f.Subject.Peer == node)
                .ToList());
        return app;
    }

    /// <summary>The hub's <c>findings</c> payload: one for every subscriber, so only the cluster-wide findings.</summary>
    public static IReadOnlyList<Finding> SharedPayload(FindingsEngine engine)
    {
        ArgumentNullException.ThrowIfNull(engine);
        return engine.Current.VisibleTo(NoNamespaces).ToList();
    }
}
