using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Net.Http.Headers;

namespace CiliumDash.Connectivity;

/// <summary>
/// <c>/api/v1/connectivity</c> (contract shape of design.md, streamed row by row: a 1,000-node matrix is a million
/// pairs and is never built as objects) and <c>/embed/connectivity.svg</c>.
/// </summary>
public static class ConnectivityApi
{
    public static IEndpointRouteBuilder MapConnectivityApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/connectivity", (HttpContext http, ConnectivityStore store, string? from, string? to) => WriteAsync(http, store, from, to));
        app.MapGet("/embed/connectivity.svg", (HttpContext http, ConnectivityStore store, string? path) => Svg(http, store, path));
        return app;
    }

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

    private static async Task WriteAsync(HttpContext http, ConnectivityStore store, string? from, string? to)
    {
        var nodes = store.Nodes();
        var byName = nodes.ToDictionary(n => n.Name, StringComparer.Ordinal);
        if ((from is not null && !byName.ContainsKey(from)) || (to is not null && !byName.ContainsKey(to)))
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            await http.Response.WriteAsJsonAsync(new { title = $"node '{(from is not null && !byName.ContainsKey(from) ? from : to)}' is not in the connectivity matrix" });
            return;
        }

        http.Response.ContentType = "application/json; charset=utf-8";
        await using var json = new Utf8JsonWriter(http.Response.Body);
        var summary = store.Summary();
        json.WriteStartObject();
        json.WriteStartArray("nodes");
        foreach (var n in nodes)
        {
            json.WriteStringValue(n.Name);
        }

        json.WriteEndArray();
        json.WriteStartObject("summary");
        json.WriteString("line", summary.Line);
        json.WriteNumber("reachable", summary.Reachable);
        json.WriteNumber("total", summary.Nodes);
        json.WriteNumber("reporting", summary.Reporting);
        json.WriteNumber("pairs", summary.Pairs);
        json.WriteNumber("failingPairs", summary.FailingPairs);
        json.WriteNumber("degradedPairs", summary.DegradedPairs);
        json.WriteNumber("endpointOnlyFailingPairs", summary.EndpointOnlyPairs);
        json.WriteEndObject();
        NodeDetails(json, nodes);
        json.WriteStartArray("pairs");
        foreach (var source in nodes.Where(n => n.Reporting && (from is null || n.Name == from)))
        {
            foreach (var peer in store.Row(source.Name).Where(p => to is null || p.Name == to))
            {
                Pair(json, source, peer);
            }

            await json.FlushAsync(http.RequestAborted);
        }

        json.WriteEndArray();
        json.WriteStartArray("events");
        foreach (var e in store.Events(100))
        {
            json.WriteStartObject();
            json.WriteString("at", e.At.UtcDateTime);
            json.WriteString("from", e.From);
            json.WriteString("to", e.To);
            json.WriteString("path", e.Path.Slug());
            json.WriteString("kind", e.Kind.ToString());
            Ns(json, "rttNs", e.RttNs);
            Ns(json, "baselineNs", e.BaselineNs);
            json.WriteString("error", e.Error);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        await json.FlushAsync(http.RequestAborted);
    }

    private static void NodeDetails(Utf8JsonWriter json, IReadOnlyList<MatrixNode> nodes)
    {
        json.WriteStartArray("nodeDetails");
        foreach (var n in nodes)
        {
            json.WriteStartObject();
            json.WriteString("name", n.Name);
            json.WriteBoolean("polled", n.Polled);
            json.WriteBoolean("reporting", n.Reporting);
            json.WriteBoolean("stale", n.Stale);
            json.WriteString("readError", n.ReadError);
            json.WriteString("hostIp", n.HostIp);
            json.WriteString("endpointIp", n.EndpointIp);
            json.WriteNumber("reachable", n.Reachable);
            json.WriteNumber("total", n.Total);
            json.WriteNumber("listedBy", n.ListedBy);
            json.WriteNumber("reachableFrom", n.ReachableFrom);
            if (n.RoundTime is { } t)
            {
                json.WriteString("timestamp", t.UtcDateTime);
            }

            json.WriteString("probeInterval", n.ProbeInterval);
            json.WriteStartArray("issues");
            foreach (var issue in n.Issues)
            {
                json.WriteStringValue(issue);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void Pair(Utf8JsonWriter json, MatrixNode source, PeerRow peer)
    {
        json.WriteStartObject();
        json.WriteString("from", source.Name);
        json.WriteString("to", peer.Name);
        json.WriteBoolean("reachable", peer.Reachable);
        json.WriteBoolean("stale", source.Stale);
        Path(json, "host", peer.HostIp, peer.Probes[0], peer.Probes[1]);
        Path(json, "endpoint", peer.EndpointIp, peer.Probes[2], peer.Probes[3]);
        json.WriteEndObject();
    }

    private static void Path(Utf8JsonWriter json, string name, string? ip, PeerProbe icmp, PeerProbe http)
    {
        json.WriteStartObject(name);
        json.WriteString("ip", ip);
        Ns(json, "icmpNs", icmp.RttNs);
        Ns(json, "httpNs", http.RttNs);
        json.WriteString("icmpError", icmp.Error);
        json.WriteString("httpError", http.Error);
        json.WriteString("icmpState", icmp.State.ToString());
        json.WriteString("httpState", http.State.ToString());
        json.WriteBoolean("icmpDegraded", icmp.Degraded);
        json.WriteBoolean("httpDegraded", http.Degraded);
        json.WriteEndObject();
    }

    private static void Ns(Utf8JsonWriter json, string name, double? ns)
    {
        if (ns is { } value)
        {
            json.WriteNumber(name, (long)Math.Round(value));
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
