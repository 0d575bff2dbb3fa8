using System.Globalization;
using System.Text.RegularExpressions;

namespace CiliumDash.Shared;

/// <summary>
/// A time in a query string as the hubble CLI takes <c>--since</c>/<c>--until</c>: RFC 3339 (<c>2026-03-01T12:00:00Z</c>)
/// or a duration ago (<c>90s</c>, <c>15m</c>, <c>2h</c>, <c>1h30m</c>, <c>7d</c>).
/// </summary>
public static partial class TimeParameter
{
    public static bool TryParse(string? text, DateTimeOffset now, out DateTimeOffset time, out string? error)
    {
        time = now;
        error = null;
        var t = text?.Trim() ?? "";
        if (t.Length == 0 || t.Length > 64)
        {
            error = "is empty or too long: use RFC 3339 (2026-03-01T12:00:00Z) or a duration ago (15m, 2h, 7d)";
            return false;
        }

        if (Duration().Match(t) is { Success: true } m)
        {
            var span = TimeSpan.Zero;
            foreach (Capture part in m.Groups["part"].Captures)
            {
                var value = double.Parse(part.Value[..^(part.Value.EndsWith("ms", StringComparison.Ordinal) ? 2 : 1)], CultureInfo.InvariantCulture);
                span += part.Value switch
                {
                    var p when p.EndsWith("ms", StringComparison.Ordinal) => TimeSpan.FromMilliseconds(value),
                    var p when p.EndsWith('s') => TimeSpan.FromSeconds(value),
                    var p when p.EndsWith('m') => TimeSpan.FromMinutes(value),
                    var p when p.EndsWith('h') => TimeSpan.FromHours(value),
                    _ => TimeSpan.FromDays(Math.Min(value, 100_000)),
                };
            }

            time = now - span;
            return true;
        }

        if (DateTimeOffset.TryParse(t, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed) && t.Contains('T', StringComparison.Ordinal))
        {
            time = parsed;
            return true;
        }

        error = $"'{VisibleText.Mark(t)}' is neither RFC 3339 (2026-03-01T12:00:00Z) nor a duration ago (15m, 2h, 7d)";
        return false;
    }

    [GeneratedRegex(@"^(?<part>\d{1,6}(\.\d{1,3})?(ms|s|m|h|d))+$", RegexOptions.CultureInvariant, 100)]
    private static partial Regex Duration();
}
