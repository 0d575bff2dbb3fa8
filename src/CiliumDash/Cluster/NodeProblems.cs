using System.Globalization;
using CiliumDash.Agents;
using CiliumDash.Findings;
using CiliumDash.Findings.Rules;
using CiliumDash.Shared;

namespace CiliumDash.Cluster;

/// <summary>
/// A node's problems in cilium-cli's words (container state, exec errors, subsystem states, failing controllers),
/// so the dashboard and the terminal tell the same story. The rules themselves live in <see cref="AgentRules"/>
/// and <see cref="MapRules"/>, which the findings engine uses too.
/// </summary>
public static class NodeProblems
{
    private const string Component = "cilium";

    public static IEnumerable<(ClusterProblem Problem, bool Severe)> Of(NodeSnapshot node, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(node);
        return AgentRules.Of(node, null, now)
            .Where(p => p.CliMessage is not null)
            .Select(p => (new ClusterProblem(Component, node.Name, node.AgentPod, p.CliMessage!), p.CliError));
    }

    /// <summary>Everything the node page lists at the top: cilium-cli's problems plus what only we notice.</summary>
    public static List<(string Text, bool Severe)> For(NodeSnapshot node, DateTimeOffset now)
    {
        var problems = AgentRules.Of(node, null, now).ToList();
        var list = problems.Where(p => p.CliMessage is not null).Select(p => (p.CliMessage!, p.CliError)).ToList();
        if (node.Stale)
        {
            list.Add(($"showing data from {GoDurations.Format(now - node.LastUpdated!.Value)} ago: the last read failed", false));
        }

        list.AddRange(problems.Where(p => p.CliMessage is null).Select(p => ($"stale status probe {p.Finding.Subject.Component} ({p.Finding.Evidence[0].Value})", false)));

        if (AgentRules.Health(node) is { } health)
        {
            list.Add(($"cilium-health: {health.Evidence[0].Value}", false));
        }

        if (node.Health is { } h && h.Reachable < h.Total)
        {
            list.Add(($"Cluster health: {h.Reachable}/{h.Total} reachable", true));
        }

        list.AddRange((node.Status?.ParseWarnings ?? []).Select(w => ($"status document: {w}", false)));

        // Our own check (cilium-cli does not look at map sizes): a full map refuses new entries, e.g. new connections.
        list.AddRange(MapRules.Over(node).Select(m => ($"BPF map {m.Map} is {(m.Ratio * 100).ToString("0.#", CultureInfo.InvariantCulture)} % full", m.Severity == FindingSeverity.Critical)));
        return list;
    }
}
