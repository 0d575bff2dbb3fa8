using CiliumDash.Configuration;
using CiliumDash.Shared;
using Microsoft.Extensions.Options;

namespace CiliumDash.History;

/// <summary>The history feature's registration: the store of the configured provider, its writer, the recorder.</summary>
public static class HistoryHosting
{
    /// <summary>The SQLite file's name inside <c>CiliumDash:History:Path</c>.</summary>
    public const string FileName = "history.db";

    public static IServiceCollection AddHistory(this IServiceCollection services)
    {
        // Always there: the findings engine reads it (Disabled when recording is off).
        services.AddSingleton(sp => new HistoryHealth(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IHistoryStore>(sp => CreateStore(sp.GetRequiredService<IOptions<CiliumDashOptions>>().Value.History, sp.GetRequiredService<IHostEnvironment>().ContentRootPath));
        services.AddSingleton(sp => new HistoryWriter(
            sp.GetRequiredService<IHistoryStore>(), sp.GetRequiredService<IOptions<CiliumDashOptions>>().Value.History, sp.GetRequiredService<HistoryHealth>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<HistoryWriter>>()));
        services.AddSingleton(sp => new HistoryRecorder(
            sp.GetRequiredService<HistoryWriter>(), sp.GetRequiredService<Findings.FindingsEngine>(), sp.GetRequiredService<Agents.ClusterStore>(),
            sp.GetRequiredService<Connectivity.ConnectivityStore>(), sp.GetRequiredService<Flows.FlowStore>(),
            sp.GetRequiredService<IOptions<CiliumDashOptions>>().Value.History, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<HistoryRecorder>>(),
            sp.GetService<Events.ClusterEventStore>()));
        services.AddSingleton<HistoryQueries>();
        services.AddSingleton<Contract.IHistoryQueries>(sp => sp.GetRequiredService<HistoryQueries>());
        services.AddHostedService<RecorderHost>();
        return services;
    }

    public static IHistoryStore CreateStore(HistoryOptions options, string contentRoot)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Provider == HistoryProvider.PostgreSQL
            ? new PostgresHistoryStore(options.ConnectionString!)
            : new SqliteHistoryStore(Path.Combine(Path.GetFullPath(options.Path, contentRoot), FileName));
    }

    /// <summary>Starts the recorder only when history is enabled; nothing is opened or created otherwise.</summary>
    private sealed class RecorderHost(IServiceProvider services, IOptions<CiliumDashOptions> options) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) =>
            options.Value.History.Enabled ? services.GetRequiredService<HistoryRecorder>().StartAsync(cancellationToken) : Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) =>
            options.Value.History.Enabled ? services.GetRequiredService<HistoryRecorder>().StopAsync(cancellationToken) : Task.CompletedTask;
    }
}
