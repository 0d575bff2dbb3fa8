using System.Globalization;
using CiliumDash.Cluster;
using CiliumDash.Components.Controls;
using CiliumDash.Flows;
using CiliumDash.Push;
using Microsoft.Extensions.Primitives;
using CiliumDash.Shared;
using CiliumDash.Agents;

namespace CiliumDash.Embeds;

/// <summary>One table row of a panel; <see cref="State"/> is the word that colours it (as StateColors reads it).</summary>
public sealed record PanelRow(IReadOnlyList<string> Cells, string? State = null);

/// <summary>What an embed shows, the same for the live page and the SVG image: a title, a small table, a note.</summary>
public sealed record PanelView(string Title, IReadOnlyList<string> Columns, IReadOnlyList<PanelRow> Rows, string? Note, string? Error = null)
{
    public static PanelView Failed(string title, string error) => new(title, [], [], null, error);
}

/// <summary>Builds each panel's view from the stores. Flow panels apply the filter and the viewer's scope.</summary>
public sealed class EmbedPanelBuilder(ClusterStore cluster, FlowStore flows, TimeProvider time)
{
    public const int MaxRows = 50;

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
        var nodes = cluster.Nodes;
        var summary = ClusterSummaryBuilder.Build(cluster.Workloads, nodes, time.GetUtcNow());
        var list = new List<PanelRow>
        {
            new(["Nodes", $"{summary.NodesReady}/{summary.NodesTotal} ready"], summary.NodesReady == summary.NodesTotal && summary.NodesTotal > 0 ? "Ok" : "Warning"),
        };
        list.AddRange(summary.Components.Select(c => new PanelRow([c.Name, $"{c.State} ({c.Ready}/{c.Desired} ready)"], c.State)));
        list.Add(new(["Hubble Relay", flows.Relay.State.ToString()], flows.Relay.State.ToString()));
        list.AddRange(summary.Errors.Take(5).Select(e => new PanelRow(["Error", Problem(e)], "Error")));
        list.AddRange(summary.Warnings.Take(5).Select(w => new PanelRow(["Warning", Problem(w)], "Warning")));
        return new PanelView("Cluster", ["", ""], list, Updated(nodes.Max(n => n.LastUpdated)));
    }

    private PanelView NodeView(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return PanelView.Failed("Node", "name the node: /embed/node?name=<node>");
        }

        if (cluster.GetNode(name) is not { } n)
        {
            return PanelView.Failed("Node", $"node '{name}' is not known to the dashboard");
        }

        var s = n.Status;
        var list = new List<PanelRow>
        {
            new(["Cilium", n.Stale ? $"{n.State} (stale: {n.Error})" : n.State], n.Stale ? null : n.State),
            new(["Version", Fmt.Or(s?.Version)]),
            new(["Controllers", $"{n.FailingControllers} failing of {s?.Controllers?.Count ?? 0}"], n.FailingControllers > 0 ? "Error" : "Ok"),
            new(["KubeProxyReplacement", Fmt.Or(s?.KubeProxyReplacement?.Mode)]),
        };
        if (n.Health is { } h)
        {
            list.Add(new(["Cluster health", $"{h.Reachable}/{h.Total} reachable"], h.Reachable == h.Total ? "Ok" : "Warning"));
        }

        return new PanelView($"Node {n.Name}", ["", ""], list, Updated(n.LastUpdated));
    }

    private PanelView ControllersView(int rows)
    {
        var failing = cluster.Nodes.SelectMany(n => (n.Status?.Controllers ?? []).Where(c => c.Failing).Select(c => (n.Name, c)))
            .OrderByDescending(x => x.c.ConsecutiveFailureCount).ToList();
        var list = failing.Take(rows).Select(x => new PanelRow([x.Name, x.c.Name, Fmt.N(x.c.ConsecutiveFailureCount), x.c.LastFailureMessage ?? ""], "Error")).ToList();
        var note = failing.Count == 0 ? $"No controller is failing on any node ({cluster.NodeCount} nodes read)." : More(failing.Count, list.Count);
        return new PanelView($"Failing controllers ({failing.Count})", ["Node", "Controller", "Consecutive", "Last message"], list, note);
    }

    private PanelView MapsView(int rows)
    {
        var maps = cluster.Nodes.Where(n => n.Status?.BpfMaps is not null)
            .SelectMany(n => n.Status!.BpfMaps!.Maps)
            .GroupBy(m => m.Name, StringComparer.Ordinal)
            .Select(g => (Name: g.Key, Min: g.Min(m => m.Size), Max: g.Max(m => m.Size)))
            .OrderBy(m => m.Name, StringComparer.Ordinal).ToList();
        var list = maps.Take(rows).Select(m => m.Min == m.Max
            ? new PanelRow([m.Name, Fmt.N(m.Max)])
            : new PanelRow([m.Name, $"{Fmt.N(m.Min)} – {Fmt.N(m.Max)} (differs between nodes)"], "Warning")).ToList();
        return new PanelView("BPF map sizes", ["Map", "Max entries"], list, maps.Count == 0 ? "No node reported its BPF maps yet." : More(maps.Count, list.Count));
    }

    private PanelView ConnectivityView()
    {
        var nodes = cluster.Nodes;
        var list = nodes.Select(n => n.Health is { } h
            ? new PanelRow([n.Name, $"{h.Reachable}/{h.Total} reachable"], h.Reachable == h.Total ? "reachable" : "unreachable")
            : new PanelRow([n.Name, n.HealthError ?? "not probed yet"])).ToList();
        return new PanelView("Cluster health", ["Node", "Peers"], list, Updated(nodes.Max(n => n.LastUpdated)));
    }

    private PanelView FlowsView(List<KeyValuePair<string, StringValues>> query, AccessScope scope, int rows)
    {
        if (!FlowTopicAdapter.TryParse(FilterText(query), out var filter, out var error))
        {
            return PanelView.Failed("Flows", error!);
        }

        var latest = FlowTopicAdapter.Latest(flows, filter, scope, rows, out var total);
        var list = latest.Select(f => new PanelRow(
            [f.Time.UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture), Side(f.Source), Side(f.Destination) + (f.DestinationPort is { } p ? $":{p}" : ""), f.DropReason is null ? f.Verdict : $"{f.Verdict} {f.DropReason}"],
            f.Verdict)).ToList();
        return new PanelView($"Flows{Described(filter)}", ["Time (UTC)", "Source", "Destination", "Verdict"], list,
            total == 0 ? "No flow in the live window matches." : $"{Fmt.N(total)} matching flows in the live window");
    }

    private PanelView DropsView(List<KeyValuePair<string, StringValues>> query, AccessScope scope, int rows)
    {
        if (!FlowTopicAdapter.TryParse(FilterText(query), out var filter, out var error))
        {
            return PanelView.Failed("Drop reasons", error!);
        }

        var droppedOnly = new FlowFilter(filter.Query.WithTerms(filter.Query.Terms.Append(new CiliumDash.Flows.Query.FlowQueryTerm("verdict", "DROPPED", false))));
        var dropped = FlowTopicAdapter.Latest(flows, droppedOnly, scope, flows.Capacity, out _);
        var reasons = dropped.GroupBy(f => f.DropReason ?? "unknown").Select(g => (Reason: g.Key, Count: g.Count())).OrderByDescending(g => g.Count).ToList();
        var list = reasons.Take(rows).Select(g => new PanelRow([g.Reason, Fmt.N(g.Count)], "DROPPED")).ToList();
        return new PanelView($"Drop reasons{Described(filter)}", ["Reason", "Flows"], list,
            reasons.Count == 0 ? "No dropped flow in the live window." : $"{Fmt.N(dropped.Count)} dropped flows in the live window");
    }

    private static string Problem(ClusterProblem p) => p.Node is null ? $"{p.Component}: {p.Message}" : $"{p.Component} on {p.Node}: {p.Message}";

    private static string FilterText(IEnumerable<KeyValuePair<string, StringValues>> query) =>
        string.Join('&', query.SelectMany(p => p.Value.Select(v => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(v ?? "")}")));

    private static string Described(FlowFilter filter) => filter.Text.Length == 0 ? "" : $" ({Uri.UnescapeDataString(filter.Text)})";

    private static string Side(FlowEndpoint e) => e.Pod.Length > 0 ? $"{e.Namespace}/{e.Pod}" : e.Ip;

    private static string? More(int total, int shown) => total > shown ? $"{total - shown} more not shown" : null;

    // The data's own time, not the clock's, so an unchanged panel keeps its ETag.
    private static string Updated(DateTimeOffset? at) => at is { } t ? $"as of {t.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC" : "not read yet";
}
