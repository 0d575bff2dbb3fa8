using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CiliumDash.Shared;
using Microsoft.Net.Http.Headers;

namespace CiliumDash.Embeds;

/// <summary>
/// <c>/embed/{panel}.svg</c>: the panel as an image, for wikis that allow images only (GitHub, GitLab, MediaWiki).
/// Short cache lifetime and a content ETag, so a wiki's image proxy revalidates cheaply. <c>connectivity.svg</c> is
/// drawn by the Connectivity feature (its own, more specific route), so it is not rendered here.
/// </summary>
public static class EmbedSvgEndpoints
{
    private const int RowHeight = 20;

    public static IEndpointRouteBuilder MapEmbedSvg(this IEndpointRouteBuilder app)
    {
        app.MapGet("/embed/{panel}.svg", (string panel, HttpContext context, EmbedAccess access, EmbedPanelBuilder builder) =>
        {
            if (!EmbedPanels.IsKnown(panel) || panel is EmbedPanels.Connectivity or EmbedPanels.Map)
            {
                return Results.Problem(EmbedPanels.Unknown(panel) + (panel == EmbedPanels.Connectivity ? " (as an image)" : ""), statusCode: 404);
            }

            var (link, scope) = access.For(panel, context.Request.Query, context.User);
            var view = builder.Build(panel, context.Request.Query, scope);
            var svg = Render(view, Theme.From(context.Request.Query["theme"]), Width(context.Request.Query["width"]));
            var etag = new EntityTagHeaderValue("\"" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(svg)).AsSpan(0, 16)) + "\"");
            var headers = context.Response.GetTypedHeaders();
            // A team-scoped view must not be served to others from a shared cache.
            headers.CacheControl = new CacheControlHeaderValue { Public = link.Status == EmbedLinkStatus.Valid || !scope.IsRestricted, Private = link.Status != EmbedLinkStatus.Valid && scope.IsRestricted, MaxAge = TimeSpan.FromSeconds(15) };
            headers.ETag = etag;
            if (context.Request.GetTypedHeaders().IfNoneMatch.Any(t => t.Compare(etag, useStrongComparison: false) || t.Equals(EntityTagHeaderValue.Any)))
            {
                return Results.StatusCode(StatusCodes.Status304NotModified);
            }

            return Results.Text(svg, "image/svg+xml; charset=utf-8");
        });
        return app;
    }

    /// <summary>A one-line SVG that says why an image link was refused (wikis show the image, not the status).</summary>
    public static string Message(string title, string message) => Render(PanelView.Failed(title, message), Theme.Light, 520);

    /// <summary>
    /// Draws the panel, at least <paramref name="width"/> px wide and wider when its key text needs it: the title, the
    /// column heads and every cell but the last column are never cut; only long messages (the last column, the note)
    /// are cut at <see cref="MessageWidth"/>.
    /// </summary>
    public static string Render(PanelView view, Theme theme, int width)
    {
        var rows = view.Error is null ? view.Rows.Count + (view.Columns.Any(c => c.Length > 0) ? 1 : 0) : 1;
        var height = 28 + (rows * RowHeight) + (view.Note is null ? 0 : RowHeight) + 6;
        var columns = view.Error is null ? ColumnWidths(view) : [];
        var needed = Math.Max(SvgWriter.TextWidth(view.Title, bold: true), columns.Sum()) + 16;
        if (view.Note is not null)
        {
            needed = Math.Max(needed, Math.Min(SvgWriter.TextWidth(view.Note), MessageWidth) + 16);
        }
        if (view.Error is not null)
        {
            needed = Math.Max(needed, Math.Min(SvgWriter.TextWidth(view.Error), MessageWidth) + 16);
        }

        width = Math.Max(width, (int)Math.Ceiling(needed));
        var svg = new SvgWriter(width, height, theme.Background, view.Title, Describe(view));
        svg.Text(8, 18, view.Title, theme.Text, width - 16, bold: true);
        var y = 28 + 14;
        if (view.Error is not null)
        {
            svg.Text(8, y, view.Error, theme.Bad, width - 16);
            return svg.ToString();
        }

        // Extra width (a wide requested image) goes to the last column.
        if (columns.Length > 0)
        {
            columns[^1] += width - 16 - columns.Sum();
        }

        if (view.Columns.Any(c => c.Length > 0))
        {
            var x = 8.0;
            for (var i = 0; i < view.Columns.Count && i < columns.Length; i++)
            {
                svg.Text(x + 4, y, view.Columns[i], theme.Muted, columns[i] - 8, bold: true);
                x += columns[i];
            }

            y += RowHeight;
        }

        foreach (var row in view.Rows)
        {
            var x = 8.0;
            var colour = theme.For(row.State);
            if (colour is not null)
            {
                svg.Rect(4, y - 14, 3, 18, colour);
            }

            for (var i = 0; i < row.Cells.Count && i < columns.Length; i++)
            {
                var last = i == row.Cells.Count - 1;
                svg.Text(x + 4, y, CellText(row, i), last && colour is not null ? colour : theme.Text, columns[i] - 8, mono: Mono(view, i));
                x += columns[i];
            }

            y += RowHeight;
        }

        if (view.Note is not null)
        {
            svg.Text(8, y, view.Note, theme.Muted, width - 16);
        }

        return svg.ToString();
    }

    /// <summary>The widest a message (the last column, the note) is drawn before it is cut.</summary>
    public const double MessageWidth = 640;

    private static bool Mono(PanelView view, int column) => column == 0 && view.Columns.Count > 2;

    private static string CellText(PanelRow row, int i) =>
        i == row.Cells.Count - 1 && row.Detail is { } detail ? $"{row.Cells[i]}: {detail}" : row.Cells[i];

    private static string Describe(PanelView view) =>
        view.Error ?? $"{view.Rows.Count} {(view.Rows.Count == 1 ? "row" : "rows")}" + (view.Columns.Any(c => c.Length > 0) ? $" of {string.Join(", ", view.Columns.Where(c => c.Length > 0))}" : "") + (view.Note is { } note ? $". {note}" : "");

    // Each column as wide as its widest text (plus 8 px of padding); only the last column is capped.
    private static double[] ColumnWidths(PanelView view)
    {
        var count = Math.Max(view.Columns.Count, view.Rows.Select(r => r.Cells.Count).DefaultIfEmpty(1).Max());
        var widths = new double[count];
        for (var i = 0; i < count; i++)
        {
            var head = i < view.Columns.Count ? SvgWriter.TextWidth(view.Columns[i], bold: true) : 0;
            var cells = view.Rows.Where(r => i < r.Cells.Count).Select(r => SvgWriter.TextWidth(CellText(r, i), mono: Mono(view, i))).DefaultIfEmpty(0).Max();
            widths[i] = Math.Max(head, i == count - 1 ? Math.Min(cells, MessageWidth) : cells) + 8;
        }
        return widths;
    }

    private static int Width(string? text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var w) ? Math.Clamp(w, 200, 2000) : 520;
}

/// <summary>The dashboard's colours for light and dark wikis (same meanings: red act now, amber degraded, grey unknown).</summary>
public sealed record Theme(string Background, string Text, string Muted, string Ok, string Warn, string Bad, string Unknown)
{
    public static readonly Theme Light = new("#ffffff", "#1f2328", "#59636e", "#1a7f37", "#9a6700", "#cf222e", "#6e7781");
    public static readonly Theme Dark = new("#0d1117", "#e6edf3", "#9198a1", "#3fb950", "#d29922", "#f85149", "#8b949e") { Info = "#58a6ff" };

    /// <summary>The colour of an info finding (blue: worth knowing, not degraded).</summary>
    public string Info { get; init; } = "#0969da";

    public static Theme From(string? name) => name == "dark" ? Dark : Light;

    public string? For(string? state) => state is null ? null : StateTones.Of(state) switch
    {
        "ok" => Ok,
        "warn" => Warn,
        "bad" => Bad,
        "info" => Info,
        _ => Unknown,
    };
}
