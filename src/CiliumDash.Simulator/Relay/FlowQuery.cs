using CiliumDash.Protocols.Hubble;
using CiliumDash.Protocols.Hubble.Filters;
using CiliumDash.Protocols.Hubble.ObserverApi;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace CiliumDash.Simulator.Relay;

/// <summary>
/// One GetFlows request made executable: its filters compiled, its time range in nanoseconds and its field mask.
/// Lost events pass every filter and time bound and do not count toward <c>number</c>, as in Hubble.
/// </summary>
internal sealed class FlowQuery
{
    private readonly GetFlowsRequest _request;
    private readonly Func<Flow, bool> _match;
    private readonly FlowIdSpace _ids;

    private FlowQuery(GetFlowsRequest request, Func<Flow, bool> match, FlowIdSpace ids)
    {
        _request = request;
        _match = match;
        _ids = ids;
        SinceNanos = Nanos(request.Since);
        UntilNanos = Nanos(request.Until);
    }

    public long? SinceNanos { get; }

    public long? UntilNanos { get; }

    /// <summary>Compiles the request; malformed filters or field masks become InvalidArgument naming the value.</summary>
    public static FlowQuery Create(GetFlowsRequest request, FlowIdSpace ids)
    {
        Func<Flow, bool> match;
        try
        {
            match = FlowFilterMatcher.Compile(request.Whitelist, request.Blacklist);
        }
        catch (FlowFilterException e)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, e.Message));
        }

        if (request.FieldMask is { Paths.Count: > 0 } mask && !FieldMask.IsValid<Flow>(mask))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"Invalid field_mask \"{string.Join(",", mask.Paths)}\": unknown Flow field."));
        }

        return new FlowQuery(request, match, ids);
    }

    public bool Matches(Flow flow) => _match(flow);

    public GetFlowsResponse Render(in RingEntry entry) => FlowHub.ToResponse(entry, _ids);

    /// <summary>Applies the field mask: only the listed Flow paths survive.</summary>
    public GetFlowsResponse Project(GetFlowsResponse response)
    {
        if (response.Flow is null || _request.FieldMask is not { Paths.Count: > 0 } mask)
        {
            return response;
        }

        var masked = new Flow();
        mask.Merge(response.Flow, masked);
        return new GetFlowsResponse { Flow = masked, NodeName = response.NodeName, Time = response.Time };
    }

    /// <summary>
    /// The stored part of the answer: per node the newest (or with <c>first</c> the oldest) <c>number</c> matching flows
    /// within since/until (all of them when number is 0), merged across nodes in time order.
    /// </summary>
    public IEnumerable<GetFlowsResponse> Backlog(FlowHub hub, IEnumerable<int> rings, long[] positions)
    {
        var selected = new List<RingEntry>();
        var slots = new List<RingEntry>();
        foreach (var ring in rings)
        {
            slots.Clear();
            hub.CopyRange(ring, 0, positions[ring], slots, out _);
            SelectFromRing(slots, selected);
        }

        selected.Sort(static (a, b) => a.Seq.CompareTo(b.Seq));
        foreach (var entry in selected)
        {
            yield return Project(Render(entry));
        }
    }

    private void SelectFromRing(List<RingEntry> slots, List<RingEntry> selected)
    {
        var number = _request.Number;
        var first = _request.First;
        ulong taken = 0;
        for (var k = 0; k < slots.Count; k++)
        {
            var entry = slots[first ? k : slots.Count - 1 - k];
            if (SinceNanos is { } since && entry.UnixNanos < since)
            {
                if (first) { continue; }
                break;
            }

            if (UntilNanos is { } until && entry.UnixNanos > until)
            {
                if (first) { break; }
                continue;
            }

            if (Render(entry).Flow is not { } flow)
            {
                selected.Add(entry);   // lost events are not flows: no filter, no count
                continue;
            }

            if (_match(flow))
            {
                selected.Add(entry);
                if (++taken == number)
                {
                    break;
                }
            }
        }
    }

    private static long? Nanos(Timestamp? t) => t is null ? null : t.Seconds * 1_000_000_000 + t.Nanos;
}
