using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using CiliumDash.Configuration;
using Npgsql;
using NpgsqlTypes;

namespace CiliumDash.History;

/// <summary>
/// The shared provider: every table is partitioned by day on <c>t</c> (partitions created as records need them and
/// ahead of time, whole days dropped for retention), bulk writes go through binary COPY. Several dashboards may
/// write to one database; migrations take an advisory lock.
/// </summary>
public sealed class PostgresHistoryStore : IHistoryStore
{
    private const long DayMs = 86_400_000;
    private const long MigrationLock = 0x43694C6948697374; // "CiLiHist"

    private readonly NpgsqlDataSource _source;
    private readonly ConcurrentDictionary<(string Table, long Day), bool> _partitions = new();

    public PostgresHistoryStore(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        Description = $"PostgreSQL {builder.Host}:{builder.Port}/{builder.Database}";
        _source = NpgsqlDataSource.Create(builder);
    }

    public string Description { get; }

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var c = await _source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await c.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await ExecAsync(c, tx, $"SELECT pg_advisory_xact_lock({MigrationLock});", cancellationToken).ConfigureAwait(false);
        await ExecAsync(c, tx, "CREATE TABLE IF NOT EXISTS history_schema (version integer NOT NULL, applied timestamptz NOT NULL DEFAULT now());", cancellationToken).ConfigureAwait(false);
        var found = await ScalarAsync(c, tx, "SELECT COALESCE(MAX(version), 0) FROM history_schema;", cancellationToken).ConfigureAwait(false);
        if (found > HistorySchema.Version)
        {
            throw HistorySchema.TooNew((int)found, Description);
        }

        for (var v = (int)found + 1; v <= HistorySchema.Version; v++)
        {
            foreach (var sql in Migration(v))
            {
                await ExecAsync(c, tx, sql, cancellationToken).ConfigureAwait(false);
            }

            await ExecAsync(c, tx, $"INSERT INTO history_schema (version) VALUES ({v});", cancellationToken).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task AppendAsync(IReadOnlyList<HistoryRows> batch, RecordingSegment segment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(segment);
        await using var c = await _source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        foreach (var rows in batch)
        {
            foreach (var day in rows.Rows.Select(r => Day((long)r[0]!)).Distinct())
            {
                await EnsurePartitionAsync(c, rows.Table, day, cancellationToken).ConfigureAwait(false);
            }
        }

        await using var tx = await c.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        foreach (var rows in batch.Where(b => b.Rows.Count > 0))
        {
            var cols = rows.Table.Columns;
            var types = cols.Select(x => x.Type switch
            {
                HistoryColumnType.Whole => NpgsqlDbType.Bigint,
                HistoryColumnType.Fraction => NpgsqlDbType.Double,
                _ => NpgsqlDbType.Text,
            }).ToArray();
            await using var import = await c.BeginBinaryImportAsync(
                $"COPY {rows.Table.Name} ({string.Join(", ", cols.Select(x => x.Name))}) FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false);
            foreach (var row in rows.Rows)
            {
                await import.StartRowAsync(cancellationToken).ConfigureAwait(false);
                for (var i = 0; i < types.Length; i++)
                {
                    if (row[i] is null)
                    {
                        await import.WriteNullAsync(cancellationToken).ConfigureAwait(false);
                    }
                    else
                    {
                        await import.WriteAsync(row[i], types[i], cancellationToken).ConfigureAwait(false);
                    }
                }
            }

            await import.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var seg = new NpgsqlCommand(
            "INSERT INTO history_segments (id, started, ended) VALUES ($1, $2, $3) ON CONFLICT (id) DO UPDATE SET ended = GREATEST(history_segments.ended, excluded.ended);", c, tx))
        {
            seg.Parameters.Add(new NpgsqlParameter { Value = segment.Id });
            seg.Parameters.Add(new NpgsqlParameter { Value = HistoryTime.Of(segment.Started) });
            seg.Parameters.Add(new NpgsqlParameter { Value = HistoryTime.Of(segment.Ended) });
            await seg.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<HistoryRow>> ReadAsync(HistoryTable table, HistoryRange range, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(range);
        var column = HistoryStoreExtensions.FilterColumn(table, range);
        var sql = new StringBuilder($"SELECT {string.Join(", ", table.Columns.Select(x => x.Name))} FROM {table.Name} WHERE t >= $1 AND t < $2");
        if (column is not null)
        {
            sql.Append(CultureInfo.InvariantCulture, $" AND {column} = $4");
        }

        sql.Append(range.Newest ? " ORDER BY t DESC" : " ORDER BY t").Append(" LIMIT $3;");
        await using var cmd = _source.CreateCommand(sql.ToString());
        cmd.Parameters.Add(new NpgsqlParameter { Value = HistoryTime.Of(range.From) });
        cmd.Parameters.Add(new NpgsqlParameter { Value = HistoryTime.Of(range.To) });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (long)range.Limit });
        if (column is not null)
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = range.Value ?? (object)DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        }

        var rows = new List<HistoryRow>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var values = new object?[table.Columns.Count];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = await reader.IsDBNullAsync(i, cancellationToken).ConfigureAwait(false) ? null : reader.GetValue(i);
            }

            rows.Add(new HistoryRow(values));
        }

        if (range.Newest)
        {
            rows.Reverse();
        }

        return rows;
    }

    public async Task<IReadOnlyList<RecordingSegment>> SegmentsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var cmd = _source.CreateCommand("SELECT id, started, ended FROM history_segments WHERE ended >= $1 AND started < $2 ORDER BY started;");
        cmd.Parameters.Add(new NpgsqlParameter { Value = HistoryTime.Of(from) });
        cmd.Parameters.Add(new NpgsqlParameter { Value = HistoryTime.Of(to) });
        var list = new List<RecordingSegment>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(new RecordingSegment(reader.GetString(0), HistoryTime.From(reader.GetInt64(1)), HistoryTime.From(reader.GetInt64(2))));
        }

        return list;
    }

    public async Task PruneAsync(HistoryRetentionOptions retention, long maxBytes, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(retention);
        await using var c = await _source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var today = Day(HistoryTime.Of(now));
        var partitions = await PartitionsAsync(c, cancellationToken).ConfigureAwait(false);
        foreach (var table in HistoryTables.All)
        {
            // Ahead of time: today and the next two days exist before a record needs them.
            for (var d = today; d <= today + (2 * DayMs); d += DayMs)
            {
                await EnsurePartitionAsync(c, table, d, cancellationToken).ConfigureAwait(false);
            }

            // Whole days only: a partition goes once its last millisecond is older than the retention.
            var cut = HistoryTime.Of(now - table.RetentionOf(retention));
            foreach (var (_, name, day) in partitions.Where(p => p.Table == table.Name && p.Day + DayMs <= cut))
            {
                await DropAsync(c, table, name, day, cancellationToken).ConfigureAwait(false);
            }
        }

        var longest = HistoryTables.All.Max(t => t.RetentionOf(retention));
        await ExecAsync(c, null, $"DELETE FROM history_segments WHERE ended < {HistoryTime.Of(now - longest)};", cancellationToken).ConfigureAwait(false);

        // Over the cap: the oldest day of the bulk tables goes first, never today's.
        while (await SizeBytesAsync(cancellationToken).ConfigureAwait(false) > maxBytes)
        {
            partitions = await PartitionsAsync(c, cancellationToken).ConfigureAwait(false);
            var oldest = HistoryTables.PruneOrder
                .SelectMany(t => partitions.Where(p => p.Table == t.Name && p.Day < today).Select(p => (t, p.Name, p.Day)))
                .OrderBy(p => p.Day).FirstOrDefault();
            if (oldest.t is null)
            {
                break;
            }

            await DropAsync(c, oldest.t, oldest.Name, oldest.Day, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<long> SizeBytesAsync(CancellationToken cancellationToken)
    {
        await using var cmd = _source.CreateCommand(
            "SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0)::bigint FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace " +
            "WHERE n.nspname = current_schema() AND c.relkind = 'r' AND c.relname LIKE 'history\\_%';");
        return (long)(await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    public ValueTask DisposeAsync() => _source.DisposeAsync();

    internal static IEnumerable<string> Migration(int version)
    {
        if (version != 1)
        {
            yield break;
        }

        yield return "CREATE TABLE history_segments (id text PRIMARY KEY, started bigint NOT NULL, ended bigint NOT NULL);";
        foreach (var table in HistoryTables.All)
        {
            var cols = table.Columns.Select(c => $"{c.Name} {c.Type switch { HistoryColumnType.Whole => "bigint", HistoryColumnType.Fraction => "double precision", _ => "text" }}{(c.Name == "t" ? " NOT NULL" : "")}");
            yield return $"CREATE TABLE {table.Name} ({string.Join(", ", cols)}) PARTITION BY RANGE (t);";
            yield return $"CREATE INDEX {table.Name}_t ON {table.Name} (t);";
            foreach (var column in table.Indexed)
            {
                yield return $"CREATE INDEX {table.Name}_{column} ON {table.Name} ({column}, t);";
            }
        }
    }

    private static long Day(long ms) => ms - (((ms % DayMs) + DayMs) % DayMs);

    private static string PartitionName(HistoryTable table, long day) =>
        $"{table.Name}_p{HistoryTime.From(day).UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}";

    private async Task EnsurePartitionAsync(NpgsqlConnection c, HistoryTable table, long day, CancellationToken ct)
    {
        if (_partitions.ContainsKey((table.Name, day)))
        {
            return;
        }

        // IF NOT EXISTS: another replica may have created it a moment ago.
        await ExecAsync(c, null, $"CREATE TABLE IF NOT EXISTS {PartitionName(table, day)} PARTITION OF {table.Name} FOR VALUES FROM ({day}) TO ({day + DayMs});", ct).ConfigureAwait(false);
        _partitions[(table.Name, day)] = true;
    }

    private async Task DropAsync(NpgsqlConnection c, HistoryTable table, string name, long day, CancellationToken ct)
    {
        await ExecAsync(c, null, $"DROP TABLE IF EXISTS {name};", ct).ConfigureAwait(false);
        _partitions.TryRemove((table.Name, day), out _);
    }

    /// <summary>Each table's partitions and the first millisecond of their day, read from the catalog.</summary>
    private static async Task<List<(string Table, string Name, long Day)>> PartitionsAsync(NpgsqlConnection c, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(
            "SELECT p.relname, c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent " +
            "WHERE p.relname LIKE 'history\\_%';", c);
        var list = new List<(string, string, long)>();
        await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            var parent = reader.GetString(0);
            var name = reader.GetString(1);
            var suffix = name[(name.LastIndexOf("_p", StringComparison.Ordinal) + 2)..];
            if (DateTime.TryParseExact(suffix, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var date))
            {
                list.Add((parent, name, HistoryTime.Of(new DateTimeOffset(date, TimeSpan.Zero))));
            }
        }

        return list;
    }

    private static async Task ExecAsync(NpgsqlConnection c, NpgsqlTransaction? tx, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, c, tx);
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    private static async Task<long> ScalarAsync(NpgsqlConnection c, NpgsqlTransaction? tx, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, c, tx);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }
}
