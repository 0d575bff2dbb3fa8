using System.Text;
using CiliumDash.Findings;
using CiliumDash.Metrics;

namespace CiliumDash.Alerts;

/// <summary>Whether a finding has an alert in Alertmanager, and if so whether it is silenced.</summary>
public enum AlertState
{
    None,
    Firing,
    Silenced,
}

/// <summary>What the UI shows beside a finding: its alert state and the link that opens a silence for it.</summary>
public sealed record FindingAlertView(AlertState State, Uri? SilenceUrl);

/// <summary>
/// Which alert of deploy/prometheus/ciliumdash-rules.yaml is about which finding: the alert names of the rule file by
/// finding kind, and the labels a rule carries over from the finding's series (node, controller, map, subject).
/// </summary>
public static class FindingAlerts
{
    public static readonly IReadOnlyDictionary<string, string> AlertByKind = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [FindingKinds.AgentUnreadable] = "CiliumAgentNotReady",
        [FindingKinds.AgentNotOk] = "CiliumAgentNotReady",
        [FindingKinds.ControllerFailing] = "CiliumControllerFailing",
        [FindingKinds.ControllerFlapping] = "CiliumControllerFlapping",
        [FindingKinds.EndpointUnreachable] = "CiliumEndpointUnreachable",
        [FindingKinds.NodeUnreachable] = "CiliumNodeUnreachable",
        [FindingKinds.MapPressure] = "CiliumBpfMapPressure",
        [FindingKinds.MapForecastFull] = "CiliumBpfMapForecastFull",
        [FindingKinds.HubbleLostEvents] = "HubbleLostEvents",
        [FindingKinds.RelayDown] = "HubbleRelayDown",
    };

    /// <summary>The matchers an alert about this finding carries (alertname first); empty when no rule alerts on its kind.</summary>
    public static IReadOnlyList<(string Label, string Value)> Matchers(Finding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        if (!AlertByKind.TryGetValue(finding.Kind, out var name))
        {
            return [];
        }

        var s = finding.Subject;
        var matchers = new List<(string, string)> { ("alertname", name) };
        if (s.Node is { } node)
        {
            matchers.Add(("node", node));
        }

        if (s.Controller is { } controller && finding.Kind == FindingKinds.ControllerFailing)
        {
            matchers.Add(("controller", controller));
        }
        else if (s.Map is { } map)
        {
            matchers.Add(("map", map));
        }
        else if (finding.Kind is FindingKinds.ControllerFlapping or FindingKinds.HubbleLostEvents or FindingKinds.AgentNotOk or FindingKinds.AgentUnreadable)
        {
            matchers.Add(("subject", CiliumDashMeter.SubjectOf(s)));
        }

        return matchers;
    }

    public static FindingAlertView For(Finding finding, AlertSnapshot alerts, Uri? alertmanager)
    {
        ArgumentNullException.ThrowIfNull(alerts);
        var matchers = Matchers(finding);
        if (alertmanager is null || matchers.Count == 0)
        {
            return new FindingAlertView(AlertState.None, null);
        }

        var matching = alerts.Alerts.Where(a => matchers.All(m => a.Label(m.Label) == m.Value)).ToList();
        var state = matching.Count == 0 ? AlertState.None : matching.All(a => a.Silenced) ? AlertState.Silenced : AlertState.Firing;
        return new FindingAlertView(state, SilenceUrl(alertmanager, matchers));
    }

    /// <summary>Alertmanager's "new silence" form with the matchers filled in.</summary>
    public static Uri SilenceUrl(Uri alertmanager, IReadOnlyList<(string Label, string Value)> matchers)
    {
        ArgumentNullException.ThrowIfNull(alertmanager);
        ArgumentNullException.ThrowIfNull(matchers);
        var filter = new StringBuilder("{");
        filter.AppendJoin(',', matchers.Select(m => $"{m.Label}=\"{m.Value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\""));
        filter.Append('}');
        var baseUrl = alertmanager.ToString().TrimEnd('/');
        return new Uri($"{baseUrl}/#/silences/new?filter={Uri.EscapeDataString(filter.ToString())}");
    }
}
