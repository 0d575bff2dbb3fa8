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
    Unsigned,
    Valid,
    Expired,
    Invalid,
}

/// <summary>The outcome of checking a signed embed link, with the message shown when it is refused.</summary>
public sealed record EmbedLinkCheck(EmbedLinkStatus Status, DateTimeOffset? Expires, string? Message)
{
    public static readonly EmbedLinkCheck Unsigned = new(EmbedLinkStatus.Unsigned, null, null);
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
    public const string SignatureKey = "sig";
    public const string ExpiryKey = "exp";
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(366);

    /// <summary>Parameters a wiki author may change without a new link: they change looks, not what is shown.</summary>
    private static readonly HashSet<string> Unsigned = new(StringComparer.Ordinal) { SignatureKey, ExpiryKey, "theme", "width", "height" };

    private readonly byte[] _key;
    private readonly TimeProvider _time;

    public EmbedLinks(IOptions<CiliumDashOptions> options, TimeProvider time, ILogger<EmbedLinks> log)
    {
        _time = time;
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

    public EmbedLink Create(string panel, string? query, TimeSpan expiresIn)
    {
        if (!EmbedPanels.IsKnown(panel))
        {
            throw new ArgumentException(EmbedPanels.Unknown(panel), nameof(panel));
        }

        if (expiresIn <= TimeSpan.Zero || expiresIn > MaxLifetime)
        {
            throw new ArgumentOutOfRangeException(nameof(expiresIn), "an embed link must expire within 366 days");
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
            return EmbedLinkCheck.Unsigned;
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

    /// <summary>For the login middleware: true when the request is for an <c>/embed/*</c> panel and carries a valid, unexpired signed link.</summary>
    public bool TryValidate(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return EmbedPanels.FromPath(context.Request.Path) is { } panel && Check(panel, context.Request.Query).Status == EmbedLinkStatus.Valid;
    }

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
