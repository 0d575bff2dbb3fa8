using CiliumDash.History;
using CiliumDash.Testing;
using Npgsql;

namespace CiliumDash.Tests.History;

/// <summary>One PostgreSQL server for the class, a new database per test.</summary>
public sealed class PostgresHistoryStoreTests(PostgresServer server) : HistoryStoreContract, IClassFixture<PostgresServer>
{
    private string? _connection;

    protected override async Task<IHistoryStore> CreateStoreAsync()
    {
        _connection = await server.CreateDatabaseAsync();
        return new PostgresHistoryStore(_connection);
    }

    protected override async Task MarkSchemaVersionAsync(int version)
    {
        await using var c = new NpgsqlConnection(_connection);
        await c.OpenAsync();
        await using var cmd = new NpgsqlCommand($"INSERT INTO history_schema (version) VALUES ({version});", c);
        await cmd.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task Append_ThreeDays_OnePartitionPerDayAndOldOnesDropped()
    {
        var rows = Enumerable.Range(0, 3).Select(d => new MapFillRecord(T0.AddDays(-d), "n", "m", d)).ToList();
        await Store.AppendAsync([HistoryTables.MapFill.Rows(rows)], Segment(T0.AddDays(-2), T0), CancellationToken.None);
        Assert.Equal(["history_map_fill_p20260227", "history_map_fill_p20260228", "history_map_fill_p20260301"], await PartitionsAsync());

        await Store.PruneAsync(new() { MapFill = TimeSpan.FromDays(1) }, long.MaxValue, T0, CancellationToken.None);

        // Created ahead: today and the next two days; the day older than a day's retention is gone.
        Assert.Equal(["history_map_fill_p20260228", "history_map_fill_p20260301", "history_map_fill_p20260302", "history_map_fill_p20260303"], await PartitionsAsync());
    }

    private async Task<List<string>> PartitionsAsync()
    {
        await using var c = new NpgsqlConnection(_connection);
        await c.OpenAsync();
        await using var cmd = new NpgsqlCommand(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'history_map_fill' ORDER BY 1;", c);
        var names = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }
}
