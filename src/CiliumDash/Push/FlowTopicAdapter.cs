using CiliumDash.Flows;
using CiliumDash.Hosting;
using Microsoft.AspNetCore.WebUtilities;

namespace CiliumDash.Push;

/// <summary>A parsed flows filter: the predicate, or why the query was refused.</summary>
public sealed record FlowFilter(Func<FlowRecord, bool> Matches, string Query)
{
    public static readonly FlowFilter All = new(_ => true, "");
}

/// <summary>
/// Everything the hub and the embeds need from the flows feature, in one file so it can switch to the shared
/// <c>FlowQuery</c> parser and compact rows when they land. Until then it understands only <c>namespace</c>,
/// <c>verdict</c> and <c>pod</c> (repeated = OR, <c>not-</c> negation) and refuses other filters rather than
/// silently showing more than was asked for.
/// </summary>
public static class FlowTopicAdapter
{
    /// <summary>Query keys that select output, not flows.</summary>
    private static readonly HashSet<string> Ignored = new(StringComparer.Ordinal) { "limit", "format", "theme", "width", "height", "sig", "exp", "rows" };

    public static bool TryParse(string? query, out FlowFilter filter, out string? error)
    {
        filter = FlowFilter.All;
        error = null;
        var text = query?.TrimStart('?') ?? "";
        var predicates = new List<Func<FlowRecord, bool>>();
        foreach (var (rawKey, values) in QueryHelpers.ParseQuery(text))
        {
            if (Ignored.Contains(rawKey))
            {
                continue;
            }

            var negate = rawKey.StartsWith("not-", StringComparison.Ordinal);
            var key = negate ? rawKey[4..] : rawKey;
            var wanted = values.Where(v => !string.IsNullOrEmpty(v)).Select(v => v!).ToArray();
            Func<FlowRecord, bool>? match = key switch
            {
                "namespace" => f => wanted.Any(ns => f.Source.Namespace == ns || f.Destination.Namespace == ns),
                "verdict" => f => wanted.Any(v => string.Equals(f.Verdict, v, StringComparison.OrdinalIgnoreCase)),
                "pod" => f => wanted.Any(p => PodMatches(f.Source, p) || PodMatches(f.Destination, p)),
                _ => null,
            };
            if (match is null)
            {
                error = $"flow filter '{rawKey}' is not supported here yet (supported: namespace, verdict, pod, and not-<name>)";
                return false;
            }

            if (wanted.Length == 0)
            {
                error = $"flow filter '{rawKey}' needs a value";
                return false;
            }

            predicates.Add(negate ? f => !match(f) : match);
        }

        if (predicates.Count > 0)
        {
            filter = new FlowFilter(f => predicates.TrueForAll(p => p(f)), text);
        }

        return true;
    }

    /// <summary>A team sees a flow when either end is in one of its namespaces.</summary>
    public static bool Visible(AccessScope scope, FlowRecord flow) =>
        !scope.IsRestricted || scope.AllowsNamespace(flow.Source.Namespace) || scope.AllowsNamespace(flow.Destination.Namespace);

    /// <summary>Newest first, at most <paramref name="limit"/> flows the filter and scope allow.</summary>
    public static IReadOnlyList<FlowRecord> Latest(FlowStore store, FlowFilter filter, AccessScope scope, int limit, out int total) =>
        store.Query(f => Visible(scope, f) && filter.Matches(f), limit, out total);

    /// <summary>Flows added since <paramref name="cursor"/> (a <see cref="FlowStore.Received"/> count), newest first.</summary>
    public static IReadOnlyList<FlowRecord> ReadNew(FlowStore store, ref long cursor)
    {
        var received = store.Received;
        var fresh = (int)Math.Min(received - cursor, store.Capacity);
        cursor = received;
        // Received and the window are read separately: under heavy ingest a flow at the edge may be sent twice or
        // not at all, which a live view tolerates (the REST API is the place for exact lists).
        return fresh <= 0 ? [] : store.Page(0, fresh, out _);
    }

    /// <summary>The <c>/api/v1/flows</c> row shape.</summary>
    public static object Row(FlowRecord f) => new
    {
        f.Time,
        f.Uuid,
        f.Node,
        f.Verdict,
        f.DropReason,
        source = Endpoint(f.Source),
        destination = Endpoint(f.Destination),
        l4 = new { protocol = f.Protocol, sourcePort = f.SourcePort, destinationPort = f.DestinationPort },
        f.Type,
        f.TrafficDirection,
        f.IsReply,
        f.Summary,
    };

    private static object Endpoint(FlowEndpoint e) => new { e.Namespace, pod = e.Pod, e.Ip, e.Labels, e.Identity, e.Workload, e.Service };

    /// <summary>As hubble's --pod: "[namespace/]name-prefix".</summary>
    private static bool PodMatches(FlowEndpoint e, string pattern)
    {
        var slash = pattern.IndexOf('/', StringComparison.Ordinal);
        return slash < 0
            ? e.Pod.StartsWith(pattern, StringComparison.Ordinal) && e.Pod.Length > 0
            : e.Namespace == pattern[..slash] && e.Pod.StartsWith(pattern[(slash + 1)..], StringComparison.Ordinal) && e.Pod.Length > 0;
    }
}
