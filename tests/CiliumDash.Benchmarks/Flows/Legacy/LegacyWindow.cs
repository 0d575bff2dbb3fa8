using System.Buffers;
using CiliumDash.Flows;
using CiliumDash.Flows.Query;
using CiliumDash.Protocols.Hubble;
using CiliumDash.Protocols.Hubble.Filters;
using CiliumDash.Protocols.Hubble.ObserverApi;

namespace CiliumDash.Benchmarks.Flows.Legacy;

/// <summary>
/// The flow window as it was before rows were mapped once at ingest (commit adef4cc), kept here only as the baseline
/// of <see cref="FlowQueryBenchmarks"/>: rows hold protobuf endpoints, IPs, L7 records and a shared "rest" flow; a
/// query copies the ring under the lock, reloads a scratch protobuf flow per row (a hand-picked field list) for the
/// protobuf matcher, and maps the page's rows to records. The files next to this one are that commit's code, renamed.
/// </summary>
internal sealed class LegacyWindow
{
    private readonly Lock _gate = new();
    private readonly LegacyCodec _codec = new();
    private readonly LegacyRow[] _ring;
    private readonly FlowSeries _series = new(TimeProvider.System);
    private int _next;
    private int _count;

    public LegacyWindow(int capacity) => _ring = new LegacyRow[capacity];

    public int Count => _count;

    /// <summary>As the old <c>FlowStore.Add</c>: encode, then under the lock put the row and count it in the per-second series.</summary>
    public void Add(GetFlowsResponse response)
    {
        var row = _codec.Encode(response.Flow, response.NodeName, response.Time);
        lock (_gate)
        {
            _series.Add(row.Rest.Verdict, row.Rest.DropReasonDesc, _series.Now());
            _ring[_next] = row;
            _next = _next + 1 == _ring.Length ? 0 : _next + 1;
            _count = Math.Min(_count + 1, _ring.Length);
        }
    }

    /// <summary>As the old <c>FlowStore.Query</c>: the matcher is compiled once per query, as the old FlowQuery cached it.</summary>
    public FlowPage Query(Func<Flow, bool> matcher, bool usesUuid, int skip, int take)
    {
        var rows = new List<FlowRecord>(Math.Clamp(take, 0, 1024));
        var mapping = new LegacyScratch(withUuid: true);
        LegacyRow[] copy;
        int inWindow;
        lock (_gate)
        {
            inWindow = _count;
            copy = ArrayPool<LegacyRow>.Shared.Rent(Math.Max(1, _count));
            for (var i = 0; i < _count; i++)
            {
                copy[i] = _ring[(_next - 1 - i + _ring.Length) % _ring.Length];
            }
        }

        try
        {
            var scratch = new LegacyScratch(usesUuid);
            var matched = 0;
            for (var i = 0; i < inWindow; i++)
            {
                if (matcher(scratch.Load(copy[i])))
                {
                    if (matched >= skip && rows.Count < take)
                    {
                        rows.Add(LegacyMapper.Map(mapping.Load(copy[i]), copy[i].Node, LegacyCodec.Time(copy[i].TimeNanos)));
                    }

                    matched++;
                }
            }

            return new FlowPage(rows, matched, inWindow);
        }
        finally
        {
            ArrayPool<LegacyRow>.Shared.Return(copy, clearArray: true);
        }
    }

    /// <summary>The protobuf matcher of a query, as the old <c>FlowQuery.Matcher</c> built it.</summary>
    public static Func<Flow, bool> Matcher(FlowQuery query)
    {
        var (white, black) = query.ToFlowFilters();
        return FlowFilterMatcher.Compile(white, black);
    }
}
