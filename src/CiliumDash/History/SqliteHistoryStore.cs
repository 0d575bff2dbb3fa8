using System.Globalization;
using System.Text;
using CiliumDash.Configuration;
using Microsoft.Data.Sqlite;

namespace CiliumDash.History;

/// <summary>
/// The embedded provider: one SQLite file in WAL mode. A crash loses at most the transactions after the last
/// checkpoint of the WAL that the OS had not written (synchronous=NORMAL), never the file's consistency.
/// </summary>
public sealed class SqliteHistoryStore : IHistoryStore
{
    private readonly string _connectionString;
    private readonly SemaphoreSlim _write = new(1, 1);

    public SqliteHistoryStore(string file)
    {
        ArgumentException.ThrowIfNullOrEmpty(file);
        File = Path.GetFullPath(file);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = File, Pooling = true, DefaultTimeout = 5 }.ToString();
    }

    public string File { get; }

    public string Description => $"Sqlite {File}";

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(File)!);
        await using var c = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await ExecAsync(c, "PRAGMA journal_mode=WAL;", cancellationToken).ConfigureAwait(false);
        await ExecAsync(c, "CREATE TABLE IF NOT EXISTS history_schema (version INTEGER NOT NULL, applied INTEGER NOT NULL);", cancellationToken).ConfigureAwait(false);
        var found = await ScalarAsync(c, "SELECT COALESCE(MAX(version), 0) FROM history_schema;", cancellationToken).ConfigureAwait(false);
        if (found > HistorySchema.Version)
        {
            throw HistorySchema.TooNew((int)found, File);
        }

        for (var v = (int)found + 1; v <= HistorySchema.Version; v++)
        {
            await using var tx = (SqliteTransaction)await c.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            foreach (var sql in Migration(v))
            {
                await ExecAsync(c, sql, cancellationToken, tx).ConfigureAwait(false);
            }

            await ExecAsync(c, $"INSERT INTO history_schema (version, applied) VALUES ({v}, {DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()});", cancellationToken, tx).ConfigureAwait(false);
            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task AppendAsync(IReadOnlyList<HistoryRows> batch, RecordingSegment segment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(segment);
        await _write.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var c = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var tx = (SqliteTransaction)await c.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            foreach (var rows in batch.Where(b => b.Rows.Count > 0))
            {
                await using var cmd = c.CreateCommand();
                cmd.Transaction = tx;
                var cols = rows.Table.Columns;
                cmd.CommandText = $"INSERT INTO {rows.Table.Name} ({string.Join(", ", cols.Select(x => x.Name))}) VALUES ({string.Join(", ", cols.Select((_, i) => "$p" + i))});";
                var parameters = cols.Select((_, i) => cmd.Parameters.Add(new SqliteParameter("$p" + i, null))).ToArray();
                foreach (var row in rows.Rows)
                {
                    for (var i = 0; i < parameters.Length; i++)
                    {
                        parameters[i].Value = row[i] ?? DBNull.Value;
                    }

                    await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
            }

            await using (var seg = c.CreateCommand())
            {
                seg.Transaction = tx;
                seg.CommandText = "INSERT INTO history_segments (id, started, ended) VALUES ($id, $s, $e) ON CONFLICT(id) DO UPDATE SET ended = excluded.ended;";
                seg.Parameters.AddWithValue("$id", segment.Id);
                seg.Parameters.AddWithValue("$s", HistoryTime.Of(segment.Started));
                seg.Parameters.AddWithValue("$e", HistoryTime.Of(segment.Ended));
                await seg.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _write.Release();
        }
    }

    public async Task<IReadOnlyList<HistoryRow>> ReadAsync(HistoryTable table, HistoryRange range, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(range);
        var column = HistoryStoreExtensions.FilterColumn(table, range);
        await using var c = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = c.CreateCommand();
        var sql = new StringBuilder($"SELECT {string.Join(", ", table.Columns.Select(x => x.Name))} FROM {table.Name} WHERE t >= $from AND t < $to");
        if (column is not null)
        {
            sql.Append(CultureInfo.InvariantCulture, $" AND {column} = $value");
            cmd.Parameters.AddWithValue("$value", range.Value ?? (object)DBNull.Value);
        }

        sql.Append(range.Newest ? " ORDER BY t DESC, rowid DESC" : " ORDER BY t, rowid").Append(" LIMIT $limit;");
        cmd.CommandText = sql.ToString();
        cmd.Parameters.AddWithValue("$from", HistoryTime.Of(range.From));
        cmd.Parameters.AddWithValue("$to", HistoryTime.Of(range.To));
        cmd.Parameters.AddWithValue("$limit", range.Limit);
        var rows = new List<HistoryRow>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var values = new object?[table.Columns.Count];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = reader.IsDBNull(i) ? null : table.Columns[i].Type switch
                {
                    HistoryColumnType.Whole => reader.GetInt64(i),
                    HistoryColumnType.Fraction => reader.GetDouble(i),
                    _ => reader.GetString(i),
                };
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
        await using var c = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT id, started, ended FROM history_segments WHERE ended >= $from AND started < $to ORDER BY started;";
        cmd.Parameters.AddWithValue("$from", HistoryTime.Of(from));
        cmd.Parameters.AddWithValue("$to", HistoryTime.Of(to));
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
        await _write.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var c = await OpenAsync(cancellationToken).ConfigureAwait(false);
            foreach (var table in HistoryTables.All)
            {
                var cut = HistoryTime.Of(now - table.RetentionOf(retention));
                await ExecAsync(c, $"DELETE FROM {table.Name} WHERE t < {cut};", cancellationToken).ConfigureAwait(false);
            }

            var longest = HistoryTables.All.Max(t => t.RetentionOf(retention));
            await ExecAsync(c, $"DELETE FROM history_segments WHERE ended < {HistoryTime.Of(now - longest)};", cancellationToken).ConfigureAwait(false);

            // Over the cap: the oldest quarter of the bulk tables goes, round by round; freed pages are reused, so the
            // file stops growing (it does not shrink without a VACUUM, which would block writers).
            for (var round = 0; round < 16 && await UsedBytesAsync(c, cancellationToken).ConfigureAwait(false) > maxBytes; round++)
            {
                foreach (var table in HistoryTables.PruneOrder)
                {
                    var min = await ScalarAsync(c, $"SELECT COALESCE(MIN(t), 0) FROM {table.Name};", cancellationToken).ConfigureAwait(false);
                    var max = await ScalarAsync(c, $"SELECT COALESCE(MAX(t), 0) FROM {table.Name};", cancellationToken).ConfigureAwait(false);
                    await ExecAsync(c, $"DELETE FROM {table.Name} WHERE t <= {min + ((max - min) / 4)};", cancellationToken).ConfigureAwait(false);
                }
            }

            await ExecAsync(c, "PRAGMA wal_checkpoint(PASSIVE);", cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _write.Release();
        }
    }

    public async Task<long> SizeBytesAsync(CancellationToken cancellationToken)
    {
        await using var c = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await UsedBytesAsync(c, cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync()
    {
        _write.Dispose();
        // Pooled connections keep the file open (and the WAL unmerged) until cleared.
        SqliteConnection.ClearAllPools();
        return ValueTask.CompletedTask;
    }

    /// <summary>The DDL of one version step.</summary>
    internal static IEnumerable<string> Migration(int version)
    {
        if (version != 1)
        {
            yield break;
        }

        yield return "CREATE TABLE history_segments (id TEXT PRIMARY KEY, started INTEGER NOT NULL, ended INTEGER NOT NULL);";
        foreach (var table in HistoryTables.All)
        {
            var cols = table.Columns.Select(c => $"{c.Name} {c.Type switch { HistoryColumnType.Whole => "INTEGER", HistoryColumnType.Fraction => "REAL", _ => "TEXT" }}{(c.Name == "t" ? " NOT NULL" : "")}");
            yield return $"CREATE TABLE {table.Name} ({string.Join(", ", cols)});";
            yield return $"CREATE INDEX {table.Name}_t ON {table.Name} (t);";
            foreach (var column in table.Indexed)
            {
                yield return $"CREATE INDEX {table.Name}_{column} ON {table.Name} ({column}, t);";
            }
        }
    }

    private static async Task<long> UsedBytesAsync(SqliteConnection c, CancellationToken ct)
    {
        var pages = await ScalarAsync(c, "PRAGMA page_count;", ct).ConfigureAwait(false);
        var free = await ScalarAsync(c, "PRAGMA freelist_count;", ct).ConfigureAwait(false);
        var size = await ScalarAsync(c, "PRAGMA page_size;", ct).ConfigureAwait(false);
        return (pages - free) * size;
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken ct)
    {
        var c = new SqliteConnection(_connectionString);
        try
        {
            await c.OpenAsync(ct).ConfigureAwait(false);
            // Durable at checkpoints, consistent always: a crash loses at most the last commits, never the file.
            await ExecAsync(c, "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;", ct).ConfigureAwait(false);
            return c;
        }
        catch
        {
            await c.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static async Task ExecAsync(SqliteConnection c, string sql, CancellationToken ct, SqliteTransaction? tx = null)
    {
        await using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    private static async Task<long> ScalarAsync(SqliteConnection c, string sql, CancellationToken ct)
    {
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }
}
