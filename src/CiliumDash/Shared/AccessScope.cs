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

    /// <summary>
    /// The team-scope rule of flows, for every view (pages, REST, hub, embeds): a team sees a flow when either end is
    /// in one of its namespaces. <c>FlowQuery.Restrict</c> carries the scope into a flow query.
    /// </summary>
    public bool AllowsFlow(string? sourceNamespace, string? destinationNamespace) => AllowsFlow(Namespaces, sourceNamespace, destinationNamespace);

    /// <summary>Cluster-wide flow aggregates (totals, rate series) would tell a team about other teams' traffic.</summary>
    public bool SeesClusterWideFlows => Namespaces is null;

    /// <summary>The rule of <see cref="AllowsFlow(string?, string?)"/> for a bare namespace set (null = all).</summary>
    public static bool AllowsFlow(IReadOnlySet<string>? namespaces, string? sourceNamespace, string? destinationNamespace) =>
        namespaces is null || namespaces.Contains(sourceNamespace ?? "") || namespaces.Contains(destinationNamespace ?? "");
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
