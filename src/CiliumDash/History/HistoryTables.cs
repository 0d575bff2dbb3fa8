using CiliumDash.Configuration;

namespace CiliumDash.History;

public enum HistoryColumnType
{
    Whole,
    Fraction,
    Text,
}

public sealed record HistoryColumn(string Name, HistoryColumnType Type);

/// <summary>
/// One kind of record as a table: its columns are declared once here and both providers derive their DDL, inserts,
/// COPY and reads from it. The first column is always <c>t</c>, the record's time in Unix milliseconds (the
/// partition key on PostgreSQL).
/// </summary>
public abstract class HistoryTable(string name, Func<HistoryRetentionOptions, TimeSpan> retention, string[] indexed, HistoryColumn[] columns)
{
    public string Name { get; } = name;

    public IReadOnlyList<HistoryColumn> Columns { get; } = [new("t", HistoryColumnType.Whole), .. columns];

    /// <summary>Columns a query may filter on by equality (besides the time range), each with an index.</summary>
    public IReadOnlyList<string> Indexed { get; } = indexed;

    public TimeSpan RetentionOf(HistoryRetentionOptions options) => retention(options);

    public bool Has(string column) => Columns.Any(c => c.Name == column);
}

public sealed class HistoryTable<T>(
    string name, Func<HistoryRetentionOptions, TimeSpan> retention, string[] indexed, HistoryColumn[] columns,
    Func<T, object?[]> toRow, Func<HistoryRow, T> fromRow) : HistoryTable(name, retention, indexed, columns)
{
    public object?[] ToRow(T record) => toRow(record);

    public T FromRow(HistoryRow row) => fromRow(row);
}

/// <summary>One row as read back, by column position (the order of <see cref="HistoryTable.Columns"/>).</summary>
public readonly record struct HistoryRow(object?[] Values)
{
    public DateTimeOffset Time(int i) => HistoryTime.From((long)Values[i]!);

    public DateTimeOffset? OptionalTime(int i) => Values[i] is long v ? HistoryTime.From(v) : null;

    public string Text(int i) => (string?)Values[i] ?? "";

    public string? OptionalText(int i) => (string?)Values[i];

    public long Number(int i) => (long)Values[i]!;

    public long? OptionalNumber(int i) => Values[i] as long?;

    public double Real(int i) => (double)Values[i]!;

    public double? OptionalReal(int i) => Values[i] as double?;
}

/// <summary>Times in the store: Unix milliseconds, UTC.</summary>
public static class HistoryTime
{
    public static long Of(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    public static long? Of(DateTimeOffset? time) => time?.ToUnixTimeMilliseconds();

    public static DateTimeOffset From(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
}

/// <summary>Every table of the history, in schema order.</summary>
public static class HistoryTables
{
    private static HistoryColumn I(string n) => new(n, HistoryColumnType.Whole);

    private static HistoryColumn R(string n) => new(n, HistoryColumnType.Fraction);

    private static HistoryColumn S(string n) => new(n, HistoryColumnType.Text);

    public static readonly HistoryTable<FindingEvent> Findings = new("history_findings", r => r.Findings, ["node", "finding_id"],
        [S("finding_id"), S("change"), S("severity"), S("kind"), S("node"), S("peer"), S("summary"), S("namespaces"), S("payload")],
        f => [HistoryTime.Of(f.Time), f.Id, f.Change, f.Severity, f.Kind, f.Node, f.Peer, f.Summary, f.Namespaces, f.Payload],
        r => new FindingEvent(r.Time(0), r.Text(1), r.Text(2), r.Text(3), r.Text(4), r.OptionalText(5), r.OptionalText(6), r.Text(7), r.OptionalText(8), r.Text(9)));

    public static readonly HistoryTable<NodeStateRecord> NodeStates = new("history_node_states", r => r.NodeStates, ["node"],
        [S("node"), S("state"), S("version"), S("kpr"), S("datapath"), S("ipam"), I("controllers_total"), I("controllers_failing"), S("error")],
        n => [HistoryTime.Of(n.Time), n.Node, n.State, n.Version, n.KubeProxyReplacement, n.Datapath, n.Ipam, (long)n.ControllersTotal, (long)n.ControllersFailing, n.Error],
        r => new NodeStateRecord(r.Time(0), r.Text(1), r.Text(2), r.OptionalText(3), r.OptionalText(4), r.OptionalText(5), r.OptionalText(6), (int)r.Number(7), (int)r.Number(8), r.OptionalText(9)));

    public static readonly HistoryTable<ControllerEpisodeRecord> ControllerEpisodes = new("history_controller_episodes", r => r.ControllerEpisodes, ["node"],
        [S("node"), S("controller"), I("started"), I("ended"), I("max_failures"), S("last_message")],
        c => [HistoryTime.Of(c.Time), c.Node, c.Controller, HistoryTime.Of(c.Start), HistoryTime.Of(c.End), c.MaxConsecutiveFailures, c.LastMessage],
        r => new ControllerEpisodeRecord(r.Time(0), r.Text(1), r.Text(2), r.Time(3), r.OptionalTime(4), r.Number(5), r.OptionalText(6)));

    public static readonly HistoryTable<MapFillRecord> MapFill = new("history_map_fill", r => r.MapFill, ["node"],
        [S("node"), S("map"), R("fill")],
        m => [HistoryTime.Of(m.Time), m.Node, m.Map, m.Fill],
        r => new MapFillRecord(r.Time(0), r.Text(1), r.Text(2), r.Real(3)));

    public static readonly HistoryTable<HealthRoundRecord> HealthRounds = new("history_health_rounds", r => r.Health, ["node"],
        [S("node"), I("reachable"), I("total"), R("worst_rtt_ns")],
        h => [HistoryTime.Of(h.Time), h.Node, (long)h.Reachable, (long)h.Total, h.WorstRttNs],
        r => new HealthRoundRecord(r.Time(0), r.Text(1), (int)r.Number(2), (int)r.Number(3), r.OptionalReal(4)));

    public static readonly HistoryTable<PairEventRecord> PairEvents = new("history_pair_events", r => r.Health, ["node"],
        [S("node"), S("peer"), S("path"), S("change"), S("detail")],
        p => [HistoryTime.Of(p.Time), p.Node, p.Peer, p.Path, p.Change, p.Detail],
        r => new PairEventRecord(r.Time(0), r.Text(1), r.Text(2), r.Text(3), r.Text(4), r.OptionalText(5)));

    public static readonly HistoryTable<FlowAggregateRecord> FlowAggregates = new("history_flow_aggregates", r => r.FlowAggregates, ["node"],
        [S("src_ns"), S("src_workload"), S("dst_ns"), S("dst_workload"), S("verdict"), S("drop_reason"), S("node"), S("protocol"), I("dst_port"), I("flows"), I("other")],
        a => [HistoryTime.Of(a.Time), a.SourceNamespace, a.SourceWorkload, a.DestinationNamespace, a.DestinationWorkload, a.Verdict, a.DropReason, a.Node, a.Protocol, a.DestinationPort, a.Count, a.Other ? 1L : 0L],
        r => new FlowAggregateRecord(r.Time(0), r.Text(1), r.Text(2), r.Text(3), r.Text(4), r.Text(5), r.OptionalText(6), r.Text(7), r.Text(8), r.OptionalNumber(9), r.Number(10), r.Number(11) != 0));

    public static readonly HistoryTable<RawFlowRecord> RawFlows = new("history_raw_flows", r => r.RawFlows, ["node"],
        [S("uuid"), S("node"), S("verdict"), S("drop_reason"), S("src_ns"), S("src_pod"), S("dst_ns"), S("dst_pod"), S("protocol"), I("dst_port"), S("summary")],
        f => [HistoryTime.Of(f.Time), f.Uuid, f.Node, f.Verdict, f.DropReason, f.SourceNamespace, f.SourcePod, f.DestinationNamespace, f.DestinationPod, f.Protocol, f.DestinationPort, f.Summary],
        r => new RawFlowRecord(r.Time(0), r.Text(1), r.Text(2), r.Text(3), r.OptionalText(4), r.Text(5), r.Text(6), r.Text(7), r.Text(8), r.Text(9), r.OptionalNumber(10), r.Text(11)));

    public static readonly HistoryTable<HistoryClusterEvent> ClusterEvents = new("history_cluster_events", r => r.ClusterEvents, ["node"],
        [S("kind"), S("node"), S("namespace"), S("name"), S("detail")],
        e => [HistoryTime.Of(e.Time), e.Kind, e.Node, e.Namespace, e.Name, e.Detail],
        r => new HistoryClusterEvent(r.Time(0), r.Text(1), r.OptionalText(2), r.OptionalText(3), r.OptionalText(4), r.Text(5)));

    public static readonly IReadOnlyList<HistoryTable> All =
        [Findings, NodeStates, ControllerEpisodes, MapFill, HealthRounds, PairEvents, FlowAggregates, RawFlows, ClusterEvents];

    /// <summary>Pruned first when the store is over its size cap: the bulkiest and least needed later.</summary>
    public static readonly IReadOnlyList<HistoryTable> PruneOrder = [RawFlows, FlowAggregates, MapFill, HealthRounds, PairEvents];
}
