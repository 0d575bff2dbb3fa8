using CiliumDash.Agents;
using CiliumDash.Flows;
using CiliumDash.Shared;

namespace CiliumDash.Findings.Rules;

/// <summary>The dashboard's own sources, hubble-relay's view of the nodes, and the Cilium workloads.</summary>
public static class SourceRules
{
    public static IEnumerable<FindingDraft> Sources(SourceHealth agents, SourceHealth relay, RelayServerStatus? server, bool execDisabled)
    {
        ArgumentNullException.ThrowIfNull(agents);
        ArgumentNullException.ThrowIfNull(relay);
        if (Down(agents))
        {
            yield return new FindingDraft(FindingSeverity.Critical, FindingKinds.SourceDown, new FindingSubject { Component = agents.Name },
                $"the agent source ({agents.Target}) does not answer: nothing on the agents is current",
                [new Evidence($"dashboard source {agents.Name}", $"{agents.State}: {agents.LastError}")], agents.LastErrorAt);
        }

        if (Down(relay))
        {
            yield return new FindingDraft(FindingSeverity.Critical, FindingKinds.RelayDown, new FindingSubject { Component = "hubble-relay" },
                $"hubble-relay not reachable at {relay.Target}: no live flows",
                [new Evidence("dashboard relay client", $"{relay.State}: {relay.LastError}")], relay.LastErrorAt);
        }

        if (relay.State == SourceState.Connected && server is { UnavailableNodes: > 0 } s)
        {
            var names = s.UnavailableNodeNames.Count > 0 ? s.UnavailableNodeNames : [""];
            foreach (var name in names)
            {
                yield return new FindingDraft(FindingSeverity.Warning, FindingKinds.RelayNodeUnavailable,
                    new FindingSubject { Node = name.Length > 0 ? name : null, Component = "hubble-relay" },
                    name.Length > 0 ? $"hubble-relay cannot reach the Hubble server on {name}: its flows are missing" : $"hubble-relay reports {s.UnavailableNodes} nodes unavailable: their flows are missing",
                    [new Evidence("hubble-relay ServerStatus", $"{s.ConnectedNodes} connected, {s.UnavailableNodes} unavailable")]);
            }
        }

        if (execDisabled)
        {
            yield return new FindingDraft(FindingSeverity.Info, FindingKinds.ExecDisabled, new FindingSubject { Component = "agents" },
                "agent status is not read: the readonly RBAC profile does not allow exec into the agent pods",
                [new Evidence("CiliumDash:Access:ReadOnlyProfile", "true")]);
        }
    }

    /// <summary>cilium-cli's checks of the Cilium DaemonSet and Deployments, in its words.</summary>
    public static IEnumerable<CliProblem> Workloads(ClusterWorkloads workloads)
    {
        ArgumentNullException.ThrowIfNull(workloads);
        foreach (var w in workloads.Components.Where(w => w.Exists))
        {
            var what = w.Kind == "DaemonSet" ? $"DaemonSet {w.Name}" : $"Deployment {w.Name}";
            var subject = new FindingSubject { Component = w.Name };
            var counts = new Evidence($"Kubernetes {what}", $"desired {w.Desired}, ready {w.Ready}, available {w.Available}, unavailable {w.Unavailable}, updated {w.Updated}");
            if (w.Desired - w.Ready > 0)
            {
                var text = $"{w.Desired - w.Ready} pods of {what} are not ready";
                yield return new CliProblem(new FindingDraft(FindingSeverity.Critical, FindingKinds.WorkloadNotReady, subject, text, [counts]), text, true);
            }

            var notAvailable = w.Unavailable - (w.Desired - w.Ready);
            if (notAvailable > 0)
            {
                var text = $"{notAvailable} pods of {what} are not available";
                yield return new CliProblem(new FindingDraft(FindingSeverity.Warning, FindingKinds.WorkloadNotAvailable, subject, text, [counts]), text, false);
            }

            if (!w.RolloutStarted)
            {
                var text = $"{w.Kind.ToLowerInvariant()} {w.Name} is updated but rollout has not started";
                yield return new CliProblem(new FindingDraft(FindingSeverity.Warning, FindingKinds.WorkloadRollout, subject, text, [counts]), text, true);
            }
            else if (w.Updated < w.Desired)
            {
                var text = $"{w.Kind.ToLowerInvariant()} {w.Name} is rolling out - {w.Updated} out of {w.Desired} pods updated";
                yield return new CliProblem(new FindingDraft(FindingSeverity.Info, FindingKinds.WorkloadRollout, subject, text, [counts]), text, true);
            }
        }
    }

    /// <summary>A source counts as down once it has failed; connecting for the first time is not (yet) a fault.</summary>
    private static bool Down(SourceHealth source) =>
        source.State == SourceState.Reconnecting || (source.State == SourceState.Connecting && source.LastError is not null);
}
