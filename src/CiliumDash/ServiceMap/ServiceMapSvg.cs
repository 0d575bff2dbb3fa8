using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CiliumDash.Embeds;
using Microsoft.Net.Http.Headers;

namespace CiliumDash.ServiceMap;

/// <summary>
/// <c>/embed/map.svg</c>: the map as an image for wikis without iframes. A deterministic arc diagram: the busiest
/// <see cref="MaxNodes"/> nodes in a column ordered by id with their whole names (SVG cannot wrap, so the image grows to
/// fit instead of cutting text), each link an arc on the left; dropped and denied links are red, dashed and thicker.
/// </summary>
internal static class ServiceMapSvg
{
    public const int MaxNodes = 40;
    private const int Row = 20;
    private const int Head = 46;
    private const int ArcSpace = 150;
    private static readonly HashSet<string> EmbedOnly = new(StringComparer.Ordinal) { EmbedLinks.SignatureKey, EmbedLinks.ExpiryKey, "theme", "width", "height" };

    public static IEndpointRouteBuilder MapServiceMapSvg(this IEndpointRouteBuilder app)
    {
        app.MapGet("/embed/map.svg", (HttpContext http, ServiceMapStore store, EmbedAccess access, TimeProvider time) =>
        {
            var request = http.Request.Query;
            var (link, scope) = access.For(EmbedPanels.Map, request, http.User);
            var theme = Theme.From(request["theme"]);
            string svg;
            if (link.Message is { } refused)
            {
                svg = EmbedSvgEndpoints.Message("CiliumDash service map", refused);
            }
            else
            {
                var (query, error) = ServiceMapQuery.TryParse(MapQueryString(request), time.GetUtcNow());
                svg = query is null ? EmbedSvgEndpoints.Message("CiliumDash service map", error!) : Render(store.Query(query, scope), theme);
            }

            var etag = new EntityTagHeaderValue("\"" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(svg)).AsSpan(0, 16)) + "\"");
            var headers = http.Response.GetTypedHeaders();
            headers.CacheControl = new CacheControlHeaderValue { Private = scope.IsRestricted && link.Status != EmbedLinkStatus.Valid, Public = !scope.IsRestricted || link.Status == EmbedLinkStatus.Valid, MaxAge = TimeSpan.FromSeconds(15) };
            headers.ETag = etag;
            return http.Request.GetTypedHeaders().IfNoneMatch.Any(t => t.Compare(etag, useStrongComparison: false))
                ? Results.StatusCode(StatusCodes.Status304NotModified)
                : Results.Text(svg, "image/svg+xml; charset=utf-8");
        });
        return app;
    }

    /// <summary>The map's own parameters of an embed URL (the signature, expiry and look are the embed's).</summary>
    public static string MapQueryString(IEnumerable<KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues>> query) =>
        string.Join('&', query.Where(p => !EmbedOnly.Contains(p.Key)).SelectMany(p => p.Value.Select(v => p.Key + "=" + Uri.EscapeDataString(v ?? ""))));

    public static string Render(ServiceMapGraph graph, Theme theme)
    {
        var shown = graph.Nodes.OrderByDescending(n => n.Flows).ThenBy(n => n.Id, StringComparer.Ordinal).Take(MaxNodes)
            .OrderBy(n => n.Id, StringComparer.Ordinal).ToList();
        var index = shown.Select((n, i) => (n.Id, i)).ToDictionary(p => p.Id, p => p.i, StringComparer.Ordinal);
        var edges = graph.Edges.Where(e => index.ContainsKey(e.Source) && index.ContainsKey(e.Target)).ToList();
        var labels = shown.Select(Label).ToList();
        var title = $"Service map: {graph.Nodes.Count:N0} nodes, {graph.Edges.Count:N0} links, {graph.Edges.Count(e => e.State is MapEdgeStates.Denied or MapEdgeStates.Dropped):N0} with drops";
        var note = graph.Nodes.Count > shown.Count ? $"the {shown.Count} busiest of {graph.Nodes.Count:N0} nodes are drawn" : null;
        var longest = labels.Append(title).Append(note ?? "").Max(l => l.Length);
        var width = Math.Max(360, ArcSpace + 16 + (int)(longest * 7.4) + 16);
        var height = Head + (Math.Max(1, shown.Count) * Row) + (note is null ? 8 : 28);
        var b = new StringBuilder(4096);
        b.Append(CultureInfo.InvariantCulture, $"""<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" aria-labelledby="t d" font-family="DejaVu Sans,Segoe UI,Helvetica,Arial,sans-serif" font-size="12">""");
        b.Append("<title id=\"t\">").Append(SvgWriter.Escape(title)).Append("</title>");
        b.Append("<desc id=\"d\">").Append(SvgWriter.Escape(Describe(graph, edges))).Append("</desc>");
        b.Append(CultureInfo.InvariantCulture, $"""<rect width="{width}" height="{height}" fill="{theme.Background}"/>""");
        b.Append(CultureInfo.InvariantCulture, $"""<text x="8" y="18" fill="{theme.Text}" font-weight="bold">{SvgWriter.Escape(title)}</text>""");
        b.Append(CultureInfo.InvariantCulture, $"""<text x="8" y="34" fill="{theme.Muted}">{SvgWriter.Escape(Legend(graph))}</text>""");
        if (shown.Count == 0)
        {
            b.Append(CultureInfo.InvariantCulture, $"""<text x="8" y="{Head + 14}" fill="{theme.Muted}">no flows in view: the window is empty or the filter matches none</text>""");
        }

        foreach (var e in edges.OrderBy(e => e.State == MapEdgeStates.Forwarded ? 0 : 1))
        {
            var (y1, y2) = (Y(index[e.Source]), Y(index[e.Target]));
            var bad = MapEdgeStates.Tone(e.State) == "bad";
            var colour = bad ? theme.Bad : e.State == MapEdgeStates.Audit ? theme.Warn : theme.Muted;
            var dash = bad ? " stroke-dasharray=\"5 3\"" : "";
            var strokeWidth = bad ? 2.5 : 1.2;
            var path = y1 == y2
                ? $"M {ArcSpace} {y1} c -24 -12 -24 12 0 0"
                : $"M {ArcSpace} {y1} A {Math.Min(ArcSpace - 10, Math.Abs(y2 - y1) / 2.0):0.#} {Math.Abs(y2 - y1) / 2.0:0.#} 0 0 {(y2 > y1 ? 0 : 1)} {ArcSpace} {y2}";
            b.Append(CultureInfo.InvariantCulture, $"""<path d="{path}" fill="none" stroke="{colour}" stroke-width="{strokeWidth}"{dash} opacity="0.85"><title>{SvgWriter.Escape($"{e.Source} → {e.Target}: {e.Flows:N0} flows, {e.State}")}</title></path>""");
        }

        for (var i = 0; i < shown.Count; i++)
        {
            var y = Y(i);
            var tone = shown[i].Dropped > 0 ? theme.Bad : theme.Ok;
            b.Append(CultureInfo.InvariantCulture, $"""<circle cx="{ArcSpace}" cy="{y}" r="4" fill="{tone}"/>""");
            b.Append(CultureInfo.InvariantCulture, $"""<text x="{ArcSpace + 10}" y="{y + 4}" fill="{theme.Text}">{SvgWriter.Escape(labels[i])}</text>""");
        }

        if (note is not null)
        {
            b.Append(CultureInfo.InvariantCulture, $"""<text x="8" y="{height - 10}" fill="{theme.Muted}">{SvgWriter.Escape(note)}</text>""");
        }

        return b.Append("</svg>").ToString();
    }

    private static int Y(int i) => Head + (i * Row) + 8;

    private static string Label(MapNodeView n) =>
        (n.Namespace.Length > 0 && n.Kind != MapNodeKinds.Namespace ? $"{n.Namespace}/{n.Name}" : n.Kind == MapNodeKinds.Reserved ? "reserved:" + n.Name : n.Name)
        + $" ({n.Kind}, {n.Flows:N0} flows{(n.Dropped > 0 ? $", {n.Dropped:N0} dropped" : "")})";

    private static string Legend(ServiceMapGraph graph) =>
        "red dashed = drops or policy denials · grey = forwarded" + (graph.AutoGrouped ? $" · {graph.CollapsedNamespaces.Count} namespaces collapsed (too many nodes)" : "");

    private static string Describe(ServiceMapGraph graph, List<MapEdgeView> edges)
    {
        var worst = edges.Where(e => e.State != MapEdgeStates.Forwarded).OrderByDescending(e => e.Flows).Take(10)
            .Select(e => $"{e.Source} to {e.Target}: {e.State} ({string.Join(", ", e.DropReasons.Select(d => $"{d.Key} {d.Value}"))})");
        var text = $"Links between {graph.Nodes.Count} nodes from {graph.Coverage.Flows:N0} flows of the {graph.Coverage.Source}.";
        var list = worst.ToList();
        return list.Count == 0 ? text + " No link has drops." : text + " Links with drops: " + string.Join("; ", list) + ".";
    }
}
