namespace CiliumDash.Findings;

/// <summary>The findings feature's registration: the engine (started with the host) and its REST endpoint.</summary>
public static class FindingsHosting
{
    public static IServiceCollection AddFindings(this IServiceCollection services)
    {
        services.AddSingleton(sp => new FindingsEngine(
            sp.GetRequiredService<CiliumDash.Agents.ClusterStore>(),
            sp.GetRequiredService<CiliumDash.Connectivity.ConnectivityStore>(),
            sp.GetRequiredService<CiliumDash.Flows.FlowStore>(),
            log: sp.GetRequiredService<ILogger<FindingsEngine>>(),
            history: sp.GetService<CiliumDash.Shared.HistoryHealth>(),
            clock: sp.GetService<CiliumDash.Replay.ViewClock>()));
        services.AddHostedService(sp => sp.GetRequiredService<FindingsEngine>());
        return services;
    }

    public static IEndpointRouteBuilder MapFindings(this IEndpointRouteBuilder app) => app.MapFindingsApi();
}
