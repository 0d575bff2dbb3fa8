using Microsoft.AspNetCore.Http.HttpResults;

namespace CiliumDash.Contract;

/// <summary>A stretch of time with no record.</summary>
public sealed record HistoryGapDto(DateTimeOffset From, DateTimeOffset To);

/// <summary>Which time an answer from history describes and how complete the record behind it is.</summary>
/// <param name="RecordedSince">the oldest recorded moment still kept; null = nothing recorded.</param>
public sealed record HistoryCoverageDto(DateTimeOffset From, DateTimeOffset To, DateTimeOffset? RecordedSince, IReadOnlyList<HistoryGapDto> Gaps);

/// <summary><c>/api/v1/history</c>: the recorder's state.</summary>
public sealed record HistoryStatusDto(
    bool Enabled, string Store, bool Recording, DateTimeOffset? NotRecordedSince, string? Reason, long Dropped, long Queued, long Written, long? SizeBytes,
    HistoryCoverageDto? LastDay);

/// <summary>One controller failure episode from history (the latest row recorded of it).</summary>
public sealed record ControllerEpisodeDto(string Node, string Controller, DateTimeOffset Start, DateTimeOffset? End, long MaxConsecutiveFailures, string? LastMessage);

/// <summary>A node's agent state as recorded when it changed.</summary>
public sealed record NodeStateChangeDto(
    DateTimeOffset Time, string Node, string State, string? CiliumVersion, string? KubeProxyReplacementMode, string? Datapath, string? Ipam,
    int ControllersTotal, int ControllersFailing, string? Error);

/// <summary>A stored drop or error flow (only those are kept in history).</summary>
public sealed record StoredFlowDto(
    DateTimeOffset Time, string Uuid, string Node, string Verdict, string? DropReason, string SourceNamespace, string SourcePod,
    string DestinationNamespace, string DestinationPod, string Protocol, long? DestinationPort, string Summary);

public sealed record StoredFlowsDto(HistoryCoverageDto Coverage, int Returned, IReadOnlyList<StoredFlowDto> Flows);

/// <summary>A flow aggregate row summed over a range.</summary>
public sealed record FlowAggregateDto(
    string SourceNamespace, string SourceWorkload, string DestinationNamespace, string DestinationWorkload, string Verdict, string? DropReason,
    string Protocol, long? DestinationPort, long Flows);

public sealed record FlowHistorySummaryDto(HistoryCoverageDto Coverage, long Total, long Other, IReadOnlyList<FlowAggregateDto> Top);

public sealed record NodeHistoryDto(HistoryCoverageDto Coverage, IReadOnlyList<NodeStateChangeDto> States, IReadOnlyList<ControllerEpisodeDto> Episodes);

/// <summary>
/// Answers from history for the live endpoints' <c>at=</c>: the live shapes, and the coverage of the moment. Implemented
/// by the history feature; the endpoints only ask it (null when history is off).
/// </summary>
public interface IHistoryQueries
{
    Task<HistoryAnswer<IReadOnlyList<FindingDto>>> FindingsAtAsync(DateTimeOffset at, Shared.AccessScope scope, string? node, CancellationToken cancellationToken);

    Task<HistoryAnswer<IReadOnlyList<NodeRowDto>>> NodesAtAsync(DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>One node as last recorded before <paramref name="at"/>: an empty list when it had no recorded state then.</summary>
    Task<HistoryAnswer<IReadOnlyList<NodeDetailDto>>> NodeAtAsync(string node, DateTimeOffset at, CancellationToken cancellationToken);
}

/// <summary>An answer from history, or why the store could not give one (<see cref="Error"/>: the user reads it).</summary>
public sealed record HistoryAnswer<T>(T? Value, HistoryCoverageDto? Coverage, string? Error)
    where T : class;

/// <summary>
/// <c>at=</c> on a live endpoint: parsed once, answered from history, and described in response headers so the body
/// keeps the live shape (<c>CiliumDash-At</c>, <c>CiliumDash-Recorded-Since</c>, <c>CiliumDash-Gaps</c>).
/// </summary>
public static class HistoryAt
{
    public const string AtHeader = "CiliumDash-At";
    public const string RecordedSinceHeader = "CiliumDash-Recorded-Since";
    public const string GapsHeader = "CiliumDash-Gaps";

    /// <summary>The moment <paramref name="at"/> names, or the problem to answer with (bad value, history off).</summary>
    public static ProblemHttpResult? Resolve(string at, TimeProvider time, IHistoryQueries? history, out DateTimeOffset moment)
    {
        ArgumentNullException.ThrowIfNull(time);
        if (!Shared.TimeParameter.TryParse(at, time.GetUtcNow(), out moment, out var error))
        {
            return TypedResults.Problem($"at: {error}", statusCode: StatusCodes.Status400BadRequest);
        }

        return history is null
            ? TypedResults.Problem("at: history is not recorded (CiliumDash:History:Enabled is false), so only the live state can be shown", statusCode: StatusCodes.Status404NotFound)
            : null;
    }

    /// <summary>The live endpoints' answer to <c>at=</c>: the value with the coverage headers, or 503 with the reason.</summary>
    public static Results<Ok<T>, ProblemHttpResult> Answer<T>(HttpResponse response, HistoryAnswer<T> answer)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(answer);
        if (answer.Value is null || answer.Coverage is null)
        {
            return TypedResults.Problem($"at: the history store cannot be read: {answer.Error}", statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        Describe(response, answer.Coverage);
        return TypedResults.Ok(answer.Value);
    }

    /// <summary>Says in the response which moment it describes and how complete the record of it is.</summary>
    public static void Describe(HttpResponse response, HistoryCoverageDto coverage)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(coverage);
        response.Headers[AtHeader] = Rfc3339(coverage.To);
        response.Headers[RecordedSinceHeader] = coverage.RecordedSince is { } s ? Rfc3339(s) : "never";
        response.Headers[GapsHeader] = string.Join(", ", coverage.Gaps.Select(g => $"{Rfc3339(g.From)}/{Rfc3339(g.To)}"));
    }

    private static string Rfc3339(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
