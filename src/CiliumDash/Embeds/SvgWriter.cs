using System.Globalization;
using System.Text;
using CiliumDash.Shared;

namespace CiliumDash.Embeds;

/// <summary>
/// Builds a small SVG document. Every text and attribute value goes through <see cref="Escape"/>: node names,
/// labels and messages come from the cluster and must never become markup in a wiki page.
/// </summary>
public sealed class SvgWriter(int width, int height, string background, string title, string description)
{
    private readonly StringBuilder _body = new();

    /// <inheritdoc cref="TextMeasure.Width"/>
    public static double TextWidth(string? text, bool bold = false, bool mono = false) => TextMeasure.Width(text, bold, mono);

    /// <inheritdoc cref="TextMeasure.Fit"/>
    public static string Fit(string? text, double maxWidth, bool bold = false, bool mono = false) => TextMeasure.Fit(text, maxWidth, bold, mono);

    /// <summary>
    /// XML-escapes a text or attribute value. Characters that are invisible or reorder text (bidi controls, zero-width
    /// and control characters) become visible markers first, as on the pages (<see cref="VisibleText"/>), which also
    /// keeps out everything XML 1.0 forbids.
    /// </summary>
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var marked = VisibleText.Mark(text);
        var sb = new StringBuilder(marked.Length + 16);
        foreach (var c in marked)
        {
            _ = c switch
            {
                '<' => sb.Append("&lt;"),
                '>' => sb.Append("&gt;"),
                '&' => sb.Append("&amp;"),
                '"' => sb.Append("&quot;"),
                '\'' => sb.Append("&apos;"),
                _ => sb.Append(c),
            };
        }

        return sb.ToString();
    }

    public void Rect(double x, double y, double w, double h, string fill) =>
        _body.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x:0.#}\" y=\"{y:0.#}\" width=\"{w:0.#}\" height=\"{h:0.#}\" rx=\"3\" fill=\"{Escape(fill)}\"/>");

    /// <summary>Text cut to <paramref name="maxWidth"/> px (SVG has no text overflow); callers size the image so key text is never cut.</summary>
    public void Text(double x, double y, string? text, string fill, double maxWidth, bool bold = false, bool mono = false)
    {
        var value = Fit(text, maxWidth, bold, mono);

        var family = mono ? "DejaVu Sans Mono,Menlo,Consolas,monospace" : "DejaVu Sans,Segoe UI,Helvetica,Arial,sans-serif";
        _body.Append(CultureInfo.InvariantCulture, $"<text x=\"{x:0.#}\" y=\"{y:0.#}\" fill=\"{Escape(fill)}\" font-family=\"{family}\" font-size=\"12\"{(bold ? " font-weight=\"bold\"" : "")}>");
        _body.Append(Escape(value)).Append("</text>");
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-labelledby=\"t d\">") +
        $"<title id=\"t\">{Escape(title)}</title><desc id=\"d\">{Escape(description)}</desc>" +
        string.Create(CultureInfo.InvariantCulture, $"<rect width=\"{width}\" height=\"{height}\" fill=\"{Escape(background)}\"/>") + _body + "</svg>";
}
