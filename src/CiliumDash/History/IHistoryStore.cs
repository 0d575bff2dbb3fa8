using CiliumDash.Configuration;

namespace CiliumDash.History;

/// <summary>Rows of one table to append.</summary>
public sealed record HistoryRows(HistoryTable Table, IReadOnlyList<object?[]> Rows);

/// <summary>Rows with <c>from ≤ t &lt; to</c>, optionally where an indexed column equals a value; at most
/// <see cref="Limit"/>, the newest when <see cref="Newest"/> (still returned oldest first).</summary>
public sealed record HistoryRange(DateTimeOffset From, DateTimeOffset To, int Limit = 100_000, string? Column = null, string? Value = null, bool Newest = false);

/// <summary>
/// The durable history behind both providers: append batches, read a time range, prune by retention and size, and
/// say which stretches were recorded. Implementations are thread-safe; appends come from one writer.
/// </summary>
public interface IHistoryStore : IAsyncDisposable
{
    /// <summary><c>Sqlite</c> or <c>PostgreSQL</c>, and where (a file path, or host/database without credentials).</summary>
    string Description { get; }

    /// <summary>Applies the migrations this build knows; throws <see cref="HistorySchemaException"/> when the store is newer.</summary>
    Task MigrateAsync(CancellationToken cancellationToken);

    /// <summary>Writes the batch and extends the recording segment in one transaction.</summary>
    Task AppendAsync(IReadOnlyList<HistoryRows> batch, RecordingSegment segment, CancellationToken cancellationToken);

    Task<IReadOnlyList<HistoryRow>> ReadAsync(HistoryTable table, HistoryRange range, CancellationToken cancellationToken);

    /// <summary>Recording segments that overlap the range, oldest first.</summary>
    Task<IReadOnlyList<RecordingSegment>> SegmentsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);

    /// <summary>Drops what is older than each table's retention and, over <paramref name="maxBytes"/>, the oldest bulk rows.</summary>
    Task PruneAsync(HistoryRetentionOptions retention, long maxBytes, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Bytes in use by the history (pages in use for SQLite; tables and indexes for PostgreSQL).</summary>
    Task<long> SizeBytesAsync(CancellationToken cancellationToken);
}

/// <summary>The store's schema is newer than this build, or cannot be read: the dashboard refuses to start on it.</summary>
public sealed class HistorySchemaException(string message) : Exception(message);

/// <summary>Schema versions; both providers apply the same numbered steps.</summary>
public static class HistorySchema
{
    /// <summary>The newest version this build knows.</summary>
    public const int Version = 1;

    public static HistorySchemaException TooNew(int found, string store) => new(
        $"the history store {store} has schema version {found}, newer than this CiliumDash knows ({Version}): " +
        "a newer CiliumDash wrote it. Run that version, or point CiliumDash:History:Path / ConnectionString at another store.");

    /// <summary>Which time the gaps of <paramref name="segments"/> leave unrecorded between from and to.</summary>
    public static HistoryCoverage Coverage(IReadOnlyList<RecordingSegment> segments, DateTimeOffset from, DateTimeOffset to, TimeSpan tolerance)
    {
        ArgumentNullException.ThrowIfNull(segments);
        if (segments.Count == 0)
        {
            return new HistoryCoverage(null, [new HistoryGap(from, to)]);
        }

        var gaps = new List<HistoryGap>();
        var ordered = segments.OrderBy(s => s.Started).ToList();
        var since = ordered[0].Started;
        var covered = from < since ? since : from;
        if (from < since && since - from > tolerance)
        {
            gaps.Add(new HistoryGap(from, since));
        }

        foreach (var s in ordered)
        {
            if (s.Started - covered > tolerance && s.Started > from)
            {
                gaps.Add(new HistoryGap(covered, s.Started < to ? s.Started : to));
            }

            if (s.Ended > covered)
            {
                covered = s.Ended;
            }
        }

        if (to - covered > tolerance)
        {
            gaps.Add(new HistoryGap(covered, to));
        }

        return new HistoryCoverage(since, gaps.Where(g => g.To > g.From).ToList());
    }
}

/// <summary>Typed reads over <see cref="IHistoryStore.ReadAsync"/>.</summary>
public static class HistoryStoreExtensions
{
    public static async Task<IReadOnlyList<T>> QueryAsync<T>(this IHistoryStore store, HistoryTable<T> table, HistoryRange range, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(table);
        var rows = await store.ReadAsync(table, range, cancellationToken).ConfigureAwait(false);
        return rows.Select(table.FromRow).ToList();
    }

    public static HistoryRows Rows<T>(this HistoryTable<T> table, IEnumerable<T> records)
    {
        ArgumentNullException.ThrowIfNull(table);
        return new HistoryRows(table, records.Select(table.ToRow).ToList());
    }

    /// <summary>The column to filter on, checked against the table (never user text in SQL).</summary>
    internal static string? FilterColumn(HistoryTable table, HistoryRange range) =>
        range.Column is null ? null
        : table.Indexed.Contains(range.Column) ? range.Column
        : throw new ArgumentException($"{table.Name} cannot be filtered by {range.Column}", nameof(range));
}
