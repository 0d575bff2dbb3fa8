using CiliumDash.Configuration;
using CiliumDash.Flows;

namespace CiliumDash.History;

/// <summary>
/// Flows into history: every flow counted into its 10 s bucket (top N combinations plus one "other" row), and the
/// drops and errors kept as rows, at most <see cref="HistoryOptions.RawFlowsPerSecond"/> per second with a counted
/// overflow row. Reads the live window's newest rows after each change signal, so it sees the flows as redacted.
/// </summary>
public sealed class FlowRecording(FlowStore flows, HistoryWriter writer, HistoryOptions options, TimeProvider time)
{
    public static readonly TimeSpan Bucket = TimeSpan.FromSeconds(10);

    private readonly Lock _gate = new();
    private readonly Dictionary<long, Dictionary<AggregateKey, long>> _buckets = [];
    private IDisposable? _subscription;
    private ITimer? _timer;
    private long _received;
    private DateTimeOffset _newestSeen = DateTimeOffset.MinValue;
    private long _rawSecond;
    private int _rawInSecond;
    private long _rawOverflow;

    /// <summary>Flows that arrived faster than the window could be read between two signals (not counted).</summary>
    public long Missed { get; private set; }

    public void Start()
    {
        _received = flows.Received;
        _subscription = flows.Changed.Subscribe(Read);
        _timer = time.CreateTimer(_ => Flush(time.GetUtcNow() - Bucket), null, Bucket, Bucket);
    }

    public void Stop()
    {
        _subscription?.Dispose();
        _timer?.Dispose();
        // The buckets still open are written as far as they go.
        Flush(DateTimeOffset.MaxValue);
    }

    internal void Read()
    {
        lock (_gate)
        {
            var received = flows.Received;
            var fresh = received - _received;
            _received = received;
            if (fresh <= 0)
            {
                return;
            }

            var take = (int)Math.Min(fresh, flows.Capacity);
            Missed += fresh - take;
            var newest = _newestSeen;
            foreach (var (f, _) in flows.Newest(take))
            {
                // Rows that arrived after Received was read come again with the next signal: the time says which.
                if (f.Time <= _newestSeen)
                {
                    continue;
                }

                newest = f.Time > newest ? f.Time : newest;
                Count(f);
                if (f.Verdict is "DROPPED" or "ERROR")
                {
                    Raw(f);
                }
            }

            _newestSeen = newest;
        }
    }

    /// <summary>Writes every bucket that began before <paramref name="before"/>.</summary>
    internal void Flush(DateTimeOffset before)
    {
        lock (_gate)
        {
            foreach (var start in _buckets.Keys.Where(k => k + (long)Bucket.TotalMilliseconds <= HistoryTime.Of(before) || before == DateTimeOffset.MaxValue).Order().ToList())
            {
                var at = HistoryTime.From(start);
                var rows = _buckets[start].OrderByDescending(kv => kv.Value).ToList();
                foreach (var (k, n) in rows.Take(options.FlowAggregateTopN))
                {
                    writer.Enqueue(HistoryTables.FlowAggregates, new FlowAggregateRecord(at, k.SrcNs, k.SrcWl, k.DstNs, k.DstWl, k.Verdict, k.DropReason, k.Node, k.Protocol, k.Port, n));
                }

                var rest = rows.Skip(options.FlowAggregateTopN).Sum(kv => kv.Value);
                if (rest > 0)
                {
                    writer.Enqueue(HistoryTables.FlowAggregates, new FlowAggregateRecord(at, "", "", "", "", "", null, "", "", null, rest, Other: true));
                }

                _buckets.Remove(start);
            }

            if (_rawOverflow > 0 && (before == DateTimeOffset.MaxValue || HistoryTime.From((_rawSecond + 1) * 1000) <= before))
            {
                WriteOverflow();
            }
        }
    }

    private void Count(FlowRecord f)
    {
        var ms = HistoryTime.Of(f.Time);
        var start = ms - (ms % (long)Bucket.TotalMilliseconds);
        if (!_buckets.TryGetValue(start, out var bucket))
        {
            _buckets[start] = bucket = [];
        }

        var key = new AggregateKey(f.Source.Namespace, f.Source.Workload, f.Destination.Namespace, f.Destination.Workload, f.Verdict, f.DropReason, f.Node, f.Protocol, f.DestinationPort);
        bucket[key] = bucket.GetValueOrDefault(key) + 1;
    }

    private void Raw(FlowRecord f)
    {
        var second = HistoryTime.Of(f.Time) / 1000;
        if (second != _rawSecond)
        {
            WriteOverflow();
            _rawSecond = second;
            _rawInSecond = 0;
        }

        if (++_rawInSecond > options.RawFlowsPerSecond)
        {
            _rawOverflow++;
            return;
        }

        writer.Enqueue(HistoryTables.RawFlows, new RawFlowRecord(f.Time, f.Uuid, f.Node, f.Verdict, f.DropReason, f.Source.Namespace, f.Source.Pod,
            f.Destination.Namespace, f.Destination.Pod, f.Protocol, f.DestinationPort, f.Summary));
    }

    /// <summary>The flows over the cap in the last second, as one row that says how many were not kept.</summary>
    private void WriteOverflow()
    {
        if (_rawOverflow == 0)
        {
            return;
        }

        writer.Enqueue(HistoryTables.RawFlows, new RawFlowRecord(HistoryTime.From(_rawSecond * 1000), "", "", "OVERFLOW", null, "", "", "", "", "", null,
            $"{_rawOverflow} more drops/errors in this second not recorded (CiliumDash:History:RawFlowsPerSecond = {options.RawFlowsPerSecond})"));
        _rawOverflow = 0;
    }

    private readonly record struct AggregateKey(string SrcNs, string SrcWl, string DstNs, string DstWl, string Verdict, string? DropReason, string Node, string Protocol, long? Port);
}
