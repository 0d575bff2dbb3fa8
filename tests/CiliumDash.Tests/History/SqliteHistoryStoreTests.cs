using CiliumDash.History;
using Microsoft.Data.Sqlite;

namespace CiliumDash.Tests.History;

public sealed class SqliteHistoryStoreTests : HistoryStoreContract
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("ciliumdash-hist-");

    private string File => Path.Combine(_dir.FullName, "history.db");

    protected override Task<IHistoryStore> CreateStoreAsync() => Task.FromResult<IHistoryStore>(new SqliteHistoryStore(File));

    protected override async Task MarkSchemaVersionAsync(int version)
    {
        await using var c = new SqliteConnection($"Data Source={File};Pooling=False");
        await c.OpenAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = $"INSERT INTO history_schema (version, applied) VALUES ({version}, 0);";
        await cmd.ExecuteNonQueryAsync();
    }

    protected override Task CleanupAsync()
    {
        _dir.Delete(recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Migrate_NewFile_UsesWalJournal()
    {
        await using var c = new SqliteConnection($"Data Source={File};Pooling=False");
        await c.OpenAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", (string?)await cmd.ExecuteScalarAsync());
    }
}
