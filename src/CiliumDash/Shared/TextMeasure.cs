namespace CiliumDash.Shared;

/// <summary>How wide a text is drawn, estimated, for the SVG images (the embeds and the connectivity matrix) that must
/// size themselves to their text without a renderer to measure it.</summary>
public static class TextMeasure
{
    /// <summary>
    /// A generous estimate of a text's drawn width in px at the 12 px size used here (SVG cannot measure without a
    /// renderer): wide letters count more, narrow ones less, so a box sized by it holds the text in common fonts.
    /// </summary>
    public static double Width(string? text, bool bold = false, bool mono = false)
    {
        if (string.IsNullOrEmpty(text))
        {
            return 0;
        }

        var marked = VisibleText.Mark(text);
        double w = 0;
        foreach (var c in marked)
        {
            w += mono ? 7.3 : c switch
            {
                'i' or 'l' or 'j' or 'I' or '.' or ',' or ':' or ';' or '\'' or '|' or '!' or ' ' => 3.6,
                'f' or 't' or 'r' or '(' or ')' or '[' or ']' or '-' or '/' => 4.8,
                'm' or 'w' or 'M' or 'W' or '@' or '%' or '—' or '…' => 10.6,
                >= 'A' and <= 'Z' => 8.4,
                < (char)0x2E80 => 7.2,
                _ => 12.2,
            };
        }

        return bold ? w * 1.1 : w;
    }

    /// <summary>The text cut to fit <paramref name="maxWidth"/> px by <see cref="Width"/>, with an ellipsis when cut.</summary>
    public static string Fit(string? text, double maxWidth, bool bold = false, bool mono = false)
    {
        var value = text ?? "";
        if (Width(value, bold, mono) <= maxWidth)
        {
            return value;
        }

        var keep = value.Length;
        while (keep > 1 && Width(value[..keep] + "…", bold, mono) > maxWidth)
        {
            keep = Math.Max(1, keep - Math.Max(1, (keep / 8)));
        }
        return value[..keep] + "…";
    }
}
