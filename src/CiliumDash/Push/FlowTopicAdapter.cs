using CiliumDash.Contract;
using CiliumDash.Flows;
using CiliumDash.Flows.Query;
using CiliumDash.Flows.Window;
using CiliumDash.Shared;

namespace CiliumDash.Push;

/// <summary>A flows filter for the hub and the embeds: the same <see cref="FlowQuery"/> as <c>/api/v1/flows</c>.</summary>
public sealed record FlowFilter(FlowQuery Query)
{
    public static readonly FlowFilter All = new(FlowQuery.Empty);

    public string Text => Query.ToQueryString();

    public bool Matches(WindowFlow flow) => Query.Matches(flow);
}

/// <summary>A new flow as the publisher hands it to subscriptions: the record to send and the window row to match.</summary>
public readonly record struct FreshFlow(FlowRecord Record, WindowFlow Flow);

/// <summary>What the hub and the embeds need from the flows feature: parsing, the newest matches, new flows.</summary>
public static class FlowTopicAdapter
{
    /// <summary>Most new flows one publisher round looks at: the hub is a live sample (≤ 5 per push), not a full stream.</summary>
    public const int MaxFreshPerRound = 1000;

    /// <summary>Query keys that shape an embed, not which flows match; they are not flow filters.</summary>
    private static readonly HashSet<string> Presentation = new(StringComparer.Ordinal) { "theme", "width", "height", "sig", "exp", "rows" };

    public static bool TryParse(string? query, out FlowFilter filter, out string? error)
    {
        var kept = (query ?? "").TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Where(pair => !Presentation.Contains(pair.Split('=', 2)[0]));
        var parsed = FlowQuery.TryParse(string.Join('&', kept));
        filter = parsed.Query is { } q ? new FlowFilter(q) : FlowFilter.All;
        error = parsed.Error;
        return parsed.Query is not null;
    }

    /// <summary>Newest first, at most <paramref name="limit"/> flows the filter and scope allow.</summary>
    public static IReadOnlyList<FlowRecord> Latest(FlowStore store, FlowFilter filter, AccessScope scope, int limit, out int total)
    {
        var page = store.Query(filter.Query.Restrict(scope), 0, limit);
        total = page.Matched;
        return page.Rows;
    }

    /// <summary>Flows added since <paramref name="cursor"/> (a <see cref="FlowStore.Received"/> count), newest first.</summary>
    public static IReadOnlyList<FreshFlow> ReadNew(FlowStore store, ref long cursor)
    {
        var received = store.Received;
        var fresh = (int)Math.Min(Math.Min(received - cursor, store.Capacity), MaxFreshPerRound);
        cursor = received;
        // Received and the window are read separately: under heavy ingest a flow at the edge may be sent twice or
        // not at all, which a live view tolerates (the REST API is the place for exact lists).
        return fresh <= 0 ? [] : store.Newest(fresh).Select(x => new FreshFlow(x.Record, x.Flow)).ToList();
    }

    /// <summary>A push's payload: the <c>/api/v1/flows</c> body of the subscription's query (the rows' one mapping).</summary>
    public static FlowListDto Payload(FlowFilter filter, int total, IReadOnlyList<FlowRecord> rows) => FlowsApi.List(filter.Query, total, rows);
}
