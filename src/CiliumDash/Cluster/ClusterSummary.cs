using System.Globalization;
using CiliumDash.Agents;
using CiliumDash.Findings.Rules;

namespace CiliumDash.Cluster;

/// <summary>One line of cilium-cli's Errors/Warnings block, with where it comes from.</summary>
public sealed record ClusterProblem(string Component, string? Node, string? Pod, string Message);

/// <summary>A component line of the <c>cilium status</c> box: OK, "N errors, M warnings", or disabled.</summary>
public sealed record ComponentSummary(string Name, string Kind, string State, int Desired, int Ready, int Available, int Unavailable, bool Exists);

public sealed record ImageCount(string Component, string Image, int Count);

/// <summary>What <c>cilium status</c> (cilium-cli) prints, for the whole cluster, with the same wording.</summary>
public sealed record ClusterSummary(
    IReadOnlyList<ComponentSummary> Components,
    int NodesTotal,
    int NodesReady,
    int ManagedPods,
    int TotalPods,
    IReadOnlyList<ImageCount> Images,
    IReadOnlyList<ClusterProblem> Errors,
    IReadOnlyList<ClusterProblem> Warnings);

/// <summary>Applies cilium-cli's rules (see reference/how-cilium-cli-gets-status.md) to the store's data.</summary>
public static class ClusterSummaryBuilder
{
    public static ClusterSummary Build(ClusterWorkloads workloads, IReadOnlyList<NodeSnapshot> nodes, DateTimeOffset now)
    {
        var errors = new List<ClusterProblem>();
        var warnings = new List<ClusterProblem>();

        foreach (var problem in SourceRules.Workloads(workloads))
        {
            (problem.CliError ? errors : warnings).Add(new(problem.Finding.Subject.Component!, null, null, problem.CliMessage!));
        }

        foreach (var node in nodes)
        {
            foreach (var (problem, severe) in NodeProblems.Of(node, now))
            {
                (severe ? errors : warnings).Add(problem);
            }
        }

        var components = workloads.Components.Select(w =>
        {
            var e = errors.Count(p => p.Component == w.Name);
            var wn = warnings.Count(p => p.Component == w.Name);
            var state = !w.Exists ? "disabled" : e == 0 && wn == 0 ? "OK" : $"{e} errors, {wn} warnings";
            return new ComponentSummary(w.Name, w.Kind, state, w.Desired, w.Ready, w.Available, w.Unavailable, w.Exists);
        }).ToList();

        var images = workloads.Components
            .SelectMany(w => w.Images.Select(i => new ImageCount(w.Name, i.Key, i.Value)))
            .OrderBy(i => i.Component, StringComparer.Ordinal).ThenBy(i => i.Image, StringComparer.Ordinal)
            .ToList();

        var ready = nodes.Count(n => n.Error is null && n.Status?.Cilium?.State is "Ok");
        return new ClusterSummary(components, nodes.Count, ready, workloads.ManagedPods, workloads.TotalPods, images, errors, warnings);
    }
}
