using System.Globalization;
using System.Security;
using System.Text;
using CiliumDash.Shared;

namespace CiliumDash.Connectivity;

/// <summary>
/// <c>/embed/connectivity.svg</c>: the matrix for wikis that allow no iframes. Up to <see cref="FullLimit"/> nodes every
/// cell with node names; above that, blocks of nodes (worst cell wins) and the cluster line. Every name is XML-escaped.
/// </summary>
internal static class ConnectivitySvg
{
    public const int FullLimit = 60;
    private const int MaxBlocks = 60;
    private const int Head = 36;

    // Names longer than this (Kubernetes allows 253 characters) are cut in the axis labels; the cell titles keep them whole.
    private const int MaxLabel = 420;

    public static string Render(ConnectivityStore store, ProbePath path)
    {
        var nodes = store.Nodes();
        var summary = store.Summary();
        var order = nodes.Select(n => n.Index).ToList();
        var full = nodes.Count <= FullLimit;
        var block = full ? 1 : (nodes.Count + MaxBlocks - 1) / MaxBlocks;
        var cell = full ? 14 : 8;
        var count = (nodes.Count + block - 1) / block;
        // Sized to its content: the axis labels as wide as the longest shown name, the image as wide as its title.
        var label = full ? (int)Math.Ceiling(Math.Min(MaxLabel, nodes.Select(n => TextMeasure.Width(n.Name) * 11 / 12).DefaultIfEmpty(0).Max()) + 8) : 16;
        label = Math.Max(label, 40);
        var subtitle = $"{path.Label()}{(full ? "" : $" · {block} nodes per block")} · rows: from · columns: to";
        var textWidth = Math.Max(TextMeasure.Width(summary.Line, bold: true) * 13 / 12, TextMeasure.Width(subtitle) * 11 / 12);
        var width = Math.Max(label + (count * cell) + 10, (int)Math.Ceiling(textWidth) + 8);
        var height = Head + label + (count * cell) + 10;
        var svg = new StringBuilder(4096 + (count * count * 90));
        svg.Append(CultureInfo.InvariantCulture, $"""<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="11" role="img" aria-labelledby="t d">""");
        svg.Append(CultureInfo.InvariantCulture, $"""<title id="t">Connectivity: {Esc(summary.Line)}</title><desc id="d">{Esc($"{nodes.Count} nodes, {path.Label()}; red ✕ failing, purple ◐ host OK but endpoint unreachable, orange ▲ slower than its baseline, green to yellow by round-trip time. {subtitle}.")}</desc>""");
        svg.Append(CultureInfo.InvariantCulture, $"""<text x="4" y="16" font-size="13" font-weight="bold">{Esc(summary.Line)}</text>""");
        svg.Append(CultureInfo.InvariantCulture, $"""<text x="4" y="30" fill="#57606a">{Esc(subtitle)}</text>""");
        if (full)
        {
            Cells(svg, store, nodes, order, path, cell, label);
        }
        else
        {
            Blocks(svg, store.Blocks(order, block, path), nodes, block, cell, label);
        }

        return svg.Append("</svg>").ToString();
    }

    private static void Cells(StringBuilder svg, ConnectivityStore store, IReadOnlyList<MatrixNode> nodes, List<int> order, ProbePath path, int cell, int label)
    {
        var view = store.Window(order, order, path);
        for (var i = 0; i < nodes.Count; i++)
        {
            var name = Esc(TextMeasure.Fit(nodes[i].Name, (label - 8) * 12 / 11.0));
            var y = Head + label + (i * cell);
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="{label - 4}" y="{y + cell - 3}" text-anchor="end">{name}</text>""");
            var x = label + (i * cell) + cell - 3;
            svg.Append(CultureInfo.InvariantCulture, $"""<text transform="translate({x},{Head + label - 4}) rotate(-90)">{name}</text>""");
        }

        for (var r = 0; r < nodes.Count; r++)
        {
            for (var c = 0; c < nodes.Count; c++)
            {
                var v = view[r, c];
                var title = $"{nodes[r].Name} → {nodes[c].Name}: {CellColors.Describe(v.Kind)}" + (v.Kind is CellKind.Ok or CellKind.Degraded ? $" {v.RttNs / 1000:0.#} µs" : "");
                Rect(svg, label + (c * cell), Head + label + (r * cell), cell, CellColors.Fill(v.Kind, v.RttNs), title, v.Stale);
            }
        }
    }

    private static void Blocks(StringBuilder svg, BlockView[,] blocks, IReadOnlyList<MatrixNode> nodes, int block, int cell, int label)
    {
        var n = blocks.GetLength(0);
        for (var r = 0; r < n; r++)
        {
            for (var c = 0; c < n; c++)
            {
                var b = blocks[r, c];
                var title = $"{nodes[r * block].Name}… → {nodes[c * block].Name}…: {CellColors.Describe(b.Worst)}, {b.Failing}/{b.Cells} failing";
                Rect(svg, label + (c * cell), Head + label + (r * cell), cell, CellColors.Fill(b.Worst, b.MaxRttNs), title, stale: false);
            }
        }
    }

    private static void Rect(StringBuilder svg, int x, int y, int size, string fill, string title, bool stale) =>
        svg.Append(CultureInfo.InvariantCulture,
            $"""<rect x="{x}" y="{y}" width="{size - 1}" height="{size - 1}" fill="{fill}"{(stale ? " fill-opacity=\"0.4\"" : "")}><title>{Esc(title)}</title></rect>""");

    /// <summary>XML-escapes, and replaces characters XML 1.0 forbids (control characters) so the image always parses.</summary>
    private static string Esc(string text)
    {
        var clean = string.Create(text.Length, text, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                var ch = source[i];
                span[i] = ch < 0x20 && ch is not ('\t' or '\n' or '\r') || ch is '\uFFFE' or '\uFFFF' ? '\uFFFD' : ch;
            }
        });
        return SecurityElement.Escape(clean);
    }
}
