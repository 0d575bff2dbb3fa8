using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace CiliumDash.Shared;

/// <summary>
/// How text that comes from the cluster (pod, node, namespace and controller names, labels, messages) is shown to
/// people. Characters that are invisible or that reorder the text around them — bidi controls such as U+202E,
/// zero-width characters, control characters, spaces other than U+0020 — would let one name pose as another, so each
/// becomes a visible marker <c>⟨U+202E⟩</c> instead of acting; values longer than <see cref="MaxLength"/> are cut,
/// and the cut is marked. Pages (through the SafeText component) and SVG images use this one rule.
/// </summary>
public static class VisibleText
{
    /// <summary>Longer values are cut to their first <c>MaxLength - 1</c> characters and an ellipsis.</summary>
    public const int MaxLength = 256;

    public const string Ellipsis = "…";

    /// <summary>A run of plain text, or the marker of one hidden character (<see cref="CodePoint"/> set).</summary>
    public readonly record struct Part(string Text, int? CodePoint)
    {
        public bool IsMarker => CodePoint is not null;
    }

    /// <summary>
    /// A value ready to show: its parts (cut when <see cref="IsCut"/>), and <see cref="Full"/>, the whole value with
    /// markers inline, for a tooltip. <see cref="Length"/> is the value's length in UTF-16 characters.
    /// </summary>
    public sealed record Shown(IReadOnlyList<Part> Parts, bool IsCut, bool HasMarkers, int Length, string Full)
    {
        /// <summary>Nothing to mark and nothing cut: the value can be shown as it is.</summary>
        public bool IsPlain => !IsCut && !HasMarkers;
    }

    private static readonly Shown EmptyValue = new([], false, false, 0, "");

    /// <summary>Whether this code point is invisible or changes how the text around it is ordered or broken.</summary>
    public static bool IsHidden(int codePoint)
    {
        if (codePoint is >= 0x20 and < 0x7F)
        {
            return false;
        }

        if (codePoint is >= 0xD800 and <= 0xDFFF)
        {
            return true;   // a lone surrogate (a valid pair is decoded before it gets here)
        }

        // Invisible or blank although Unicode calls them letters, symbols or marks: Hangul fillers, the braille blank,
        // the combining grapheme joiner, variation selectors; and the noncharacters.
        if (codePoint is 0x115F or 0x1160 or 0x3164 or 0xFFA0 or 0x2800 or 0x034F
            or (>= 0xFE00 and <= 0xFE0F) or (>= 0xE0100 and <= 0xE01EF)
            or (>= 0xFDD0 and <= 0xFDEF) || (codePoint & 0xFFFE) == 0xFFFE)
        {
            return true;
        }

        return CharUnicodeInfo.GetUnicodeCategory(codePoint) switch
        {
            UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator => true,
            UnicodeCategory.SpaceSeparator => codePoint != ' ',
            _ => false,
        };
    }

    /// <summary>The visible stand-in of a hidden character, e.g. <c>⟨U+202E⟩</c>.</summary>
    public static string Marker(int codePoint) => string.Create(CultureInfo.InvariantCulture, $"⟨U+{codePoint:X4}⟩");

    /// <summary>What a marker's tooltip says: the character's name where it is one people meet, else its kind.</summary>
    public static string Describe(int codePoint) => codePoint switch
    {
        0x09 => "U+0009 CHARACTER TABULATION",
        0x0A => "U+000A LINE FEED",
        0x0D => "U+000D CARRIAGE RETURN",
        0xA0 => "U+00A0 NO-BREAK SPACE",
        0xAD => "U+00AD SOFT HYPHEN",
        0x061C => "U+061C ARABIC LETTER MARK",
        0x200B => "U+200B ZERO WIDTH SPACE",
        0x200C => "U+200C ZERO WIDTH NON-JOINER",
        0x200D => "U+200D ZERO WIDTH JOINER",
        0x200E => "U+200E LEFT-TO-RIGHT MARK",
        0x200F => "U+200F RIGHT-TO-LEFT MARK",
        0x2028 => "U+2028 LINE SEPARATOR",
        0x2029 => "U+2029 PARAGRAPH SEPARATOR",
        0x202A => "U+202A LEFT-TO-RIGHT EMBEDDING",
        0x202B => "U+202B RIGHT-TO-LEFT EMBEDDING",
        0x202C => "U+202C POP DIRECTIONAL FORMATTING",
        0x202D => "U+202D LEFT-TO-RIGHT OVERRIDE",
        0x202E => "U+202E RIGHT-TO-LEFT OVERRIDE",
        0x2060 => "U+2060 WORD JOINER",
        0x2066 => "U+2066 LEFT-TO-RIGHT ISOLATE",
        0x2067 => "U+2067 RIGHT-TO-LEFT ISOLATE",
        0x2068 => "U+2068 FIRST STRONG ISOLATE",
        0x2069 => "U+2069 POP DIRECTIONAL ISOLATE",
        0xFEFF => "U+FEFF ZERO WIDTH NO-BREAK SPACE",
        >= 0xD800 and <= 0xDFFF => $"{Code(codePoint)} lone surrogate (not a character)",
        _ => $"{Code(codePoint)} {Kind(codePoint)}",
    };

    /// <summary>Nothing to mark and nothing to cut: the value can be shown as it is (no allocation).</summary>
    public static bool IsPlain(string? text, int max = MaxLength) =>
        string.IsNullOrEmpty(text) || ((max <= 0 || text.Length <= max) && FirstHidden(text) < 0);

    /// <summary>The whole value with every hidden character replaced by its marker (tooltips, titles, SVG text).</summary>
    [return: NotNullIfNotNull(nameof(text))]
    public static string? Mark(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        if (FirstHidden(text) < 0)
        {
            return text;
        }

        var b = new StringBuilder(text.Length + 16);
        foreach (var part in Split(text, text.Length, 0))
        {
            b.Append(part.Text);
        }

        return b.ToString();
    }

    /// <summary>The value as shown on a page: parts, cut after <paramref name="max"/> characters (0 = never cut).</summary>
    public static Shown Show(string? text, int max = MaxLength)
    {
        if (string.IsNullOrEmpty(text))
        {
            return EmptyValue;
        }

        var first = FirstHidden(text);
        var cut = max > 0 && text.Length > max;
        if (first < 0 && !cut)
        {
            return new Shown([new Part(text, null)], false, false, text.Length, text);
        }

        var keep = cut ? CutAt(text, max - 1) : text.Length;
        var parts = Split(text, keep, first < 0 ? keep : first);
        if (cut)
        {
            parts.Add(new Part(Ellipsis, null));
        }

        return new Shown(parts, cut, first >= 0 && first < keep, text.Length, first < 0 ? text : Mark(text));
    }

    /// <summary>Index of the first hidden character, or -1.</summary>
    private static int FirstHidden(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is >= ' ' and < '\x7F')
            {
                continue;
            }

            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                if (IsHidden(char.ConvertToUtf32(c, text[i + 1])))
                {
                    return i;
                }

                i++;
                continue;
            }

            if (IsHidden(c))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Parts of <c>text[..keep]</c>; nothing before <paramref name="from"/> is hidden.</summary>
    private static List<Part> Split(string text, int keep, int from)
    {
        var parts = new List<Part>();
        var start = 0;
        for (var i = from; i < keep; i++)
        {
            var c = text[i];
            var width = 1;
            int codePoint = c;
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                codePoint = char.ConvertToUtf32(c, text[i + 1]);
                width = 2;
            }

            if (IsHidden(codePoint))
            {
                if (i > start)
                {
                    parts.Add(new Part(text[start..i], null));
                }

                parts.Add(new Part(Marker(codePoint), codePoint));
                start = i + width;
            }

            i += width - 1;
        }

        if (keep > start)
        {
            parts.Add(new Part(text[start..keep], null));
        }

        return parts;
    }

    /// <summary>A cut never separates the two halves of a surrogate pair.</summary>
    private static int CutAt(string text, int length) =>
        length > 0 && char.IsHighSurrogate(text[length - 1]) ? length - 1 : length;

    private static string Code(int codePoint) => string.Create(CultureInfo.InvariantCulture, $"U+{codePoint:X4}");

    private static string Kind(int codePoint) => CharUnicodeInfo.GetUnicodeCategory(codePoint) switch
    {
        UnicodeCategory.Control => "control character",
        UnicodeCategory.Format => "invisible formatting character",
        UnicodeCategory.SpaceSeparator => "space other than U+0020",
        UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator => "line break",
        _ => "invisible character",
    };
}
