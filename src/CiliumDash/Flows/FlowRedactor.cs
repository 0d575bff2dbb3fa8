using System.Text;
using CiliumDash.Protocols.Hubble;

namespace CiliumDash.Flows;

/// <summary>
/// Removes secrets from a flow's HTTP record at ingest, before anything is stored, so the window, the drawer, every
/// export (JSON, CSV, JSONL) and every view see only the redacted flow. Hubble's own redaction is off by default, so
/// real clusters send credentials in L7 records. Redacted: the user information of URLs (<c>user:pass@</c>), the value
/// of every query parameter (names are kept: which parameters a request had is useful, their values may be tokens
/// whatever they are called), and the values of the <c>Authorization</c>, <c>Proxy-Authorization</c>, <c>Cookie</c>
/// and <c>Set-Cookie</c> headers plus configured ones (names kept). The same is applied to URLs in an L7 flow's summary
/// text. DNS and Kafka records carry no such fields and are left alone. The message stays a valid Hubble flow, so the
/// JSONL export still reads with <c>hubble observe --input-file</c>.
/// </summary>
public sealed class FlowRedactor
{
    /// <summary>What replaces a secret.</summary>
    public const string Marker = "REDACTED";

    public static readonly IReadOnlyList<string> DefaultHeaders = ["Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie"];

    private readonly HashSet<string> _headers;

    public FlowRedactor(bool enabled, IEnumerable<string>? extraHeaders = null)
    {
        Enabled = enabled;
        _headers = new HashSet<string>(DefaultHeaders.Concat(extraHeaders ?? []).Select(h => h.Trim()), StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Redaction on, with the default header names.</summary>
    public static FlowRedactor Default { get; } = new(enabled: true);

    /// <summary>No redaction (<c>CiliumDash:Flows:Redaction:Enabled=false</c>).</summary>
    public static FlowRedactor Off { get; } = new(enabled: false);

    public bool Enabled { get; }

    /// <summary>Redacts <paramref name="flow"/> in place; true when something was replaced.</summary>
    public bool Redact(Flow flow)
    {
        ArgumentNullException.ThrowIfNull(flow);
        if (!Enabled || flow.L7?.Http is not { } http)
        {
            return false;
        }

        var changed = false;
        var url = RedactUrl(http.Url);
        if (!ReferenceEquals(url, http.Url))
        {
            http.Url = url;
            changed = true;
        }

        foreach (var header in http.Headers)
        {
            if (_headers.Contains(header.Key) && header.Value != Marker && header.Value.Length > 0)
            {
                header.Value = Marker;
                changed = true;
            }
        }

        var summary = RedactUrlsIn(flow.Summary);
        if (!ReferenceEquals(summary, flow.Summary))
        {
            flow.Summary = summary;
            changed = true;
        }

        return changed;
    }

    /// <summary>
    /// The URL with its user information and query values replaced (<c>http://REDACTED@host/p?a=REDACTED</c>); the same
    /// instance when there was nothing to replace. Works on absolute URLs and on paths with a query.
    /// </summary>
    public static string RedactUrl(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        var authorityStart = scheme < 0 ? 0 : scheme + 3;
        var authorityEnd = scheme < 0 ? 0 : IndexOfAny(url, "/?#", authorityStart);
        var at = scheme < 0 ? -1 : url.LastIndexOf('@', authorityEnd - 1, authorityEnd - authorityStart);
        var query = url.IndexOf('?', authorityEnd);
        var fragment = query < 0 ? -1 : url.IndexOf('#', query);
        if (at < 0 && (query < 0 || query == (fragment < 0 ? url.Length : fragment) - 1))
        {
            return url;
        }

        var b = new StringBuilder(url.Length + 16);
        if (at >= 0)
        {
            b.Append(url, 0, authorityStart).Append(Marker).Append(url, at, (query < 0 ? url.Length : query) - at);
        }
        else
        {
            b.Append(url, 0, query);
        }

        if (query >= 0)
        {
            var end = fragment < 0 ? url.Length : fragment;
            b.Append('?').Append(RedactQuery(url.AsSpan(query + 1, end - query - 1)));
            b.Append(url, end, url.Length - end);
        }

        var redacted = b.ToString();
        return redacted == url ? url : redacted;
    }

    /// <summary>Every <c>scheme://…</c> URL in a text (up to the next space or closing parenthesis), redacted.</summary>
    public static string RedactUrlsIn(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var scheme = text.IndexOf("://", StringComparison.Ordinal);
        // Nothing to redact without user information or a query: the common case costs one scan.
        if (scheme < 0 || text.AsSpan(scheme).IndexOfAny('@', '?') < 0)
        {
            return text;
        }

        var b = new StringBuilder(text.Length + 16);
        var done = 0;
        while (scheme >= 0)
        {
            var start = scheme;
            while (start > done && (char.IsAsciiLetterOrDigit(text[start - 1]) || text[start - 1] is '+' or '-' or '.'))
            {
                start--;
            }

            var end = IndexOfAny(text, " \t\r\n)\"'", scheme + 3);
            b.Append(text, done, start - done).Append(RedactUrl(text[start..end]));
            done = end;
            scheme = text.IndexOf("://", done, StringComparison.Ordinal);
        }

        b.Append(text, done, text.Length - done);
        var redacted = b.ToString();
        return redacted == text ? text : redacted;
    }

    private static string RedactQuery(ReadOnlySpan<char> query)
    {
        var b = new StringBuilder(query.Length + 16);
        var first = true;
        foreach (var range in query.Split('&'))
        {
            if (!first)
            {
                b.Append('&');
            }

            first = false;
            var part = query[range];
            var eq = part.IndexOf('=');
            if (eq < 0)
            {
                // A parameter without "=" is a bare value (?SECRET), so it goes too.
                b.Append(part.Length == 0 ? "" : Marker);
            }
            else
            {
                b.Append(part[..(eq + 1)]).Append(eq == part.Length - 1 ? "" : Marker);
            }
        }

        return b.ToString();
    }

    private static int IndexOfAny(string s, string chars, int from)
    {
        var i = s.AsSpan(from).IndexOfAny(chars);
        return i < 0 ? s.Length : from + i;
    }
}
