using System.Security.Cryptography;
using System.Text;
using CiliumDash.Contract;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace CiliumDash.Connectivity;

/// <summary>
/// <c>/api/v1/connectivity</c> (the store's <see cref="ConnectivityStore.Snapshot"/>, written as it is read: a 1,000-node
/// matrix is a million pairs and is never held whole) and <c>/embed/connectivity.svg</c>.
/// </summary>
public static class ConnectivityApi
{
    public static IEndpointRouteBuilder MapConnectivityApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/connectivity", Results<Ok<ConnectivityDto>, ProblemHttpResult> (ConnectivityStore store, string? from, string? to) =>
            (from is not null && !store.Contains(from) ? from : to is not null && !store.Contains(to) ? to : null) is { } unknown
                ? TypedResults.Problem(NotInMatrix(unknown), statusCode: StatusCodes.Status404NotFound, title: NotInMatrix(unknown))
                : TypedResults.Ok(store.Snapshot(new ConnectivitySnapshotOptions(from, to))));
        app.MapGet("/embed/connectivity.svg", (HttpContext http, ConnectivityStore store, string? path) => Svg(http, store, path));
        return app;
    }

    private static string NotInMatrix(string node) => $"node '{node}' is not in the connectivity matrix";

    private static IResult Svg(HttpContext http, ConnectivityStore store, string? path)
    {
        if (path is not null && ProbePaths.Parse(path) is null)
        {
            return Results.Problem($"path '{path}' is not one of {string.Join(", ", ProbePaths.All.Select(p => p.Slug()))}", statusCode: 400);
        }

        var chosen = ProbePaths.Parse(path) ?? ProbePath.EndpointIcmp;
        var body = ConnectivitySvg.Render(store, chosen);
        var etag = new EntityTagHeaderValue($"\"{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(body)).AsSpan(0, 8))}\"");
        http.Response.Headers.CacheControl = "public, max-age=10";
        http.Response.Headers.ETag = etag.ToString();
        if (http.Request.GetTypedHeaders().IfNoneMatch.Any(e => e.Compare(etag, useStrongComparison: false)))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        return Results.Text(body, "image/svg+xml; charset=utf-8");
    }
}
