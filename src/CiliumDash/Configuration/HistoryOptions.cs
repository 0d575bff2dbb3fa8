namespace CiliumDash.Configuration;

public enum HistoryProvider
{
    /// <summary>One SQLite file (WAL) under <see cref="HistoryOptions.Path"/>: the default, nothing to run beside.</summary>
    Sqlite,

    /// <summary>A PostgreSQL database shared by replicas, with one partition per day.</summary>
    PostgreSQL,
}

/// <summary>The durable history (<c>CiliumDash:History</c>): where it is kept, what is recorded, for how long.</summary>
public sealed class HistoryOptions
{
    public bool Enabled { get; set; } = true;

    public HistoryProvider Provider { get; set; } = HistoryProvider.Sqlite;

    /// <summary>Sqlite: the folder of <c>history.db</c>; relative paths are under the content root. Default <c>data</c>.</summary>
    public string Path { get; set; } = "data";

    /// <summary>PostgreSQL: an Npgsql connection string (in the chart, from a Secret).</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Records waiting for the store; beyond this, new ones are dropped and counted.</summary>
    public int QueueCapacity { get; set; } = 50_000;

    /// <summary>How often queued records are written in one batch.</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>BPF map fill is sampled per node and map at this interval.</summary>
    public TimeSpan MapFillInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Flow aggregate rows kept per 10 s bucket (the rest are summed into one "other" row).</summary>
    public int FlowAggregateTopN { get; set; } = 200;

    /// <summary>Raw drops, denials and L7 errors recorded per second at most; the rest are counted.</summary>
    public int RawFlowsPerSecond { get; set; } = 100;

    /// <summary>Sqlite: the size the file may grow to; beyond it the oldest records are pruned first.</summary>
    public long MaxSizeBytes { get; set; } = 2L * 1024 * 1024 * 1024;

    public HistoryRetentionOptions Retention { get; set; } = new();
}

/// <summary>How long each kind of record is kept.</summary>
public sealed class HistoryRetentionOptions
{
    public TimeSpan Findings { get; set; } = TimeSpan.FromDays(30);

    public TimeSpan NodeStates { get; set; } = TimeSpan.FromDays(30);

    public TimeSpan ControllerEpisodes { get; set; } = TimeSpan.FromDays(30);

    public TimeSpan MapFill { get; set; } = TimeSpan.FromDays(7);

    public TimeSpan Health { get; set; } = TimeSpan.FromDays(7);

    public TimeSpan FlowAggregates { get; set; } = TimeSpan.FromDays(7);

    public TimeSpan RawFlows { get; set; } = TimeSpan.FromDays(3);

    public TimeSpan ClusterEvents { get; set; } = TimeSpan.FromDays(30);
}

/// <summary>The history keys' checks, called by <see cref="CiliumDashOptionsValidator"/>.</summary>
internal static class HistoryOptionsValidation
{
    public static void Check(HistoryOptions h, Action<bool, string, string> check)
    {
        check(Enum.IsDefined(h.Provider), "History:Provider", "must be Sqlite or PostgreSQL.");
        if (h.Enabled && h.Provider == HistoryProvider.Sqlite)
        {
            check(!string.IsNullOrWhiteSpace(h.Path), "History:Path", "must name a folder for history.db.");
        }

        if (h.Enabled && h.Provider == HistoryProvider.PostgreSQL)
        {
            var ok = !string.IsNullOrWhiteSpace(h.ConnectionString);
            if (ok)
            {
                try
                {
                    _ = new Npgsql.NpgsqlConnectionStringBuilder(h.ConnectionString);
                }
                catch (ArgumentException)
                {
                    ok = false;
                }
            }

            check(ok, "History:ConnectionString", "must be a PostgreSQL connection string (Host=...;Database=...;Username=...) when Provider is PostgreSQL.");
        }

        check(h.QueueCapacity is >= 100 and <= 10_000_000, "History:QueueCapacity", "must be 100 to 10000000.");
        check(h.FlushInterval >= TimeSpan.FromMilliseconds(100) && h.FlushInterval <= TimeSpan.FromMinutes(1), "History:FlushInterval", "must be 00:00:00.1 to 00:01:00.");
        check(h.MapFillInterval >= TimeSpan.FromSeconds(10), "History:MapFillInterval", "must be at least 00:00:10.");
        check(h.FlowAggregateTopN is >= 10 and <= 100_000, "History:FlowAggregateTopN", "must be 10 to 100000.");
        check(h.RawFlowsPerSecond is >= 0 and <= 100_000, "History:RawFlowsPerSecond", "must be 0 to 100000.");
        check(h.MaxSizeBytes >= 16L * 1024 * 1024, "History:MaxSizeBytes", "must be at least 16777216 (16 MB).");
        var r = h.Retention;
        foreach (var (key, value) in new[]
                 {
                     ("Findings", r.Findings), ("NodeStates", r.NodeStates), ("ControllerEpisodes", r.ControllerEpisodes), ("MapFill", r.MapFill),
                     ("Health", r.Health), ("FlowAggregates", r.FlowAggregates), ("RawFlows", r.RawFlows), ("ClusterEvents", r.ClusterEvents),
                 })
        {
            check(value >= TimeSpan.FromHours(1) && value <= TimeSpan.FromDays(400), $"History:Retention:{key}", "must be 01:00:00 to 400.00:00:00.");
        }
    }
}
