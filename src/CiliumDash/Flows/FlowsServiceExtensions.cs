using CiliumDash.Configuration;
using Microsoft.Extensions.Options;

namespace CiliumDash.Flows;

/// <summary>The flows feature's registration: the store, the relay reader and the REST endpoints.</summary>
public static class FlowsServiceExtensions
{
    public static IServiceCollection AddFlows(this IServiceCollection services)
    {
        services.AddSingleton(sp => new FlowStore(sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IOptions<CiliumDashOptions>>().Value.Flows.WindowSize));
        services.AddSingleton<RelayFlowSource>();
        services.AddHostedService(sp => sp.GetRequiredService<RelayFlowSource>());
        return services;
    }

    public static IEndpointRouteBuilder MapFlows(this IEndpointRouteBuilder app) => app.MapFlowsApi();
}
