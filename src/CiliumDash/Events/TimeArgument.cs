using System.Globalization;
using System.Text.RegularExpressions;

namespace CiliumDash.Events;

/// <summary>
/// A <c>since</c>/<c>until</c> value as the hubble CLI takes it: an RFC 3339 time, or a duration ago such as
/// <c>90s</c>, <c>15m</c>, <c>2h</c> or <c>1h30m</c> (Go's units h, m, s, ms; no sign).
/// </summary>
public static partial class TimeArgument
{
    /// <summary>Longer input is refused before it is parsed.</summary>
    public const int MaxLength = 64;

    public static bool TryParse(string? text, DateTimeOffset now, out DateTimeOffset? value, out string? error)
    {
        value = null;
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        if (text.Length > MaxLength)
        {
            error = $"longer than {MaxLength} characters";
            return false;
        }

        if (DateTimeOffset.TryParseExact(text, ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"], CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at))
        {
            value = at;
            return true;
        }

        var match = Duration().Match(text);
        if (!match.Success)
        {
            error = $"'{text}' is neither an RFC 3339 time (2026-01-02T15:04:05Z) nor a duration ago (90s, 15m, 2h, 1h30m)";
            return false;
        }

        try
        {
            value = now - Sum(match);
            return true;
        }
        catch (Exception e) when (e is OverflowException or ArgumentOutOfRangeException)
        {
            error = $"'{text}' reaches back before the year 1";
            return false;
        }
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
                "h" => TimeSpan.FromHours(number),
                "m" => TimeSpan.FromMinutes(number),
                "s" => TimeSpan.FromSeconds(number),
                _ => TimeSpan.FromMilliseconds(number),
            };
        }

        return span;
    }

    [GeneratedRegex(@"^(?<part>\d{1,9}(\.\d{1,9})?(ms|h|m|s)){1,4}$", RegexOptions.CultureInvariant)]
    private static partial Regex Duration();
}
