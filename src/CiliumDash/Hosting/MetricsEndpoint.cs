using System.Globalization;
using System.Text;
using CiliumDash.Cluster;
using CiliumDash.Findings;
using CiliumDash.Flows;
using CiliumDash.Push;
using CiliumDash.Shared;
using CiliumDash.Agents;
using CiliumDash.Events;

namespace CiliumDash.Hosting;

/// <summary>
/// <c>/metrics</c> in the Prometheus text format: the dashboard's own figures (flows in and dropped, poll durations
/// and failures per node, source states, connected clients) — not Cilium's, which the agents export themselves.
/// With a sign-in mode it is behind the same access policy as every page, which also admits the scrape token
/// (<c>CiliumDash:Metrics:ScrapeToken</c>, see <see cref="ScrapeTokenAuthentication"/>) here and only here.
/// </summary>
public static class MetricsEndpoint
{
    public static void MapMetrics(this IEndpointRouteBuilder app) =>
        app.MapGet("/metrics", (ClusterStore cluster, FlowStore flows, CircuitCounter circuits, PushConnections hub, FindingsEngine findings, ClusterEventStore events) =>
            Results.Text(Render(cluster, flows, circuits, hub, findings.Current, events), "text/plain; version=0.0.4; charset=utf-8"));

    public static string Render(ClusterStore cluster, FlowStore flows, CircuitCounter circuits, PushConnections hub, FindingSet findings, ClusterEventStore? events = null)
    {
        var w = new StringBuilder();
        Metric(w, "ciliumdash_flows_received_total", "counter", "Flows received from hubble-relay.", flows.Received);
        Metric(w, "ciliumdash_flows_evicted_total", "counter", "Flows that left the live window because newer ones arrived.", flows.Evicted);
        Metric(w, "ciliumdash_flows_window", "gauge", "Flows in the live window.", flows.Count);
        Header(w, "ciliumdash_hubble_lost_events_total", "counter", "Events Hubble reported lost, by source.");
        foreach (var (source, count) in flows.LostBySource())
        {
            Sample(w, "ciliumdash_hubble_lost_events_total", count, ("source", source));
        }

        Metric(w, "ciliumdash_relay_connected", "gauge", "1 when the hubble-relay flow stream is connected.", flows.Relay.State == SourceState.Connected ? 1 : 0);
        Metric(w, "ciliumdash_agents_connected", "gauge", "1 when the agent source (Kubernetes API or local sockets) answers.", cluster.AgentSource.State == SourceState.Connected ? 1 : 0);
        Header(w, "ciliumdash_source_state", "gauge", "1 for each source's current state (Failed: its loop ended and is not retried), 0 for the others.");
        foreach (var source in new[] { cluster.AgentSource, flows.Relay, events?.Health }.OfType<SourceHealth>())
        {
            foreach (var state in Enum.GetValues<SourceState>())
            {
                Sample(w, "ciliumdash_source_state", source.State == state ? 1 : 0, ("source", source.Name), ("state", state.ToString()));
            }
        }
        if (events is not null)
        {
            Metric(w, "ciliumdash_cluster_events_total", "counter", "Cluster events seen on the Kubernetes API (agent restarts, upgrades, nodes, network policies).", events.Total);
        }

        Header(w, "ciliumdash_nodes", "gauge", "Nodes by the agent's own state.");
        foreach (var group in cluster.Nodes.GroupBy(n => n.State).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            Sample(w, "ciliumdash_nodes", group.Count(), ("state", group.Key));
        }

        var polls = cluster.PollMetrics.Snapshot();
        Header(w, "ciliumdash_node_poll_duration_seconds", "gauge", "Duration of the last read of each node's agent.");
        foreach (var (node, p) in polls)
        {
            Sample(w, "ciliumdash_node_poll_duration_seconds", p.LastSeconds, ("node", node));
        }

        Header(w, "ciliumdash_node_poll_failures_total", "counter", "Failed reads of each node's agent.");
        foreach (var (node, p) in polls)
        {
            Sample(w, "ciliumdash_node_poll_failures_total", p.Failures, ("node", node));
        }

        Metric(w, "ciliumdash_ui_notifications_merged_total", "counter", "Store change notifications merged into a later push (throttling).",
            cluster.Changed.Merged + flows.Changed.Merged);
        Header(w, "ciliumdash_connected_clients", "gauge", "Connected clients by kind.");
        Sample(w, "ciliumdash_connected_clients", circuits.Open, ("kind", "blazor"));
        Sample(w, "ciliumdash_connected_clients", hub.Count, ("kind", "hub"));
        // Bounded: kinds are a fixed list and severities three; a kind with no findings has no series.
        Header(w, "ciliumdash_findings", "gauge", "Current findings of the diagnosis engine, by severity and kind.");
        foreach (var (severity, kind, count) in findings.Counts())
        {
            Sample(w, "ciliumdash_findings", count, ("severity", FindingsApi.Severity(severity)), ("kind", kind));
        }

        Metric(w, "ciliumdash_hub_stalled_clients", "gauge", "Hub connections whose current send has waited over 5 s: the client stopped reading (closed at 10 s).", hub.Stalled);

        return w.ToString();
    }

    private static void Metric(StringBuilder w, string name, string type, string help, double value)
    {
        Header(w, name, type, help);
        Sample(w, name, value);
    }

    private static void Header(StringBuilder w, string name, string type, string help) =>
        w.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n').Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');

    private static void Sample(StringBuilder w, string name, double value, params (string Key, string Value)[] labels)
    {
        w.Append(name);
        if (labels.Length > 0)
        {
            w.Append('{').AppendJoin(',', labels.Select(l => $"{l.Key}=\"{Escape(l.Value)}\"")).Append('}');
        }

        w.Append(' ').Append(value.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
    }

    /// <summary>Label values may hold anything a node name can: escape as the text format requires.</summary>
    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
