using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;
using CiliumDash.Contract;
using CiliumDash.Shared;

namespace CiliumDash.Embeds;

/// <summary>
/// What an embed may show. Not signed: the viewer's own scope. Signed link: cluster-wide for panels without flows; for
/// flow panels, the namespaces the link's <c>namespace</c> filter names (all namespaces if it names none, which only
/// an unrestricted user can create, see <see cref="CreatorMayShare"/>). The signature stops anyone widening it.
/// </summary>
public sealed class EmbedAccess(EmbedLinks links, AccessScopes scopes)
{
    /// <summary>A link request is three short fields; anything bigger is not one.</summary>
    public const int MaxRequestBytes = 4096;

    public EmbedLinks Links => links;

    /// <summary>
    /// Every check a new link passes, for the REST API and the embed page alike: a known panel, a lifetime within
    /// <see cref="EmbedLinks.MaxLifetime"/>, for flow panels a query the flow filter parser accepts (the parser's
    /// message otherwise), and a creator who may share what the link would show.
    /// </summary>
    public EmbedLinkOutcome TryCreate(string? panel, string? query, string? expiresIn, ClaimsPrincipal? user)
    {
        if (!EmbedPanels.IsKnown(panel))
        {
            return EmbedLinkOutcome.Refused(StatusCodes.Status400BadRequest, EmbedPanels.Unknown(panel));
        }

        if (links.ParseLifetime(expiresIn) is not { } lifetime)
        {
            return EmbedLinkOutcome.Refused(StatusCodes.Status400BadRequest, links.LifetimeError(expiresIn));
        }

        if (EmbedPanels.ShowsFlows(panel!) && panel != EmbedPanels.Map && !Push.FlowTopicAdapter.TryParse(query, out _, out var filterError))
        {
            return EmbedLinkOutcome.Refused(StatusCodes.Status400BadRequest, $"query: {filterError}");
        }

        if (!CreatorMayShare(panel!, QueryHelpers.ParseQuery(query?.TrimStart('?') ?? ""), user))
        {
            return EmbedLinkOutcome.Refused(StatusCodes.Status403Forbidden, "a team-scoped user may share flows only with a namespace filter naming their own namespaces");
        }

        return new EmbedLinkOutcome(links.Create(panel!, query, lifetime), StatusCodes.Status200OK, null);
    }

    /// <summary><c>POST /api/v1/embed-links</c>: a JSON body of at most <see cref="MaxRequestBytes"/> (413 above).</summary>
    public async Task<IResult> CreateLinkAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!context.Request.HasJsonContentType())
        {
            return Results.Problem("send {panel, query, expiresIn} as JSON (Content-Type: application/json)", statusCode: StatusCodes.Status415UnsupportedMediaType);
        }

        var body = new byte[MaxRequestBytes + 1];
        var length = 0;
        if (context.Request.ContentLength is not > MaxRequestBytes)
        {
            int read;
            while (length < body.Length && (read = await context.Request.Body.ReadAsync(body.AsMemory(length), context.RequestAborted)) > 0)
            {
                length += read;
            }
        }

        if (context.Request.ContentLength > MaxRequestBytes || length > MaxRequestBytes)
        {
            return Results.Problem($"an embed link request is at most {MaxRequestBytes} bytes", statusCode: StatusCodes.Status413PayloadTooLarge);
        }

        EmbedLinkRequest? request;
        try
        {
            request = JsonSerializer.Deserialize<EmbedLinkRequest>(body.AsSpan(0, length), JsonSerializerOptions.Web);
        }
        catch (JsonException ex)
        {
            return Results.Problem($"the body is not a JSON object {{panel, query, expiresIn}}: {ex.Message}", statusCode: StatusCodes.Status400BadRequest);
        }

        var outcome = TryCreate(request?.Panel, request?.Query, request?.ExpiresIn, context.User);
        if (outcome.Link is not { } link)
        {
            return Results.Problem(outcome.Error, statusCode: outcome.Status);
        }

        var root = $"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}/";
        return Results.Ok(new EmbedLinkDto(root + link.Url, root + link.SvgUrl, link.Expires));
    }

    public (EmbedLinkCheck Link, AccessScope Scope) For(string panel, IEnumerable<KeyValuePair<string, StringValues>> query, ClaimsPrincipal? user)
    {
        var pairs = query.ToList();
        var link = links.Check(panel, pairs);
        var scope = link.Status switch
        {
            EmbedLinkStatus.NotSigned => scopes.For(user),
            EmbedLinkStatus.Valid => LinkScope(panel, pairs),
            _ => new AccessScope(new HashSet<string>()),
        };
        return (link, scope);
    }

    /// <summary>A restricted user may share flows only of namespaces they see, named in the link's filter.</summary>
    public bool CreatorMayShare(string panel, IEnumerable<KeyValuePair<string, StringValues>> query, ClaimsPrincipal? user)
    {
        var scope = scopes.For(user);
        if (!scope.IsRestricted || !EmbedPanels.ShowsFlows(panel))
        {
            return true;
        }

        var named = Namespaces(query);
        return named.Count > 0 && named.All(scope.AllowsNamespace);
    }

    private static AccessScope LinkScope(string panel, IEnumerable<KeyValuePair<string, StringValues>> query)
    {
        var named = Namespaces(query);
        return EmbedPanels.ShowsFlows(panel) && named.Count > 0 ? new AccessScope(named) : AccessScope.All;
    }

    private static HashSet<string> Namespaces(IEnumerable<KeyValuePair<string, StringValues>> query) =>
        query.Where(p => p.Key == "namespace").SelectMany(p => p.Value).Where(v => !string.IsNullOrEmpty(v)).Select(v => v!).ToHashSet(StringComparer.Ordinal);
}

/// <summary>A created link, or the status and message of the refusal.</summary>
public sealed record EmbedLinkOutcome(EmbedLink? Link, int Status, string? Error)
{
    public static EmbedLinkOutcome Refused(int status, string error) => new(null, status, error);
}
