using System.Globalization;
using System.Text.RegularExpressions;

namespace CiliumDash.Shared;

/// <summary>
/// A time in a query string as the hubble CLI takes <c>--since</c>/<c>--until</c>: RFC 3339 (<c>2026-03-01T12:00:00Z</c>,
/// with an offset or fractional seconds) or a duration ago in Go's units plus days (<c>250ms</c>, <c>90s</c>, <c>15m</c>,
/// <c>2h</c>, <c>1h30m</c>, <c>7d</c>; no sign). Every endpoint that takes a time parses it here.
/// </summary>
public static partial class TimeParameter
{
    /// <summary>Longer input is refused before it is parsed.</summary>
    public const int MaxLength = 64;

    private const string Accepted = "use RFC 3339 (2026-03-01T12:00:00Z) or a duration ago (90s, 15m, 2h, 1h30m, 7d)";

    private static readonly string[] Rfc3339 = ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"];

    /// <summary>A required time: empty input is an error.</summary>
    public static bool TryParse(string? text, DateTimeOffset now, out DateTimeOffset time, out string? error)
    {
        time = now;
        error = null;
        var t = text?.Trim() ?? "";
        if (t.Length == 0)
        {
            error = $"is empty: {Accepted}";
            return false;
        }

        if (t.Length > MaxLength)
        {
            error = $"is longer than {MaxLength} characters: {Accepted}";
            return false;
        }

        if (DateTimeOffset.TryParseExact(t, Rfc3339, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            time = parsed;
            return true;
        }

        if (Duration().Match(t) is not { Success: true } m)
        {
            error = $"'{VisibleText.Mark(t)}' is neither RFC 3339 (2026-03-01T12:00:00Z) nor a duration ago (90s, 15m, 2h, 1h30m, 7d)";
            return false;
        }

        try
        {
            time = now - Sum(m);
            return true;
        }
        catch (Exception e) when (e is OverflowException or ArgumentOutOfRangeException or ArgumentException)
        {
            error = $"'{t}' reaches back before the year 1";
            return false;
        }
    }

    /// <summary>An optional time: empty or absent input is no bound (<paramref name="time"/> null), not an error.</summary>
    public static bool TryParseOptional(string? text, DateTimeOffset now, out DateTimeOffset? time, out string? error)
    {
        time = null;
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        if (!TryParse(text, now, out var value, out error))
        {
            return false;
        }

        time = value;
        return true;
    }

    private static TimeSpan Sum(Match match)
    {
        var span = TimeSpan.Zero;
        foreach (Capture part in match.Groups["part"].Captures)
        {
            var unit = part.Value.TrimStart("0123456789.".ToCharArray());
            var number = double.Parse(part.Value[..^unit.Length], CultureInfo.InvariantCulture);
            span += unit switch
            {
                "d" => TimeSpan.FromDays(number),
                "h" => TimeSpan.FromHours(number),
                "m" => TimeSpan.FromMinutes(number),
                "s" => TimeSpan.FromSeconds(number),
                _ => TimeSpan.FromMilliseconds(number),
            };
        }

        return span;
    }

    [GeneratedRegex(@"^(?<part>\d{1,9}(\.\d{1,9})?(ms|d|h|m|s)){1,5}$", RegexOptions.CultureInvariant, 100)]
    private static partial Regex Duration();
}
