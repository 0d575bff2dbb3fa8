using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CiliumDash.Configuration;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace CiliumDash.Embeds;

public enum EmbedLinkStatus
{
    /// <summary>No <c>sig</c>/<c>exp</c>: an ordinary request, subject to the dashboard's login.</summary>
    NotSigned,
    Valid,
    Expired,
    Invalid,
}

/// <summary>The outcome of checking a signed embed link, with the message shown when it is refused.</summary>
public sealed record EmbedLinkCheck(EmbedLinkStatus Status, DateTimeOffset? Expires, string? Message)
{
    public static readonly EmbedLinkCheck NotSigned = new(EmbedLinkStatus.NotSigned, null, null);
}

/// <summary>A created link: relative to the dashboard's base (PathBase is added by whoever makes it absolute).</summary>
public sealed record EmbedLink(string Url, string SvgUrl, DateTimeOffset Expires);

/// <summary>
/// Signed embed links: <c>exp</c> (Unix seconds) and <c>sig</c> (HMAC-SHA256, base64url) over the panel, the
/// filter query sorted and without presentation parameters (theme, width, height), and the expiry. A link works
/// without login for that panel and filter only; changing any of them breaks the signature.
/// </summary>
public sealed class EmbedLinks
{
    /// <summary>The request item set on a request that is allowed only by its signed embed link (no cookie, no login).</summary>
    public const string SignedRequestItem = "ciliumdash.signed-embed";

    public const string SignatureKey = "sig";
    public const string ExpiryKey = "exp";
    /// <summary>The ceiling of <c>Embeds:MaxLinkLifetime</c>: a leaked link stops working within a month at most.</summary>
    public static readonly TimeSpan LongestLifetime = TimeSpan.FromDays(30);

    public static readonly TimeSpan ShortestLifetime = TimeSpan.FromMinutes(1);

    /// <summary>Parameters a wiki author may change without a new link: they change looks, not what is shown.</summary>
    private static readonly HashSet<string> Unsigned = new(StringComparer.Ordinal) { SignatureKey, ExpiryKey, "theme", "width", "height" };

    private readonly byte[] _key;
    private readonly TimeProvider _time;

    public EmbedLinks(IOptions<CiliumDashOptions> options, TimeProvider time, ILogger<EmbedLinks> log)
    {
        _time = time;
        MaxLifetime = options.Value.Embeds.MaxLinkLifetime is var max && max >= ShortestLifetime && max <= LongestLifetime ? max : LongestLifetime;
        var configured = options.Value.Embeds.SigningKey;
        if (string.IsNullOrEmpty(configured))
        {
            _key = RandomNumberGenerator.GetBytes(32);
            log.LogWarning("CiliumDash:Embeds:SigningKey is not set: signed embed links use a random key and stop working when the dashboard restarts");
        }
        else
        {
            _key = Encoding.UTF8.GetBytes(configured);
        }
    }

    /// <summary>The longest lifetime this dashboard gives a link (<c>Embeds:MaxLinkLifetime</c>).</summary>
    public TimeSpan MaxLifetime { get; }

    /// <summary>"30m", "12h", "7d", or a TimeSpan; null when unreadable or outside 1 minute to <see cref="MaxLifetime"/>.</summary>
    public TimeSpan? ParseLifetime(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var t = text.Trim();
        TimeSpan? value = t[^1] switch
        {
            'm' or 'h' or 'd' when double.TryParse(t[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n is > 0 and < 1e6 =>
                t[^1] switch { 'm' => TimeSpan.FromMinutes(n), 'h' => TimeSpan.FromHours(n), _ => TimeSpan.FromDays(n) },
            _ => TimeSpan.TryParse(t, CultureInfo.InvariantCulture, out var span) ? span : null,
        };
        return value >= ShortestLifetime && value <= MaxLifetime ? value : null;
    }

    /// <summary>The message for an expiresIn that <see cref="ParseLifetime"/> refuses.</summary>
    public string LifetimeError(string? text) =>
        $"expiresIn '{text}' is not a lifetime between 1 minute and {Describe(MaxLifetime)} (e.g. 30m, 12h, 7d; CiliumDash:Embeds:MaxLinkLifetime sets the longest)";

    public EmbedLink Create(string panel, string? query, TimeSpan expiresIn)
    {
        if (!EmbedPanels.IsKnown(panel))
        {
            throw new ArgumentException(EmbedPanels.Unknown(panel), nameof(panel));
        }

        if (expiresIn <= TimeSpan.Zero || expiresIn > MaxLifetime)
        {
            throw new ArgumentOutOfRangeException(nameof(expiresIn), $"an embed link must expire within {Describe(MaxLifetime)}");
        }

        var expires = DateTimeOffset.FromUnixTimeSeconds(_time.GetUtcNow().Add(expiresIn).ToUnixTimeSeconds());
        var filter = Canonical(QueryHelpers.ParseQuery(query?.TrimStart('?') ?? ""));
        var exp = expires.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var suffix = (filter.Length == 0 ? "" : filter + "&") + $"{ExpiryKey}={exp}&{SignatureKey}={Sign(panel, filter, exp)}";
        return new EmbedLink($"embed/{panel}?{suffix}", $"embed/{panel}.svg?{suffix}", expires);
    }

    public EmbedLinkCheck Check(string panel, IEnumerable<KeyValuePair<string, StringValues>> query)
    {
        var pairs = query.ToList();
        var sig = pairs.FirstOrDefault(p => p.Key == SignatureKey).Value;
        var exp = pairs.FirstOrDefault(p => p.Key == ExpiryKey).Value;
        if (StringValues.IsNullOrEmpty(sig) && StringValues.IsNullOrEmpty(exp))
        {
            return EmbedLinkCheck.NotSigned;
        }

        if (sig.Count != 1 || exp.Count != 1 || !long.TryParse(exp[0], NumberStyles.None, CultureInfo.InvariantCulture, out var unix)
            || unix > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            return new EmbedLinkCheck(EmbedLinkStatus.Invalid, null, "invalid signature: this embed link is incomplete or was altered");
        }

        var expected = Mac(panel, Canonical(pairs), exp[0]!);
        var given = TryDecode(sig[0]);
        if (given is null || !CryptographicOperations.FixedTimeEquals(expected, given))
        {
            return new EmbedLinkCheck(EmbedLinkStatus.Invalid, null, "invalid signature: this embed link was altered or signed with another key (links end when the key changes)");
        }

        var expires = DateTimeOffset.FromUnixTimeSeconds(unix);
        return expires <= _time.GetUtcNow()
            ? new EmbedLinkCheck(EmbedLinkStatus.Expired, expires, $"this embed link expired at {expires.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC; ask for a new one")
            : new EmbedLinkCheck(EmbedLinkStatus.Valid, expires, null);
    }

    /// <summary>An altered or expired signed link gets a 403 that says which, as a page or as an image.</summary>
    public static async Task RefuseAsync(HttpContext context, EmbedLinkCheck check)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(check);
        context.Response.Headers.CacheControl = "no-store";
        if (context.Request.Path.Value!.EndsWith(".svg", StringComparison.Ordinal))
        {
            await Results.Text(EmbedSvgEndpoints.Message("CiliumDash", check.Message!), "image/svg+xml; charset=utf-8", statusCode: StatusCodes.Status403Forbidden).ExecuteAsync(context);
            return;
        }

        var html = $"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>CiliumDash embed</title></head><body style=\"font-family:sans-serif\"><p data-testid=\"embed-refused\">{System.Net.WebUtility.HtmlEncode(check.Message)}</p></body></html>";
        await Results.Content(html, "text/html; charset=utf-8", statusCode: StatusCodes.Status403Forbidden).ExecuteAsync(context);
    }

    private static string Describe(TimeSpan lifetime) =>
        lifetime.TotalDays >= 1 && lifetime.TotalDays == Math.Floor(lifetime.TotalDays) ? $"{lifetime.TotalDays:0} days" : lifetime.ToString("c", CultureInfo.InvariantCulture);

    private static string Canonical(IEnumerable<KeyValuePair<string, StringValues>> query) =>
        string.Join('&', query.Where(p => !Unsigned.Contains(p.Key))
            .SelectMany(p => p.Value.Select(v => (p.Key, Value: v ?? "")))
            .OrderBy(p => p.Key, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));

    private static byte[]? TryDecode(string? base64Url)
    {
        if (string.IsNullOrEmpty(base64Url) || base64Url.Length > 64)
        {
            return null;
        }

        var padded = base64Url.Replace('-', '+').Replace('_', '/');
        padded += new string('=', (4 - (padded.Length % 4)) % 4);
        try
        {
            return Convert.FromBase64String(padded);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private string Sign(string panel, string canonicalQuery, string exp) =>
        Convert.ToBase64String(Mac(panel, canonicalQuery, exp)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private byte[] Mac(string panel, string canonicalQuery, string exp) =>
        HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes($"{panel}\n{canonicalQuery}\n{exp}"));
}
