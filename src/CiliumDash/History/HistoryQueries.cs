using System.Text.Json;
using CiliumDash.Configuration;
using CiliumDash.Contract;
using CiliumDash.Shared;
using Microsoft.Extensions.Options;

namespace CiliumDash.History;

/// <summary>
/// The history's read side: the state at a moment (replaying the records up to it) and ranges, always with the
/// coverage of the answer. Team scoping is applied here, with the same rules as the live views.
/// </summary>
public sealed class HistoryQueries(IHistoryStore store, HistoryWriter writer, HistoryHealth health, IOptions<CiliumDashOptions> options) : IHistoryQueries
{
    /// <summary>Records closer than this to each other count as continuous (a few flush intervals).</summary>
    public static readonly TimeSpan GapTolerance = TimeSpan.FromSeconds(30);

    /// <summary>Rows one range query reads at most.</summary>
    public const int MaxRows = 200_000;

    private HistoryRetentionOptions Retention => options.Value.History.Retention;

    public async Task<HistoryCoverageDto> CoverageAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        var segments = await store.SegmentsAsync(from, to, ct).ConfigureAwait(false);
        var all = await store.SegmentsAsync(DateTimeOffset.UnixEpoch, to, ct).ConfigureAwait(false);
        var coverage = HistorySchema.Coverage(segments, from, to, GapTolerance);
        return new HistoryCoverageDto(from, to, all.Count > 0 ? all.Min(s => s.Started) : coverage.RecordedSince, coverage.Gaps.Select(g => new HistoryGapDto(g.From, g.To)).ToList());
    }

    public Task<HistoryAnswer<IReadOnlyList<FindingDto>>> FindingsAtAsync(DateTimeOffset at, AccessScope scope, string? node, CancellationToken cancellationToken) =>
        Guard(() => FindingsAt(at, scope, node, cancellationToken));

    public Task<HistoryAnswer<IReadOnlyList<NodeRowDto>>> NodesAtAsync(DateTimeOffset at, CancellationToken cancellationToken) =>
        Guard(() => NodesAt(at, cancellationToken));

    private async Task<(IReadOnlyList<FindingDto>, HistoryCoverageDto)> FindingsAt(DateTimeOffset at, AccessScope scope, string? node, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var events = await store.QueryAsync(HistoryTables.Findings, new HistoryRange(at - Retention.Findings, at.AddMilliseconds(1), MaxRows), cancellationToken).ConfigureAwait(false);
        var open = new Dictionary<string, FindingEvent>(StringComparer.Ordinal);
        foreach (var e in events)
        {
            if (e.Change == FindingEvent.Closed)
            {
                open.Remove(e.Id);
            }
            else
            {
                open[e.Id] = e;
            }
        }

        var findings = open.Values
            .Where(e => e.Namespaces is null || !scope.IsRestricted || e.Namespaces.Split(',').Any(scope.AllowsNamespace))
            .Where(e => node is null || e.Node == node || e.Peer == node)
            .Select(e => JsonSerializer.Deserialize(e.Payload, ApiJsonContext.Default.FindingDto)!)
            .Select(dto => (Dto: dto, Finding: AsFinding(dto)))
            .OrderBy(p => p.Finding, Findings.FindingOrder.Comparer)
            .Select(p => p.Dto)
            .ToList();
        return (findings, await CoverageAsync(at, at, cancellationToken).ConfigureAwait(false));
    }

    private async Task<(IReadOnlyList<NodeRowDto>, HistoryCoverageDto)> NodesAt(DateTimeOffset at, CancellationToken cancellationToken)
    {
        var states = await store.QueryAsync(HistoryTables.NodeStates, new HistoryRange(at - Retention.NodeStates, at.AddMilliseconds(1), MaxRows), cancellationToken).ConfigureAwait(false);
        var latest = new Dictionary<string, NodeStateRecord>(StringComparer.Ordinal);
        foreach (var s in states)
        {
            latest[s.Node] = s;
        }

        var rows = latest.Values.Where(s => s.State != HistoryRecorder.Removed).OrderBy(s => s.Node, StringComparer.Ordinal)
            .Select(s => new NodeRowDto(s.Node, s.State, s.Version, s.Time, s.Error is not null, s.Error, null, new ControllerCountsDto(s.ControllersTotal, s.ControllersFailing) { Reported = s.ControllersTotal > 0 })
            {
                KubeProxyReplacementMode = s.KubeProxyReplacement,
            })
            .ToList();
        return (rows, await CoverageAsync(at, at, cancellationToken).ConfigureAwait(false));
    }

    public Task<HistoryAnswer<IReadOnlyList<NodeDetailDto>>> NodeAtAsync(string node, DateTimeOffset at, CancellationToken cancellationToken) =>
        Guard(() => NodeAt(node, at, cancellationToken));

    /// <summary>
    /// The recorded part of a node's detail: its agent state, version, modes and error as last recorded, and the
    /// controllers whose failure episode was open at that moment. Sections the recorder does not keep stay null.
    /// </summary>
    private async Task<(IReadOnlyList<NodeDetailDto>, HistoryCoverageDto)> NodeAt(string node, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var coverage = await CoverageAsync(at, at, cancellationToken).ConfigureAwait(false);
        var states = await store.QueryAsync(HistoryTables.NodeStates, new HistoryRange(at - Retention.NodeStates, at.AddMilliseconds(1), MaxRows, "node", node), cancellationToken).ConfigureAwait(false);
        if (states.Count == 0 || states[^1] is { State: HistoryRecorder.Removed })
        {
            return ([], coverage);
        }

        var s = states[^1];
        var rows = await store.QueryAsync(HistoryTables.ControllerEpisodes, new HistoryRange(at - Retention.ControllerEpisodes, at.AddMilliseconds(1), MaxRows, "node", node), cancellationToken).ConfigureAwait(false);
        var open = rows.GroupBy(r => (r.Controller, r.Start)).Select(g => g.Last())
            .Where(e => e.Start <= at && (e.End is null || e.End > at))
            .OrderBy(e => e.Controller, StringComparer.Ordinal)
            .Select(e => new ControllerDto(e.Controller, true, e.MaxConsecutiveFailures, e.MaxConsecutiveFailures, 0, e.LastMessage, null, e.Start, null, null, null, null))
            .ToList();
        // The fill levels recorded within two sampling intervals before the moment, the newest per map.
        var window = options.Value.History.MapFillInterval * 2;
        var fills = await store.QueryAsync(HistoryTables.MapFill, new HistoryRange(at - window, at.AddMilliseconds(1), MaxRows, "node", node), cancellationToken).ConfigureAwait(false);
        var maps = fills.GroupBy(f => f.Map, StringComparer.Ordinal).Select(g => g.Last()).OrderBy(f => f.Map, StringComparer.Ordinal).ToList();
        var pressure = maps.Count == 0
            ? new MapPressureDetailDto(null, null, [], $"no map fill was recorded in the {window.TotalMinutes:0.#} minutes before this moment")
            : new MapPressureDetailDto(maps.Select(f => new MapPressureDto(f.Map, f.Fill) { Level = Agents.MapPressure.LevelOf(f.Fill) }).ToList(), maps.Max(f => f.Time), [], null);
        var detail = new NodeDetailDto
        {
            MapPressure = pressure,
            Name = s.Node,
            State = s.State,
            CiliumVersion = s.Version,
            LastUpdated = s.Time,
            Error = s.Error,
            DatapathMode = s.Datapath,
            Controllers = open,
            FailingControllers = s.ControllersFailing,
            Ipam = s.Ipam is null ? null : new IpamDto(s.Ipam, [], [], new Dictionary<string, string>()),
        };
        return ([detail], coverage);
    }

    public async Task<NodeHistoryDto> NodeAsync(string node, DateTimeOffset since, DateTimeOffset until, CancellationToken ct)
    {
        var range = new HistoryRange(since, until, MaxRows, "node", node);
        var states = await store.QueryAsync(HistoryTables.NodeStates, range, ct).ConfigureAwait(false);
        // An episode that began before the range but was still open in it belongs to the answer: read back a retention.
        var rows = await store.QueryAsync(HistoryTables.ControllerEpisodes, range with { From = since - Retention.ControllerEpisodes }, ct).ConfigureAwait(false);
        var episodes = rows.GroupBy(r => (r.Controller, r.Start)).Select(g => g.Last())
            .Where(e => e.Start < until && (e.End is null || e.End >= since))
            .OrderBy(e => e.Start).ThenBy(e => e.Controller, StringComparer.Ordinal)
            .Select(e => new ControllerEpisodeDto(e.Node, e.Controller, e.Start, e.End, e.MaxConsecutiveFailures, e.LastMessage)).ToList();
        return new NodeHistoryDto(
            await CoverageAsync(since, until, ct).ConfigureAwait(false),
            states.Select(s => new NodeStateChangeDto(s.Time, s.Node, s.State, s.Version, s.KubeProxyReplacement, s.Datapath, s.Ipam, s.ControllersTotal, s.ControllersFailing, s.Error)).ToList(),
            episodes);
    }

    public async Task<StoredFlowsDto> FlowsAsync(DateTimeOffset since, DateTimeOffset until, AccessScope scope, int limit, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var rows = await store.QueryAsync(HistoryTables.RawFlows, new HistoryRange(since, until, MaxRows, Newest: true), ct).ConfigureAwait(false);
        var visible = rows.Where(f => scope.AllowsFlow(f.SourceNamespace, f.DestinationNamespace) || (f.Verdict == "OVERFLOW" && scope.SeesClusterWideFlows))
            .Reverse().Take(limit)
            .Select(f => new StoredFlowDto(f.Time, f.Uuid, f.Node, f.Verdict, f.DropReason, f.SourceNamespace, f.SourcePod, f.DestinationNamespace, f.DestinationPod, f.Protocol, f.DestinationPort, f.Summary))
            .ToList();
        return new StoredFlowsDto(await CoverageAsync(since, until, ct).ConfigureAwait(false), visible.Count, visible);
    }

    public async Task<FlowHistorySummaryDto> FlowSummaryAsync(DateTimeOffset since, DateTimeOffset until, AccessScope scope, int top, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var rows = await store.QueryAsync(HistoryTables.FlowAggregates, new HistoryRange(since, until, 5_000_000), ct).ConfigureAwait(false);
        // The "other" rows mix every team's flows: only a cluster-wide scope sees them.
        var other = scope.SeesClusterWideFlows ? rows.Where(r => r.Other).Sum(r => r.Count) : 0;
        var groups = rows.Where(r => !r.Other && scope.AllowsFlow(r.SourceNamespace, r.DestinationNamespace))
            .GroupBy(r => (r.SourceNamespace, r.SourceWorkload, r.DestinationNamespace, r.DestinationWorkload, r.Verdict, r.DropReason, r.Protocol, r.DestinationPort))
            .Select(g => new FlowAggregateDto(g.Key.SourceNamespace, g.Key.SourceWorkload, g.Key.DestinationNamespace, g.Key.DestinationWorkload, g.Key.Verdict, g.Key.DropReason,
                g.Key.Protocol, g.Key.DestinationPort, g.Sum(r => r.Count)))
            .OrderByDescending(a => a.Flows).ToList();
        return new FlowHistorySummaryDto(await CoverageAsync(since, until, ct).ConfigureAwait(false), groups.Sum(g => g.Flows) + other, other, groups.Take(top).ToList());
    }

    public async Task<HistoryStatusDto> StatusAsync(DateTimeOffset now, CancellationToken ct)
    {
        var state = health.State;
        long? size = null;
        HistoryCoverageDto? day = null;
        try
        {
            size = await store.SizeBytesAsync(ct).ConfigureAwait(false);
            day = await CoverageAsync(now.AddDays(-1), now, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            // The status still answers when the store does not: the reason is in the health.
        }

        return new HistoryStatusDto(state.Enabled, state.Store, state.Enabled && state.NotRecordedSince is null, state.NotRecordedSince, state.Reason,
            writer.Dropped, writer.Queued, writer.Written, size, day);
    }

    /// <summary>A store that cannot be read gives the reason, not an exception: the live view stays unaffected.</summary>
    private static async Task<HistoryAnswer<T>> Guard<T>(Func<Task<(T, HistoryCoverageDto)>> query)
        where T : class
    {
        try
        {
            var (value, coverage) = await query().ConfigureAwait(false);
            return new HistoryAnswer<T>(value, coverage, null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException and not ArgumentException)
        {
            return new HistoryAnswer<T>(null, null, HistoryWriter.Describe(ex));
        }
    }

    /// <summary>Back to the engine's record, so that the one sort order of findings applies to the past as well.</summary>
    private static Findings.Finding AsFinding(FindingDto f) => new(
        f.Id, Enum.GetValues<Findings.FindingSeverity>().FirstOrDefault(s => Findings.FindingsApi.Severity(s) == f.Severity, Findings.FindingSeverity.Info), f.Kind,
        new Findings.FindingSubject { Node = f.Subject.Node, Peer = f.Subject.Peer, Path = f.Subject.Path, Controller = f.Subject.Controller, Map = f.Subject.Map, Component = f.Subject.Component },
        f.Summary, f.Hint, [], f.Since);
}
