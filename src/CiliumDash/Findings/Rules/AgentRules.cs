using CiliumDash.Agents;
using CiliumDash.Shared;

namespace CiliumDash.Findings.Rules;

/// <summary>
/// One problem as a finding, and the line cilium-cli prints for it (<see cref="CliMessage"/>, null when cilium-cli
/// says nothing; <see cref="CliError"/> says whether it lists it under Errors or Warnings), so that the
/// <c>cilium status</c> box and the findings tell the same story from one rule.
/// </summary>
public sealed record CliProblem(FindingDraft Finding, string? CliMessage, bool CliError);

/// <summary>The agent rules: container state, reads, subsystem states, controllers, staleness.</summary>
public static class AgentRules
{
    public static IEnumerable<CliProblem> Of(NodeSnapshot node, ControllerHistory? history, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(node);
        var subject = new FindingSubject { Node = node.Name };
        var agent = $"agent {node.AgentPod ?? "pod"} on {node.Name}";
        if (node.Container is { Running: false } container)
        {
            var why = container.WaitingReason is { } reason
                ? $"container cilium-agent is in {reason}" + (container.LastExitCode is { } code ? $", exited with code {code}" : "") + (container.Message is { Length: > 0 } m ? $": {m}" : "")
                : $"container cilium-agent is not running: try 'kubectl -n kube-system logs -c cilium-agent {node.AgentPod}'";
            yield return new CliProblem(new FindingDraft(FindingSeverity.Critical, FindingKinds.AgentUnreadable, subject with { Component = "cilium-agent" },
                $"cilium-agent on {node.Name} is not running" + (container.WaitingReason is { } r ? $" ({r})" : ""),
                [new Evidence($"Kubernetes pod {node.AgentPod}", why + $"; restarts: {container.RestartCount}")]), why, true);
            yield break;
        }

        if (node.Error is { } error)
        {
            var cli = $"unable to retrieve cilium status: {error}";
            yield return node.Status is null
                ? new CliProblem(new FindingDraft(FindingSeverity.Critical, FindingKinds.AgentUnreadable, subject,
                    $"the agent on {node.Name} could not be read", [new Evidence(agent, error)]), cli, true)
                : new CliProblem(new FindingDraft(FindingSeverity.Warning, FindingKinds.AgentStale, subject,
                    $"showing stale data for {node.Name}: the latest read failed",
                    [new Evidence(agent, error), new Evidence("dashboard", $"last good read {Ago(now, node.LastUpdated)}")]), cli, true);
        }

        if (node.Status is not { } status)
        {
            yield break;
        }

        foreach (var (name, s) in Subsystems(status))
        {
            if (s?.State is "Warning" or "Failure")
            {
                var severity = s.State == "Failure" ? FindingSeverity.Critical : FindingSeverity.Warning;
                yield return new CliProblem(new FindingDraft(severity, FindingKinds.AgentNotOk, subject with { Component = name },
                    $"{name} on {node.Name} is {s.State}" + (s.Message is { Length: > 0 } m ? $": {m}" : ""),
                    [new Evidence($"cilium status on {node.Name}", $"{name}: {s.State} {s.Message}".TrimEnd())]), $"{name}: {s.Message}", s.State == "Failure");
            }
        }

        foreach (var controller in status.Controllers?.Where(x => x.Failing) ?? [])
        {
            var since = controller.LastFailure is { } at ? GoDurations.Format(now - at) : "never";
            var record = history?.Get(node.Name, controller.Name);
            var flapping = record is not null && ControllerHistory.IsFlapping(record, now);
            var evidence = new List<Evidence>
            {
                new($"cilium status on {node.Name}", $"{controller.ConsecutiveFailureCount} consecutive failures ({controller.FailureCount} in all), last success {(controller.LastSuccess is { } ls ? ls.ToString("u") : "never")}"),
            };
            if (flapping)
            {
                evidence.Add(new Evidence("dashboard controller history", $"{record!.Episodes.Count(e => now - e.Start <= ControllerHistory.FlapWindow)} failure episodes in the last hour"));
            }

            yield return new CliProblem(new FindingDraft(FindingSeverity.Warning, FindingKinds.ControllerFailing, subject with { Controller = controller.Name },
                $"controller {controller.Name} on {node.Name} is failing{(flapping ? " (flapping)" : "")}: {controller.LastFailureMessage}", evidence,
                record?.Open?.Start),
                $"controller {controller.Name} is failing since {since} ({controller.ConsecutiveFailureCount}x): {controller.LastFailureMessage}", true);
        }

        foreach (var (probe, since) in status.Stale ?? new Dictionary<string, string>())
        {
            yield return new CliProblem(new FindingDraft(FindingSeverity.Warning, FindingKinds.AgentNotOk, subject with { Component = probe },
                $"the agent on {node.Name} reports a stale status probe {probe}", [new Evidence($"cilium status on {node.Name}", $"since {since}")]), null, false);
        }
    }

    /// <summary>Controllers that keep failing and recovering, though healthy in the latest read.</summary>
    public static IEnumerable<FindingDraft> Flapping(IReadOnlyList<NodeSnapshot> nodes, ControllerHistory history, DateTimeOffset now)
    {
        var failingNow = nodes.SelectMany(n => (n.Status?.Controllers ?? []).Where(c => c.Failing).Select(c => (n.Name, c.Name))).ToHashSet();
        foreach (var record in history.All())
        {
            if (record.Open is null && !failingNow.Contains((record.Node, record.Controller)) && ControllerHistory.IsFlapping(record, now))
            {
                var recent = record.Episodes.Where(e => now - e.Start <= ControllerHistory.FlapWindow).ToList();
                yield return new FindingDraft(FindingSeverity.Warning, FindingKinds.ControllerFlapping,
                    new FindingSubject { Node = record.Node, Controller = record.Controller },
                    $"controller {record.Controller} on {record.Node} is flapping: {recent.Count} failures in the last hour, healthy now",
                    [new Evidence("dashboard controller history", $"last failure: {recent[^1].LastMessage}")]);
            }
        }
    }

    /// <summary>cilium-health could not be read on this node (its agent could).</summary>
    public static FindingDraft? Health(NodeSnapshot node) =>
        node.HealthError is { } he && node.Error is null && node.Container is not { Running: false }
            ? new FindingDraft(FindingSeverity.Warning, FindingKinds.HealthUnreadable, new FindingSubject { Node = node.Name, Component = "cilium-health" },
                $"cilium-health on {node.Name} could not be read", [new Evidence($"cilium-health on {node.Name}", he)])
            : null;

    private static string Ago(DateTimeOffset now, DateTimeOffset? at) => at is { } t ? GoDurations.Format(now - t) + " ago" : "never";

    private static IEnumerable<(string Name, SubsystemStatus? Status)> Subsystems(AgentStatus s)
    {
        yield return ("Cilium", s.Cilium);
        yield return ("Health", s.Cluster?.CiliumHealth);
        yield return ("Hubble", s.Hubble is { } h ? new SubsystemStatus(h.State, h.Message) : null);
        yield return ("Kubernetes", s.Kubernetes is { } k ? new SubsystemStatus(k.State, k.Message) : null);
        yield return ("Kvstore", s.Kvstore);
        yield return ("AuthCertificateProvider", s.AuthCertificateProvider);
    }
}
