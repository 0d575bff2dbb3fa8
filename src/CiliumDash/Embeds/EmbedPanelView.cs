using System.Globalization;
using CiliumDash.Cluster;
using CiliumDash.Connectivity;
using CiliumDash.Contract;
using CiliumDash.Findings;
using CiliumDash.Flows;
using CiliumDash.Flows.Query;
using CiliumDash.Shared;
using Microsoft.Extensions.Primitives;

namespace CiliumDash.Embeds;

/// <summary>
/// One table row of a panel; <see cref="State"/> is the word that colours it (as <see cref="StateTones"/> reads it),
/// and <see cref="Detail"/> the words after the coloured last cell (a finding's summary beside its severity).
/// </summary>
public sealed record PanelRow(IReadOnlyList<string> Cells, string? State = null, string? Detail = null);

/// <summary>What an embed shows, the same for the live page and the SVG image: a title, a small table, a note.</summary>
public sealed record PanelView(string Title, IReadOnlyList<string> Columns, IReadOnlyList<PanelRow> Rows, string? Note, string? Error = null)
{
    public static PanelView Failed(string title, string error) => new(title, [], [], null, error);
}

/// <summary>
/// Lays out each panel from the read model's records, the same ones the pages and the REST API render: this class
/// only picks rows and words, it judges nothing. Flow panels run the flow query with the viewer's scope.
/// </summary>
public sealed class EmbedPanelBuilder(ClusterReadModel cluster, ConnectivityStore connectivity, FlowStore flows, FindingsEngine findings)
{
    public const int MaxRows = 50;

    /// <summary>Query keys that shape an embed, not which flows match; they are not flow filters.</summary>
    private static readonly HashSet<string> Presentation = new(StringComparer.Ordinal) { "theme", "width", "height", "sig", "exp", "rows" };

    private static readonly ConnectivitySnapshotOptions NoPairs = new(Events: 0, MaxNodesWithPairs: 0);

    public PanelView Build(string panel, IEnumerable<KeyValuePair<string, StringValues>> query, AccessScope scope)
    {
        var pairs = query.ToList();
        var rows = Math.Clamp(int.TryParse(pairs.FirstOrDefault(p => p.Key == "rows").Value.FirstOrDefault(), CultureInfo.InvariantCulture, out var r) ? r : 15, 1, MaxRows);
        return panel switch
        {
            EmbedPanels.Cluster => ClusterView(),
            EmbedPanels.Node => NodeView(pairs.FirstOrDefault(p => p.Key == "name").Value.FirstOrDefault()),
            EmbedPanels.Controllers => ControllersView(rows),
            EmbedPanels.BpfMaps => MapsView(rows),
            EmbedPanels.Connectivity => ConnectivityView(),
            EmbedPanels.Flows => FlowsView(pairs, scope, rows),
            EmbedPanels.DropReasons => DropsView(pairs, scope, rows),
            _ => PanelView.Failed("CiliumDash", EmbedPanels.Unknown(panel)),
        };
    }

    private PanelView ClusterView()
    {
        var c = cluster.ClusterOverview();
        var list = new List<PanelRow>
        {
            new(["Nodes", $"{c.Nodes.Ready}/{c.Nodes.Total} ready"], c.Nodes.Ready == c.Nodes.Total && c.Nodes.Total > 0 ? "Ok" : "Warning"),
        };
        list.AddRange(c.Components.Select(x => new PanelRow([x.Name, $"{x.State} ({x.Ready}/{x.Desired} ready)"], x.State)));
        list.Add(new(["Hubble Relay", c.Relay.State], c.Relay.State));
        // The diagnosis, worst first, in the severity words and colours of every page (cilium-cli's own lines are
        // among them: the findings derive from the same rules).
        var judged = findings.Current.All;
        list.AddRange(judged.Take(8).Select(f => new PanelRow(["Finding", FindingsApi.Severity(f.Severity)], FindingsApi.Severity(f.Severity), f.Summary)));
        var note = judged.Count > 8 ? $"{judged.Count - 8} more findings · {Updated(c.LastUpdated)}" : judged.Count == 0 && findings.Current.Version > 0 ? $"no findings · {Updated(c.LastUpdated)}" : Updated(c.LastUpdated);
        return new PanelView("Cluster", ["", ""], list, note);
    }

    private PanelView NodeView(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return PanelView.Failed("Node", "name the node: /embed/node?name=<node>");
        }

        if (cluster.NodeRow(name) is not { } n)
        {
            return PanelView.Failed("Node", $"node '{name}' is not known to the dashboard");
        }

        var list = new List<PanelRow>
        {
            new(["Cilium", n.Stale ? $"{n.State} (stale: {n.Error})" : n.State], n.Stale ? null : n.State),
            new(["Version", Or(n.CiliumVersion)]),
            new(["Controllers", $"{n.Controllers.Failing} failing of {n.Controllers.Total}"], n.Controllers.Failing > 0 ? "Error" : "Ok"),
            new(["KubeProxyReplacement", Or(n.KubeProxyReplacementMode)]),
        };
        if (n.Health is { } h)
        {
            list.Add(new(["Cluster health", $"{h.Reachable}/{h.Total} reachable"], h.Reachable == h.Total ? "Ok" : "Warning"));
        }

        var about = findings.Current.AboutNode(n.Name);
        list.AddRange(about.Take(5).Select(f => new PanelRow(["Finding", FindingsApi.Severity(f.Severity)], FindingsApi.Severity(f.Severity), f.Summary)));
        if (about.Count == 0 && findings.Current.Version > 0)
        {
            list.Add(new(["Findings", "none"], "Ok"));
        }

        return new PanelView($"Node {n.Name}", ["", ""], list, Updated(n.LastUpdated));
    }

    private PanelView ControllersView(int rows)
    {
        var failing = cluster.FailingControllers();
        var list = failing.Take(rows).Select(c => new PanelRow([c.Node, c.Name, N(c.ConsecutiveFailureCount), c.LastFailureMessage ?? ""], "Error")).ToList();
        var note = failing.Count == 0 ? $"No controller is failing on any node ({cluster.NodeCount} nodes read)." : More(failing.Count, list.Count);
        return new PanelView($"Failing controllers ({failing.Count})", ["Node", "Controller", "Consecutive", "Last message"], list, note);
    }

    private PanelView MapsView(int rows)
    {
        // The maps an operator sizes first (conntrack, NAT, tunnel) lead, so a short image still shows them; the
        // note names the nodes the sizes come from.
        var maps = cluster.BpfMapSizes().OrderBy(m => DatapathRank(m.Name)).ThenBy(m => m.Name, StringComparer.Ordinal).ToList();
        var list = maps.Take(rows).Select(m => m.Differs
            ? new PanelRow([m.Name, $"{N(m.Min)} – {N(m.Max)} (differs between nodes)"], "Warning")
            : new PanelRow([m.Name, N(m.Max)])).ToList();
        var nodes = cluster.NodeRows().Select(n => n.Name).ToList();
        var on = nodes.Count switch
        {
            0 => "",
            <= 3 => $"on {string.Join(", ", nodes)}",
            _ => $"on {nodes.Count} nodes ({string.Join(", ", nodes.Take(2))}, …)",
        };
        return new PanelView("BPF map sizes", ["Map", "Max entries"], list, maps.Count == 0 ? "No node reported its BPF maps yet." : $"{on} · {More(maps.Count, list.Count)}".Trim(' ', '·'));
    }

    private static int DatapathRank(string map) =>
        map.Contains("_ct", StringComparison.Ordinal) ? 0
        : map.Contains("nat", StringComparison.Ordinal) ? 1
        : map.Contains("tunnel", StringComparison.Ordinal) ? 2
        : 3;

    private PanelView ConnectivityView()
    {
        // A node's colour is what the findings say about it (its peers failing to reach it), not its own outbound
        // report: in the EC2 case the broken node reaches everyone, and everyone else reports 1 unreachable.
        var matrix = connectivity.Snapshot(NoPairs);
        var judged = findings.Current;
        var list = matrix.NodeDetails.Where(n => n.Polled).Select(n =>
            {
                var report = n.Reporting ? $"{n.Reachable}/{n.Total} reachable" : n.ReadError ?? "not probed yet";
                return judged.WorstAbout(n.Name, FindingKindGroups.Connectivity) is { } f
                    ? (Rank: (int)f.Severity, Row: new PanelRow([n.Name, report, FindingsApi.Severity(f.Severity)], FindingsApi.Severity(f.Severity), f.Summary))
                    : (Rank: int.MaxValue, Row: new PanelRow([n.Name, report, n.Reporting ? "reachable" : "not probed yet"], n.Reporting ? "reachable" : null));
            })
            .OrderBy(x => x.Rank).Select(x => x.Row).ToList();
        return new PanelView("Cluster health", ["Node", "Its probes", "Its peers"], list, matrix.Summary.Line);
    }

    private PanelView FlowsView(List<KeyValuePair<string, StringValues>> query, AccessScope scope, int rows)
    {
        if (ParseFilter(query) is not { Query: { } q })
        {
            return PanelView.Failed("Flows", ParseFilter(query).Error!);
        }

        var page = flows.Query(q.Restrict(scope), 0, rows);
        var list = page.Rows.Select(FlowsApi.Row).Select(f => new PanelRow(
            [f.Time.UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture), Side(f.Source), Side(f.Destination) + (f.L4.DestinationPort is { } p ? $":{p}" : ""), f.DropReason is null ? f.Verdict : $"{f.Verdict} {f.DropReason}"],
            f.Verdict)).ToList();
        return new PanelView($"Flows{Described(q)}", ["Time (UTC)", "Source", "Destination", "Verdict"], list,
            page.Matched == 0 ? "No flow in the live window matches." : $"{N(page.Matched)} matching flows in the live window");
    }

    private PanelView DropsView(List<KeyValuePair<string, StringValues>> query, AccessScope scope, int rows)
    {
        if (ParseFilter(query) is not { Query: { } q })
        {
            return PanelView.Failed("Drop reasons", ParseFilter(query).Error!);
        }

        var droppedOnly = q.WithTerms(q.Terms.Append(new FlowQueryTerm("verdict", "DROPPED", false)));
        var summary = FlowsApi.Summary(flows, droppedOnly.Restrict(scope), scope);
        var list = summary.DropReasons.Take(rows).Select(g => new PanelRow([g.Name, N(g.Count)], "DROPPED")).ToList();
        return new PanelView($"Drop reasons{Described(q)}", ["Reason", "Flows"], list,
            summary.Window.Matched == 0 ? "No dropped flow in the live window." : $"{N(summary.Window.Matched)} dropped flows in the live window");
    }

    /// <summary>The panel's flow filter: its query string less the keys that shape the embed.</summary>
    private static FlowQueryParseResult ParseFilter(IEnumerable<KeyValuePair<string, StringValues>> query) =>
        Flows.Query.FlowQuery.TryParse(string.Join('&', query.Where(p => !Presentation.Contains(p.Key))
            .SelectMany(p => p.Value.Select(v => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(v ?? "")}"))));

    private static string Problem(ProblemDto p) => p.Node is null ? $"{p.Component}: {p.Message}" : $"{p.Component} on {p.Node}: {p.Message}";

    private static string Described(FlowQuery query) => query.ToQueryString() is { Length: > 0 } text ? $" ({Uri.UnescapeDataString(text)})" : "";

    private static string Side(FlowEndpointDto e) => e.Pod.Length > 0 ? $"{e.Namespace}/{e.Pod}" : e.Ip;

    private static string? More(int total, int shown) => total > shown ? $"{total - shown} more not shown" : null;

    private static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    private static string Or(string? value) => string.IsNullOrEmpty(value) ? "not reported" : value;

    // The data's own time, not the clock's, so an unchanged panel keeps its ETag.
    private static string Updated(DateTimeOffset? at) => at is { } t ? $"as of {t.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC" : "not read yet";
}
