namespace CiliumDash.ServiceMap;

/// <summary>The service map's registration: the store (built at start so it sees the window from its first flow), REST and the SVG embed.</summary>
public static class ServiceMapHosting
{
    public static IServiceCollection AddServiceMap(this IServiceCollection services)
    {
        services.AddSingleton(sp => new ServiceMapStore(sp.GetRequiredService<CiliumDash.Flows.FlowStore>(), sp.GetService<IServiceMapHistory>()));
        services.AddHostedService<ServiceMapStart>();
        return services;
    }

    public static IEndpointRouteBuilder MapServiceMap(this IEndpointRouteBuilder app)
    {
        app.MapServiceMapApi();
        app.MapServiceMapSvg();
        return app;
    }

    /// <summary>Resolves the store when the host starts, so its aggregate follows the window from the beginning.</summary>
    private sealed class ServiceMapStart(ServiceMapStore store) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.FromResult(store);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
