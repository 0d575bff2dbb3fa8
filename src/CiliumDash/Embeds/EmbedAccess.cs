using System.Security.Claims;
using Microsoft.Extensions.Primitives;
using CiliumDash.Shared;

namespace CiliumDash.Embeds;

/// <summary>
/// What an embed may show. Unsigned: the viewer's own scope. Signed link: cluster-wide for panels without flows; for
/// flow panels, the namespaces the link's <c>namespace</c> filter names (all namespaces if it names none, which only
/// an unrestricted user can create, see <see cref="CreatorMayShare"/>). The signature stops anyone widening it.
/// </summary>
public sealed class EmbedAccess(EmbedLinks links, AccessScopes scopes)
{
    public EmbedLinks Links => links;

    public (EmbedLinkCheck Link, AccessScope Scope) For(string panel, IEnumerable<KeyValuePair<string, StringValues>> query, ClaimsPrincipal? user)
    {
        var pairs = query.ToList();
        var link = links.Check(panel, pairs);
        var scope = link.Status switch
        {
            EmbedLinkStatus.Unsigned => scopes.For(user),
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
