using CiliumDash.Flows;
using CiliumDash.Flows.Query;
using CiliumDash.Protocols.Hubble;
using CiliumDash.Shared;

namespace CiliumDash.ServiceMap;

/// <summary>
/// Turns an aggregate's finest-grain links into one view: team scope first (a team sees a link when either end is in
/// one of its namespaces, <see cref="AccessScope.AllowsFlow(string?, string?)"/>, the flows' own rule), then the
/// namespace filter, the hide list, and grouping (by namespace, by a label key, or automatically above
/// <see cref="ServiceMapQuery.MaxNodes"/> nodes, when namespaces not expanded collapse into one node each). Runs over
/// links, never over flows.
/// </summary>
internal static class MapProjection
{
    /// <summary>At most this many ports, policies... per link in a view (the most used first).</summary>
    public const int MaxListed = 20;

    public static string NamespaceId(string ns) => "namespace:" + ns;

    public static ServiceMapGraph Project(IEnumerable<MapEdge> edges, ServiceMapQuery query, AccessScope scope, MapCoverage coverage)
    {
        var kept = new List<MapEdge>();
        var peers = new HashSet<MapPeer>();
        var namespaces = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var edge in edges)
        {
            var (s, t) = (edge.Source, edge.Target);
            if (!scope.AllowsFlow(s.Namespace, t.Namespace))
            {
                continue;
            }

            AddNamespace(namespaces, s);
            AddNamespace(namespaces, t);
            if (query.Namespaces is { } only && !only.Contains(s.Namespace) && !only.Contains(t.Namespace))
            {
                continue;
            }

            if (HidePresets.Hides(query.Hide, s) || HidePresets.Hides(query.Hide, t))
            {
                continue;
            }

            kept.Add(edge);
            peers.Add(s);
            peers.Add(t);
        }

        var autoGroup = query.GroupBy != MapGrouping.Namespace && peers.Count > query.MaxNodes;
        var collapsed = new SortedSet<string>(StringComparer.Ordinal);
        var groups = new Dictionary<MapPeer, GroupNode>();
        var nodes = new Dictionary<string, GroupNode>(StringComparer.Ordinal);
        foreach (var peer in peers)
        {
            var id = GroupId(peer, query, autoGroup, collapsed);
            if (!nodes.TryGetValue(id, out var node))
            {
                node = NewGroup(id, peer, query);
                nodes[id] = node;
            }

            node.Members++;
            groups[peer] = node;
        }

        var links = new Dictionary<(GroupNode, GroupNode), LinkSum>();
        foreach (var edge in kept)
        {
            var (from, to) = (groups[edge.Source], groups[edge.Target]);
            if (!links.TryGetValue((from, to), out var sum))
            {
                sum = new LinkSum(from, to);
                links[(from, to)] = sum;
            }

            sum.Add(edge);
            from.Flows += edge.Flows;
            to.Flows += from == to ? 0 : edge.Flows;
            var dropped = edge.Verdicts.GetValueOrDefault((int)Verdict.Dropped);
            from.Dropped += dropped;
            to.Dropped += from == to ? 0 : dropped;
        }

        var nodeViews = nodes.Values.OrderBy(n => n.Id, StringComparer.Ordinal)
            .Select(n => new MapNodeView(n.Id, n.Kind, n.Namespace, n.Name, n.Labels, n.Flows, n.Dropped, n.Members, n.Filter)).ToList();
        var edgeViews = links.Values.Select(l => l.View()).OrderBy(e => e.Id, StringComparer.Ordinal).ToList();
        return new ServiceMapGraph(nodeViews, edgeViews, query, autoGroup, [.. collapsed], [.. namespaces], coverage);
    }

    private static void AddNamespace(SortedSet<string> namespaces, MapPeer peer)
    {
        if (peer.Namespace.Length > 0)
        {
            namespaces.Add(peer.Namespace);
        }
    }

    private static string GroupId(MapPeer peer, ServiceMapQuery query, bool autoGroup, SortedSet<string> collapsed)
    {
        if (peer.Namespace.Length == 0 || peer.Kind != MapNodeKinds.Workload)
        {
            return peer.Id;
        }

        if (query.GroupBy == MapGrouping.Namespace)
        {
            return NamespaceId(peer.Namespace);
        }

        if (autoGroup && !query.Expand.Contains(peer.Namespace))
        {
            collapsed.Add(peer.Namespace);
            return NamespaceId(peer.Namespace);
        }

        return query.GroupBy == MapGrouping.Label && peer.Labels.TryGetValue(query.LabelKey, out var value)
            ? $"label:{peer.Namespace}/{query.LabelKey}={value}"
            : peer.Id;
    }

    private static GroupNode NewGroup(string id, MapPeer peer, ServiceMapQuery query)
    {
        if (id == peer.Id)
        {
            return new GroupNode(id, peer.Kind, peer.Namespace, peer.Name, peer.Labels, Filter(peer.Filter));
        }

        var ns = Uri.EscapeDataString(peer.Namespace);
        if (id.StartsWith("namespace:", StringComparison.Ordinal))
        {
            return new GroupNode(id, MapNodeKinds.Namespace, peer.Namespace, peer.Namespace, new Dictionary<string, string>(), "namespace=" + ns);
        }

        var value = peer.Labels[query.LabelKey];
        return new GroupNode(id, MapNodeKinds.Label, peer.Namespace, $"{query.LabelKey}={value}",
            new Dictionary<string, string> { [query.LabelKey] = value }, $"namespace={ns}&label={Uri.EscapeDataString(query.LabelKey + "=" + value)}");
    }

    private static string Filter(IReadOnlyList<KeyValuePair<string, string>> terms) =>
        string.Join('&', terms.Select(t => t.Key + "=" + Uri.EscapeDataString(t.Value)));

    /// <summary>The pair's <c>/flows</c> filter: the source's flags as <c>from-</c>, the target's as <c>to-</c>.</summary>
    public static string PairQuery(string sourceFilter, string targetFilter)
    {
        static IEnumerable<string> Prefixed(string filter, string prefix) =>
            filter.Split('&', StringSplitOptions.RemoveEmptyEntries).Select(t => prefix + t);
        return string.Join('&', Prefixed(sourceFilter, "from-").Concat(Prefixed(targetFilter, "to-")));
    }

    /// <summary>
    /// The pair's filter and its hubble command, from the flow query's own parser and printer; cached because a view
    /// of 10,000 links asks twice a second and pairs change slowly (cleared whole when it grows past its bound).
    /// </summary>
    private static (string Query, string Command) Commands(string sourceFilter, string targetFilter)
    {
        var key = (sourceFilter, targetFilter);
        if (CommandCache.TryGetValue(key, out var cached))
        {
            return cached;
        }

        if (CommandCache.Count > 200_000)
        {
            CommandCache.Clear();
        }

        var pair = PairQuery(sourceFilter, targetFilter);
        var value = (pair, FlowQuery.TryParse(pair).Query?.ToHubbleCommand() ?? "");
        CommandCache[key] = value;
        return value;
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(string, string), (string, string)> CommandCache = new();

    private sealed class GroupNode(string id, string kind, string ns, string name, IReadOnlyDictionary<string, string> labels, string filter)
    {
        public string Id => id;

        public string Kind => kind;

        public string Namespace => ns;

        public string Name => name;

        public IReadOnlyDictionary<string, string> Labels => labels;

        public string Filter => filter;

        public int Members { get; set; }

        public long Flows { get; set; }

        public long Dropped { get; set; }
    }

    /// <summary>Hubble's names of the verdict and drop reason numbers, looked up once per number.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, string> VerdictNameCache = new();
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, string> DropReasonNameCache = new();

    private static string VerdictNames(int n) => VerdictNameCache.GetOrAdd(n, static v => FlowMapper.Name((Verdict)v));

    private static string DropReasonNames(int n) => DropReasonNameCache.GetOrAdd(n, static v => FlowMapper.Name((DropReason)v));

    private sealed class LinkSum(GroupNode from, GroupNode to)
    {
        private readonly Dictionary<int, long> _verdicts = [];
        private readonly Dictionary<int, long> _drops = [];
        private readonly Dictionary<(string, int), long> _ports = [];
        private readonly Dictionary<int, long> _http = [];
        private readonly Dictionary<int, long> _dns = [];
        private readonly Dictionary<Flows.Window.PolicyRef, long> _policies = [];
        private long _flows;
        private long _last;

        public void Add(MapEdge edge)
        {
            _flows += edge.Flows;
            _last = Math.Max(_last, edge.LastSeenNanos);
            Merge(_verdicts, edge.Verdicts);
            Merge(_drops, edge.DropReasons);
            Merge(_ports, edge.Ports);
            Merge(_http, edge.Http);
            Merge(_dns, edge.Dns);
            Merge(_policies, edge.Policies);
        }

        public MapEdgeView View()
        {
            var verdicts = Named(_verdicts, VerdictNames);
            var drops = Named(_drops, DropReasonNames);
            var denied = drops.Where(d => MapEdgeStates.PolicyDenials.Contains(d.Key)).Sum(d => d.Value);
            var ports = _ports.OrderByDescending(p => p.Value).ThenBy(p => p.Key.Item2).Take(MaxListed).Select(p => new MapPortView(p.Key.Item1, p.Key.Item2, p.Value)).ToList();
            var http = _http.OrderBy(h => h.Key).ToDictionary(h => h.Key == 0 ? "request" : $"{h.Key}xx", h => h.Value, StringComparer.Ordinal);
            var dns = _dns.OrderBy(d => d.Key).ToDictionary(d => d.Key == -1 ? "query" : Rcode(d.Key), d => d.Value, StringComparer.Ordinal);
            var policies = _policies.OrderByDescending(p => p.Value).Take(MaxListed)
                .Select(p => new MapPolicyView(p.Key.Name, p.Key.Namespace, p.Key.Kind, p.Key.Egress ? "egress" : "ingress", p.Key.Denied ? "denied" : "allowed", p.Value)).ToList();
            var (pair, command) = Commands(from.Filter, to.Filter);
            return new MapEdgeView($"{from.Id}->{to.Id}", from.Id, to.Id, _flows, verdicts, drops, denied, ports, http, dns, policies,
                MapEdgeStates.Of(verdicts, denied), pair, command, _last == 0 ? null : DateTimeOffset.FromUnixTimeMilliseconds(_last / 1_000_000));
        }

        private static Dictionary<string, long> Named(Dictionary<int, long> counts, Func<int, string> name)
        {
            var result = new Dictionary<string, long>(counts.Count, StringComparer.Ordinal);
            foreach (var (key, value) in counts.Count > 1 ? counts.OrderByDescending(c => c.Value) : (IEnumerable<KeyValuePair<int, long>>)counts)
            {
                result[name(key)] = value;
            }

            return result;
        }

        private static string Rcode(int code) => code switch
        {
            0 => "NOERROR",
            1 => "FORMERR",
            2 => "SERVFAIL",
            3 => "NXDOMAIN",
            4 => "NOTIMP",
            5 => "REFUSED",
            _ => "RCODE" + code.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };

        private static void Merge<TKey>(Dictionary<TKey, long> into, Dictionary<TKey, long> from)
            where TKey : notnull
        {
            foreach (var (key, value) in from)
            {
                into[key] = into.GetValueOrDefault(key) + value;
            }
        }
    }
}
