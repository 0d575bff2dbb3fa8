using CiliumDash.Protocols.Hubble;

namespace CiliumDash.Flows;

/// <summary>One second of traffic as it arrived: flows, drops, per verdict and per drop reason.</summary>
public sealed record FlowSecond(DateTimeOffset Second, long Flows, long Drops, IReadOnlyDictionary<string, long> Verdicts, IReadOnlyDictionary<string, long> DropReasons);

/// <summary>
/// Rolling per-second counts over the last <see cref="Seconds"/> seconds plus totals since start, by arrival time
/// (the relay's clock and ours may differ; a rate is about what we received). Counted by enum number so an added
/// flow costs two array increments; names are resolved when read. Callers serialise access (the store's lock).
/// </summary>
internal sealed class FlowSeries(TimeProvider time)
{
    public const int Seconds = 300;

    private readonly Bucket[] _buckets = Enumerable.Range(0, Seconds).Select(_ => new Bucket()).ToArray();
    private readonly Dictionary<int, long> _verdictTotals = [];
    private readonly Dictionary<int, long> _dropTotals = [];

    /// <summary>The second <see cref="Add"/> counts in; read once per batch rather than once per flow.</summary>
    public long Now() => time.GetUtcNow().ToUnixTimeSeconds();

    public void Add(Verdict verdict, DropReason dropReason, long now)
    {
        var bucket = _buckets[now % Seconds];
        if (bucket.Second != now)
        {
            bucket.Reset(now);
        }

        bucket.Flows++;
        Increment(bucket.Verdicts, (int)verdict);
        Increment(_verdictTotals, (int)verdict);
        if (verdict == Verdict.Dropped)
        {
            bucket.Drops++;
            Increment(bucket.DropReasons, (int)dropReason);
            Increment(_dropTotals, (int)dropReason);
        }
    }

    public IReadOnlyDictionary<string, long> VerdictTotals() => Names<Verdict>(_verdictTotals);

    public IReadOnlyDictionary<string, long> DropReasonTotals() => Names<DropReason>(_dropTotals);

    /// <summary>The last <paramref name="count"/> whole seconds, oldest first; seconds without flows are zeros.</summary>
    public IReadOnlyList<FlowSecond> Last(int count)
    {
        count = Math.Clamp(count, 1, Seconds - 1);
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var points = new List<FlowSecond>(count);
        for (var s = now - count; s < now; s++)
        {
            var b = _buckets[s % Seconds];
            points.Add(b.Second == s
                ? new FlowSecond(DateTimeOffset.FromUnixTimeSeconds(s), b.Flows, b.Drops, Names<Verdict>(b.Verdicts), Names<DropReason>(b.DropReasons))
                : new FlowSecond(DateTimeOffset.FromUnixTimeSeconds(s), 0, 0, Empty, Empty));
        }

        return points;
    }

    private static readonly IReadOnlyDictionary<string, long> Empty = new Dictionary<string, long>();

    private static void Increment(Dictionary<int, long> counts, int key) =>
        System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(counts, key, out _)++;

    private static Dictionary<string, long> Names<T>(Dictionary<int, long> counts)
        where T : struct, System.Enum =>
        counts.ToDictionary(p => FlowMapper.Name((T)(object)p.Key), p => p.Value, StringComparer.Ordinal);

    private sealed class Bucket
    {
        public long Second { get; private set; } = -1;

        public long Flows { get; set; }

        public long Drops { get; set; }

        public Dictionary<int, long> Verdicts { get; } = [];

        public Dictionary<int, long> DropReasons { get; } = [];

        public void Reset(long second)
        {
            Second = second;
            Flows = 0;
            Drops = 0;
            Verdicts.Clear();
            DropReasons.Clear();
        }
    }
}
