using System.Security.Claims;
using CiliumDash.Configuration;
using Microsoft.Extensions.Options;

namespace CiliumDash.Shared;

/// <summary>
/// What one user may see: all namespaces, or only their teams'. Enforced on the server for every view of flows
/// (pages, REST, hub, embeds); everything else in the dashboard is cluster-wide and read-only for everyone.
/// </summary>
public sealed record AccessScope(IReadOnlySet<string>? Namespaces)
{
    public static readonly AccessScope All = new((IReadOnlySet<string>?)null);

    public bool IsRestricted => Namespaces is not null;

    public bool AllowsNamespace(string? ns) => Namespaces is null || (ns is not null && Namespaces.Contains(ns));
}

/// <summary>Maps a user's groups (claim type "groups") to namespaces through <c>CiliumDash:Auth:Teams</c>.</summary>
public sealed class AccessScopes(IOptions<CiliumDashOptions> options)
{
    public const string GroupClaim = "groups";

    public AccessScope For(ClaimsPrincipal? user)
    {
        var teams = options.Value.Auth.Teams;
        if (teams.Count == 0)
        {
            return AccessScope.All;
        }

        var namespaces = new HashSet<string>(StringComparer.Ordinal);
        foreach (var group in user?.FindAll(GroupClaim).Select(c => c.Value) ?? [])
        {
            if (teams.TryGetValue(group, out var list))
            {
                if (list.Trim() == "*")
                {
                    return AccessScope.All;
                }

                namespaces.UnionWith(list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            }
        }

        // With teams configured, a user in none of them sees no flows rather than all of them.
        return new AccessScope(namespaces);
    }
}
