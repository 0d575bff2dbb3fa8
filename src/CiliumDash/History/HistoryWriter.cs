using System.Net.Sockets;
using System.Threading.Channels;
using CiliumDash.Configuration;
using CiliumDash.Shared;

namespace CiliumDash.History;

/// <summary>One record waiting for the store.</summary>
public readonly record struct PendingRecord(HistoryTable Table, object?[] Row);

/// <summary>
/// The only path to the store: producers enqueue without waiting (a full queue drops and counts), one loop writes a
/// batch per flush interval. A failing store is retried on the shared reconnect loop while the queue keeps what fits,
/// so pages, REST and the hub never wait for the history.
/// </summary>
public sealed class HistoryWriter : IAsyncDisposable
{
    /// <summary>Records per transaction: bounds the time one write holds the SQLite file.</summary>
    public const int MaxBatch = 20_000;

    private static readonly TimeSpan PruneInterval = TimeSpan.FromMinutes(10);

    /// <summary>How long the start waits for the store's migrations before going on without it.</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(10);

    private readonly IHistoryStore _store;
    private readonly HistoryOptions _options;
    private readonly HistoryHealth _health;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly Channel<PendingRecord> _queue;
    private readonly ReconnectLoop _loop;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<PendingRecord> _batch = [];
    private readonly SemaphoreSlim _writing = new(1, 1);
    private Task? _run;
    private RecordingSegment? _segment;
    private DateTimeOffset? _lastWrite;
    private DateTimeOffset? _failingSince;
    private DateTimeOffset _nextPrune;

    // The first segment starts when the writer was made: recording begins with the dashboard.
    private readonly DateTimeOffset _started;
    private bool _migrated;
    private long _dropped;
    private int _disposed;
    private long _written;

    public HistoryWriter(IHistoryStore store, HistoryOptions options, HistoryHealth health, TimeProvider time, ILogger<HistoryWriter> log)
    {
        ArgumentNullException.ThrowIfNull(options);
        _store = store;
        _options = options;
        _health = health;
        _time = time;
        _log = log;
        _queue = Channel.CreateBounded<PendingRecord>(new BoundedChannelOptions(options.QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
        _loop = new ReconnectLoop(new ReconnectPolicy("history store", TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), Classify, Describe), time, log, OnFailure);
        _nextPrune = time.GetUtcNow();
        _started = time.GetUtcNow();
        _health.Set(new HistoryHealthState(true, store.Description, null, null, 0, null));
    }

    public IHistoryStore Store => _store;

    public long Dropped => Interlocked.Read(ref _dropped);

    public long Written => Interlocked.Read(ref _written);

    /// <summary>Records waiting in the queue.</summary>
    public int Queued => _queue.Reader.Count;

    /// <summary>Applies the migrations; a schema newer than this build stops the start (any other failure is retried).</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // A store that does not answer must not hold up the start for long: the loop keeps trying.
        using var cap = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cap.CancelAfter(StartTimeout);
        try
        {
            await _store.MigrateAsync(cap.Token).ConfigureAwait(false);
            _migrated = true;
        }
        catch (Exception ex) when (ex is not HistorySchemaException && !cancellationToken.IsCancellationRequested)
        {
            // Unreachable at start: the dashboard starts anyway and the loop migrates once the store answers.
            OnFailure(new ReconnectFailure(ex, Describe(ex), FailureKind.Transient, 1, TimeSpan.Zero));
        }

        _run = Task.Run(() => _loop.RunAsync(RunOnceAsync, _stop.Token), CancellationToken.None);
    }

    public void Enqueue<T>(HistoryTable<T> table, T record)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (!_queue.Writer.TryWrite(new PendingRecord(table, table.ToRow(record))))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    /// <summary>Writes what is queued now (tests and shutdown); false when the store refused it.</summary>
    public async Task<bool> FlushAsync(CancellationToken cancellationToken)
    {
        try
        {
            await WriteQueuedAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            OnFailure(new ReconnectFailure(ex, Describe(ex), Classify(ex), 1, TimeSpan.Zero));
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Both the recorder and the container that made the writer dispose it.
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        if (_run is not null)
        {
            await _run.ConfigureAwait(false);
        }

        // What is still queued is written once more; a store that is down loses it (counted in the log).
        using var last = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        if (!await FlushAsync(last.Token).ConfigureAwait(false))
        {
            _log.LogWarning("history: {Count} records not written at shutdown: the store did not take them", _batch.Count + _queue.Reader.Count);
        }

        _stop.Dispose();
        _writing.Dispose();
        await _store.DisposeAsync().ConfigureAwait(false);
    }

    private async ValueTask RunOnceAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            await WriteQueuedAsync(ct).ConfigureAwait(false);
            await Task.Delay(_options.FlushInterval, _time, ct).ConfigureAwait(false);
        }
    }

    private async Task WriteQueuedAsync(CancellationToken ct)
    {
        // The loop and an explicit flush (shutdown, tests) share the batch.
        await _writing.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            await WriteLockedAsync(ct).ConfigureAwait(false);
        }
        finally
        {
            _writing.Release();
        }
    }

    private async Task WriteLockedAsync(CancellationToken ct)
    {
        if (!_migrated)
        {
            await _store.MigrateAsync(ct).ConfigureAwait(false);
            _migrated = true;
        }

        do
        {
            while (_batch.Count < MaxBatch && _queue.Reader.TryRead(out var item))
            {
                _batch.Add(item);
            }

            var now = _time.GetUtcNow();
            // After a failure the record has a hole: a new segment starts with this write.
            var segment = _segment is { } s && _failingSince is null ? s with { Ended = now } : new RecordingSegment(Guid.NewGuid().ToString("N"), _segment is null ? _started : now, now);
            var rows = _batch.GroupBy(p => p.Table).Select(g => new HistoryRows(g.Key, g.Select(p => p.Row).ToList())).ToList();
            await _store.AppendAsync(rows, segment, ct).ConfigureAwait(false);
            Interlocked.Add(ref _written, _batch.Count);
            _batch.Clear();
            _segment = segment;
            _lastWrite = now;
            if (_failingSince is not null)
            {
                _log.LogInformation("history: recording again into {Store}", _store.Description);
            }

            _failingSince = null;
            _health.Set(new HistoryHealthState(true, _store.Description, null, null, Dropped, now));
        }
        while (_queue.Reader.Count > 0 && !ct.IsCancellationRequested);

        if (_time.GetUtcNow() >= _nextPrune)
        {
            _nextPrune = _time.GetUtcNow() + PruneInterval;
            await _store.PruneAsync(_options.Retention, _options.MaxSizeBytes, _time.GetUtcNow(), ct).ConfigureAwait(false);
        }
    }

    private void OnFailure(ReconnectFailure failure)
    {
        _failingSince ??= _lastWrite ?? _time.GetUtcNow();
        _health.Set(new HistoryHealthState(true, _store.Description, _failingSince, failure.Message, Dropped, _lastWrite));
    }

    private static FailureKind Classify(Exception ex) => ex is HistorySchemaException ? FailureKind.Fatal : FailureKind.Transient;

    /// <summary>The reason the finding shows: the engine's own words, never a connection string.</summary>
    internal static string Describe(Exception ex) => ex switch
    {
        Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 13 } => "the disk is full (SQLite: database or disk is full)",
        Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 5 or 6 } => "the SQLite file is locked by another process",
        Microsoft.Data.Sqlite.SqliteException s => $"SQLite: {s.Message}",
        Npgsql.NpgsqlException { InnerException: SocketException so } => $"PostgreSQL unreachable: {so.Message}",
        Npgsql.PostgresException p => $"PostgreSQL: {p.SqlState} {p.MessageText}",
        Npgsql.NpgsqlException n => $"PostgreSQL: {n.Message}",
        IOException io => $"I/O: {io.Message}",
        _ => $"{ex.GetType().Name}: {ex.Message}",
    };
}
