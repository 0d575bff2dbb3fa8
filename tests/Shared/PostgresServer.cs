using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace CiliumDash.Testing;

/// <summary>
/// A real PostgreSQL 15 (Debian's <c>postgresql-15</c>) in a temporary folder on a free loopback port, with its own
/// socket folder; as root it runs as the <c>postgres</c> user through <c>runuser</c>. Ready once a connection
/// succeeds; stopped (immediate) and removed on dispose.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable, IAsyncLifetime
{
    private const string Bin = "/usr/lib/postgresql/15/bin";
    private static readonly bool AsRoot = Environment.UserName == "root";
    private DirectoryInfo? _root;
    private int _databases;

    public int Port { get; private set; }

    /// <summary>A connection string to the maintenance database <c>postgres</c>.</summary>
    public string ConnectionString => Connection("postgres");

    public string Connection(string database) =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Username = "postgres", Database = database, Pooling = true, Timeout = 10 }.ToString();

    public async Task InitializeAsync()
    {
        _root = Directory.CreateTempSubdirectory("ciliumdash-pg-");
        var data = Path.Combine(_root.FullName, "data");
        var sockets = Path.Combine(_root.FullName, "sock");
        Directory.CreateDirectory(sockets);
        if (AsRoot)
        {
            await RunAsync("chown", ["-R", "postgres:postgres", _root.FullName], asPostgres: false);
        }

        await RunAsync($"{Bin}/initdb", ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync", "--no-instructions"]);
        Exception? last = null;
        for (var attempt = 0; attempt < 5; attempt++)
        {
            Port = FreePort();
            try
            {
                await RunAsync($"{Bin}/pg_ctl", ["-D", data, "-l", Path.Combine(_root.FullName, "server.log"), "-w", "-t", "60", "-o",
                    $"-p {Port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off", "start"]);
                await WaitReadyAsync();
                return;
            }
            catch (InvalidOperationException ex)
            {
                // Another process took the port between our probe and the server's bind: try another.
                last = ex;
            }
        }

        throw new InvalidOperationException($"PostgreSQL did not start: {last?.Message}\n{ServerLog()}");
    }

    /// <summary>A fresh, empty database: each test gets its own.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"t{Interlocked.Increment(ref _databases)}_{Guid.NewGuid():N}"[..20];
        await using var c = new NpgsqlConnection(ConnectionString);
        await c.OpenAsync();
        await using var cmd = new NpgsqlCommand($"CREATE DATABASE {name};", c);
        await cmd.ExecuteNonQueryAsync();
        return Connection(name);
    }

    /// <summary>Stops the server (immediate: a test may have left it mid-transaction), e.g. to simulate an outage.</summary>
    public async Task StopAsync()
    {
        if (_root is not null && File.Exists(Path.Combine(_root.FullName, "data", "postmaster.pid")))
        {
            await RunAsync($"{Bin}/pg_ctl", ["-D", Path.Combine(_root.FullName, "data"), "-m", "immediate", "-w", "stop"]);
        }
    }

    public async Task DisposeAsync()
    {
        try
        {
            NpgsqlConnection.ClearAllPools();
            await StopAsync();
        }
        finally
        {
            _root?.Delete(recursive: true);
            _root = null;
        }
    }

    async ValueTask IAsyncDisposable.DisposeAsync() => await DisposeAsync();

    private Task WaitReadyAsync() => Eventually.True(async () =>
    {
        await using var c = new NpgsqlConnection(ConnectionString);
        await c.OpenAsync();
        return true;
    }, $"PostgreSQL accepting connections on 127.0.0.1:{Port}", TimeSpan.FromSeconds(60));

    private string ServerLog()
    {
        var log = _root is null ? null : Path.Combine(_root.FullName, "server.log");
        return log is not null && File.Exists(log) ? File.ReadAllText(log) : "";
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private static async Task RunAsync(string program, string[] args, bool asPostgres = true)
    {
        var info = new ProcessStartInfo(AsRoot && asPostgres ? "runuser" : program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = "/tmp",
        };
        if (AsRoot && asPostgres)
        {
            foreach (var a in (string[])["-u", "postgres", "--", program])
            {
                info.ArgumentList.Add(a);
            }
        }

        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{program} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} exited {process.ExitCode}: {await stderr}{await stdout}");
        }
    }
}
