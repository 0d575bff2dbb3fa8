using CiliumDash.Agents;

namespace CiliumDash.Cluster;

/// <summary>
/// A node's problems in cilium-cli's words (container state, exec errors, subsystem states, failing controllers),
/// so the dashboard and the terminal tell the same story.
/// </summary>
public static class NodeProblems
{
    private const string Component = "cilium";

    public static IEnumerable<(ClusterProblem Problem, bool Severe)> Of(NodeSnapshot node, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (node.Container is { Running: false } container)
        {
            var why = container.WaitingReason is { } reason
                ? $"container cilium-agent is in {reason}" + (container.LastExitCode is { } code ? $", exited with code {code}" : "") + (container.Message is { Length: > 0 } m ? $": {m}" : "")
                : $"container cilium-agent is not running: try 'kubectl -n kube-system logs -c cilium-agent {node.AgentPod}'";
            yield return (Problem(node, why), true);
            yield break;
        }

        if (node.Error is { } error)
        {
            yield return (Problem(node, $"unable to retrieve cilium status: {error}"), true);
        }

        if (node.Status is not { } status)
        {
            yield break;
        }

        foreach (var (name, s) in Subsystems(status))
        {
            if (s?.State is "Warning" or "Failure")
            {
                yield return (Problem(node, $"{name}: {s.Message}"), s.State == "Failure");
            }
        }

        foreach (var controller in status.Controllers?.Where(x => x.Failing) ?? [])
        {
            var since = controller.LastFailure is { } at ? ClusterSummaryBuilder.Duration(now - at) : "never";
            yield return (Problem(node, $"controller {controller.Name} is failing since {since} ({controller.ConsecutiveFailureCount}x): {controller.LastFailureMessage}"), true);
        }
    }

    /// <summary>Everything the node page lists at the top: cilium-cli's problems plus what only we notice.</summary>
    public static List<(string Text, bool Severe)> For(NodeSnapshot node, DateTimeOffset now)
    {
        var list = Of(node, now).Select(p => (p.Problem.Message, p.Severe)).ToList();
        if (node.Stale)
        {
            list.Add(($"showing data from {ClusterSummaryBuilder.Duration(now - node.LastUpdated!.Value)} ago: the last read failed", false));
        }

        foreach (var (probe, since) in node.Status?.Stale ?? new Dictionary<string, string>())
        {
            list.Add(($"stale status probe {probe} (since {since})", false));
        }

        if (node.HealthError is { } he && node.Error is null)
        {
            list.Add(($"cilium-health: {he}", false));
        }

        if (node.Health is { } h && h.Reachable < h.Total)
        {
            list.Add(($"Cluster health: {h.Reachable}/{h.Total} reachable", true));
        }

        list.AddRange((node.Status?.ParseWarnings ?? []).Select(w => ($"status document: {w}", false)));

        // Our own check (cilium-cli does not look at map sizes): a full map refuses new entries, e.g. new connections.
        list.AddRange((node.MapPressure?.OverHigh ?? []).Select(m => ($"BPF map {m.MapName} is {(m.Ratio * 100).ToString("0.#", System.Globalization.CultureInfo.InvariantCulture)} % full", false)));
        return list;
    }

    private static IEnumerable<(string Name, SubsystemStatus? Status)> Subsystems(AgentStatus s)
    {
        yield return ("Cilium", s.Cilium);
        yield return ("Health", s.Cluster?.CiliumHealth);
        yield return ("Hubble", s.Hubble is { } h ? new SubsystemStatus(h.State, h.Message) : null);
        yield return ("Kubernetes", s.Kubernetes is { } k ? new SubsystemStatus(k.State, k.Message) : null);
        yield return ("Kvstore", s.Kvstore);
        yield return ("AuthCertificateProvider", s.AuthCertificateProvider);
    }

    private static ClusterProblem Problem(NodeSnapshot node, string message) => new(Component, node.Name, node.AgentPod, message);
}
