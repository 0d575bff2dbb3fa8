using CiliumDash.Connectivity;
using CiliumDash.Findings;

namespace CiliumDash.Components.Controls;

/// <summary>
/// Where a finding's subject is shown in detail (relative links, so the app works under a path base): the page an
/// operator opens next from a finding. One place, so the overview, the node page and every marker link alike.
/// </summary>
public static class FindingLinks
{
    public static string Href(Finding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        var s = finding.Subject;
        return finding.Kind switch
        {
            FindingKinds.ControllerFailing or FindingKinds.ControllerFlapping => "controllers",
            FindingKinds.MapPressure => "bpf-maps",
            FindingKinds.Drift when s.Map is not null || s.Component == "BPF map sizes" => "bpf-maps",
            FindingKinds.Drift => "drift",
            FindingKinds.ProbeFailing or FindingKinds.RttDegraded when s.Node is not null && s.Peer is not null => ConnectivityLinks.Pair(s.Node, s.Peer),
            FindingKinds.EndpointUnreachable or FindingKinds.HostUnreachable or FindingKinds.NodeUnreachable
                or FindingKinds.ProbeFailing or FindingKinds.RttDegraded or FindingKinds.HealthUnreadable => "connectivity",
            FindingKinds.HubbleLostEvents or FindingKinds.RelayNodeUnavailable => "flows/summary",
            FindingKinds.RelayDown or FindingKinds.SourceDown or FindingKinds.ExecDisabled => "diagnostics",
            _ when s.Node is not null => Node(s.Node),
            _ => "nodes",
        };
    }

    public static string Node(string name) => $"nodes/{Uri.EscapeDataString(name)}";

    /// <summary>The words of the link: the page it opens.</summary>
    public static string Label(Finding finding) => Href(finding) switch
    {
        "controllers" => "controllers",
        "bpf-maps" => "BPF maps",
        "drift" => "drift",
        "flows/summary" => "flow summary",
        "diagnostics" => "diagnostics",
        "nodes" => "nodes",
        var h when h.StartsWith("connectivity", StringComparison.Ordinal) => "connectivity",
        _ => "node page",
    };
}
