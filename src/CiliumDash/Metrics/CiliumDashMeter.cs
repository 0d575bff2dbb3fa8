using System.Diagnostics.Metrics;
using CiliumDash.Agents;
using CiliumDash.Connectivity;
using CiliumDash.Events;
using CiliumDash.Findings;
using CiliumDash.Findings.Forecasts;
using CiliumDash.Flows;
using CiliumDash.Shared;

namespace CiliumDash.Metrics;

/// <summary>Figures owned by the composition root (Blazor circuits, hub connections), passed in as readers.</summary>
public sealed record ClientCounts(Func<int> Circuits, Func<int> HubConnections, Func<int> HubStalled);

/// <summary>
/// The dashboard's meter (<see cref="Name"/>): its own figures and the findings as series, all observable instruments
/// read at scrape time from the stores and <see cref="FindingsEngine.Current"/> — the meter never judges; every
/// finding-shaped series comes from the engine. Two histograms (poll and probe durations) are fed by the stores' hooks.
/// </summary>
public sealed class CiliumDashMeter
{
    public const string Name = "CiliumDash";

    private static readonly SourceState[] States = Enum.GetValues<SourceState>();

    private readonly ClusterStore _cluster;
    private readonly FlowStore _flows;
    private readonly ConnectivityStore _connectivity;
    private readonly FindingsEngine _findings;
    private readonly ClientCounts _clients;
    private readonly ClusterEventStore? _events;
    private readonly HistoryHealth? _history;

    public CiliumDashMeter(IMeterFactory factory, ClusterStore cluster, FlowStore flows, ConnectivityStore connectivity, FindingsEngine findings, ClientCounts clients, ClusterEventStore? events = null, HistoryHealth? history = null)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(connectivity);
        _cluster = cluster;
        _flows = flows;
        _connectivity = connectivity;
        _findings = findings;
        _clients = clients;
        _events = events;
        _history = history;
#pragma warning disable CA2000 // the IMeterFactory owns its meters and disposes them with the host
        var meter = factory.Create(Name);
#pragma warning restore CA2000

        meter.CreateObservableCounter("ciliumdash_flows_received", () => _flows.Received, description: "Flows received from hubble-relay.");
        meter.CreateObservableCounter("ciliumdash_flows_evicted", () => _flows.Evicted, description: "Flows that left the live window because newer ones arrived.");
        meter.CreateObservableGauge("ciliumdash_flows_window", () => _flows.Count, description: "Flows in the live window.");
        meter.CreateObservableCounter("ciliumdash_hubble_lost_events", LostEvents, description: "Events Hubble reported lost, by source.");
        meter.CreateObservableCounter("ciliumdash_flows_dropped", DroppedByReason, description: "Dropped flows since start, by Cilium's drop reason.");
        meter.CreateObservableGauge("ciliumdash_drop_rate", DropRates, unit: "{drop}/s",
            description: $"Drops per second over the last minute for the top {SeriesBounds.DropTriples} (reason, source namespace, destination namespace) triples.");
        meter.CreateObservableGauge("ciliumdash_relay_connected", () => _flows.Relay.State == SourceState.Connected ? 1 : 0, description: "1 when the hubble-relay flow stream is connected.");
        meter.CreateObservableGauge("ciliumdash_agents_connected", () => _cluster.AgentSource.State == SourceState.Connected ? 1 : 0,
            description: "1 when the agent source (Kubernetes API or local sockets) answers.");
        meter.CreateObservableGauge("ciliumdash_source_state", SourceStates,
            description: "1 for each source's current state (Failed: its loop ended and is not retried), 0 for the others.");
        if (events is not null)
        {
            meter.CreateObservableCounter("ciliumdash_cluster_events", () => events.Total,
                description: "Cluster events seen on the Kubernetes API (agent restarts, upgrades, nodes, network policies).");
        }

        meter.CreateObservableGauge("ciliumdash_history_last_write_timestamp_seconds", HistoryLastWrite,
            description: "When the history store last took a write (Unix seconds); absent while recording is off or nothing was written yet.");
        meter.CreateObservableGauge("ciliumdash_nodes", Nodes, description: "Nodes by the agent's own state.");
        meter.CreateObservableGauge("ciliumdash_node_poll_duration_seconds", () => Polls(p => p.LastSeconds), description: "Duration of the last read of each node's agent.");
        meter.CreateObservableCounter("ciliumdash_node_poll_failures", () => Polls(p => (double)p.Failures), description: "Failed reads of each node's agent.");
        meter.CreateObservableGauge("ciliumdash_last_poll_timestamp_seconds", LastPoll,
            description: "When the dashboard last read any node's agent (Unix seconds); absent before the first read.");
        meter.CreateObservableCounter("ciliumdash_ui_notifications_merged", () => _cluster.Changed.Merged + _flows.Changed.Merged,
            description: "Store change notifications merged into a later push (throttling).");
        meter.CreateObservableGauge("ciliumdash_connected_clients", Clients, description: "Connected clients by kind.");
        meter.CreateObservableGauge("ciliumdash_hub_stalled_clients", () => _clients.HubStalled(),
            description: "Hub connections whose current send has waited over 5 s: the client stopped reading (closed at 10 s).");

        meter.CreateObservableGauge("ciliumdash_findings", FindingCounts, description: "Current findings of the diagnosis engine, by severity and kind.");
        meter.CreateObservableGauge("ciliumdash_finding", FindingSeries,
            description: $"1 while a finding holds (worst {SeriesBounds.Findings} first); subject = controller, map, peer, component or path as applicable.");
        meter.CreateObservableGauge("ciliumdash_finding_series_omitted", () => Math.Max(0, _findings.Current.All.Count - SeriesBounds.Findings),
            description: $"Findings not exported as ciliumdash_finding series (over the bound of {SeriesBounds.Findings}); ciliumdash_findings still counts them.");
        meter.CreateObservableGauge("ciliumdash_controller_failing", () => Controllers(c => 1),
            description: $"1 for each failing controller, by node and controller name (at most {SeriesBounds.ControllersPerNode} per node).");
        meter.CreateObservableGauge("ciliumdash_controller_consecutive_failures", () => Controllers(c => c.ConsecutiveFailureCount),
            description: "Consecutive failures of each failing controller.");
        meter.CreateObservableGauge("ciliumdash_bpf_map_fill_ratio", MapFill,
            description: $"BPF map fill (1 = full) as the agent reports it, for maps at or over {SeriesBounds.MapFillFloor:0.##} (the fullest {SeriesBounds.MapsPerNode} per node).");
        meter.CreateObservableGauge("ciliumdash_bpf_map_forecast_full_seconds", Forecasts, unit: "s",
            description: "Seconds until a map is full at its recent pace; only confident forecasts (a linear trend that fits) within 30 days.");
        meter.CreateObservableGauge("ciliumdash_node_peers", () => Reachability(r => r.Peers), description: "Peers that report probing each node.");
        meter.CreateObservableGauge("ciliumdash_node_peers_endpoint_unreachable", () => Reachability(r => r.EndpointDown + r.Down),
            description: "Peers that cannot reach each node's health endpoint (per node, never per pair).");
        meter.CreateObservableGauge("ciliumdash_node_peers_host_unreachable", () => Reachability(r => r.HostDown + r.Down),
            description: "Peers that cannot reach each node's host address (per node, never per pair).");

        var polls = meter.CreateHistogram("ciliumdash_poll_duration", unit: "s", description: "Duration of each read of one node's agent (status, health, metrics).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });
        cluster.PollMetrics.Observed = (duration, failed) => polls.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("outcome", failed ? "failed" : "ok"));
        var probes = meter.CreateHistogram("ciliumdash_health_probe_rtt", unit: "s", description: "Round trips of the cilium-health probes the agents report, by path.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1] });
        connectivity.ProbeObserved = (path, ns) => probes.Record(ns / 1e9, new KeyValuePair<string, object?>("path", path.Slug()));
    }

    /// <summary>The label a finding's subject is exported under: the most specific part that applies.</summary>
    public static string SubjectOf(FindingSubject subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        return subject.Controller ?? subject.Map ?? subject.Peer ?? subject.Component ?? subject.Path ?? "";
    }

    private static KeyValuePair<string, object?> Tag(string key, object? value) => new(key, value);

    private IEnumerable<Measurement<long>> LostEvents() =>
        _flows.LostBySource().Select(l => new Measurement<long>((long)l.Value, Tag("source", l.Key)));

    private IEnumerable<Measurement<long>> DroppedByReason() =>
        _flows.CountsByDropReason().Select(d => new Measurement<long>(d.Value, Tag("reason", d.Key)));

    private IEnumerable<Measurement<double>> DropRates() =>
        _flows.TopDrops(SeriesBounds.DropSpan, SeriesBounds.DropTriples).Select(d => new Measurement<double>(d.PerSecond,
            Tag("reason", d.Reason), Tag("source_namespace", d.SourceNamespace), Tag("destination_namespace", d.DestinationNamespace)));

    private IEnumerable<Measurement<double>> HistoryLastWrite()
    {
        if (_history?.State is { Enabled: true, LastWrite: { } last })
        {
            yield return new(last.ToUnixTimeMilliseconds() / 1000.0);
        }
    }

    private IEnumerable<Measurement<int>> SourceStates()
    {
        foreach (var source in new[] { _cluster.AgentSource, _flows.Relay, _events?.Health }.OfType<SourceHealth>())
        {
            foreach (var state in States)
            {
                yield return new(source.State == state ? 1 : 0, Tag("source", source.Name), Tag("state", state.ToString()));
            }
        }
    }

    private IEnumerable<Measurement<int>> Nodes() =>
        _cluster.Nodes.GroupBy(n => n.State).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => new Measurement<int>(g.Count(), Tag("state", g.Key)));

    private IEnumerable<Measurement<double>> Polls(Func<PollMetrics.NodePoll, double> value) =>
        _cluster.PollMetrics.Snapshot().Select(p => new Measurement<double>(value(p.Value), Tag("node", p.Key)));

    private IEnumerable<Measurement<double>> LastPoll()
    {
        var last = _cluster.Nodes.Select(n => n.LastAttempt).Max();
        return last is { } at ? [new Measurement<double>(at.ToUnixTimeMilliseconds() / 1000.0)] : [];
    }

    private IEnumerable<Measurement<int>> Clients() =>
        [new(_clients.Circuits(), Tag("kind", "blazor")), new(_clients.HubConnections(), Tag("kind", "hub"))];

    private IEnumerable<Measurement<int>> FindingCounts() =>
        _findings.Current.Counts().Select(c => new Measurement<int>(c.Count, Tag("severity", FindingsApi.Severity(c.Severity)), Tag("kind", c.Kind)));

    private IEnumerable<Measurement<int>> FindingSeries() =>
        // Worst first (the engine's order), so the bound never hides a critical finding behind warnings.
        _findings.Current.All.Take(SeriesBounds.Findings).Select(f => new Measurement<int>(1,
            Tag("kind", f.Kind), Tag("severity", FindingsApi.Severity(f.Severity)), Tag("node", f.Subject.Node ?? ""), Tag("subject", SubjectOf(f.Subject))));

    private IEnumerable<Measurement<long>> Controllers(Func<ControllerStatus, long> value) =>
        _cluster.Nodes.SelectMany(n => (n.Status?.Controllers ?? []).Where(c => c.Failing).Take(SeriesBounds.ControllersPerNode)
            .Select(c => new Measurement<long>(value(c), Tag("node", n.Name), Tag("controller", c.Name))));

    private IEnumerable<Measurement<double>> MapFill() =>
        _cluster.Nodes.SelectMany(n => (n.MapPressure?.Maps ?? []).Where(m => m.Ratio >= SeriesBounds.MapFillFloor && double.IsFinite(m.Ratio))
            .OrderByDescending(m => m.Ratio).Take(SeriesBounds.MapsPerNode)
            .Select(m => new Measurement<double>(m.Ratio, Tag("node", n.Name), Tag("map", m.MapName))));

    private IEnumerable<Measurement<double>> Forecasts() =>
        _findings.Forecasts.Where(f => f is { Confidence: ForecastConfidence.Confident, TimeToFull: not null })
            .GroupBy(f => f.Node).SelectMany(g => g.OrderBy(f => f.TimeToFull).Take(SeriesBounds.MapsPerNode))
            .Select(f => new Measurement<double>(f.TimeToFull!.Value.TotalSeconds, Tag("node", f.Node), Tag("map", f.Map)));

    private IEnumerable<Measurement<int>> Reachability(Func<NodeReachability, int> value) =>
        _connectivity.Reachability().Where(r => r.Peers > 0).Select(r => new Measurement<int>(value(r), Tag("node", r.Name)));
}
