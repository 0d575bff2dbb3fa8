using CiliumDash.Configuration;
using Microsoft.Extensions.Options;

namespace CiliumDash.Flows;

/// <summary>The flows feature's registration: the store, the relay reader and the REST endpoints.</summary>
public static class FlowsServiceExtensions
{
    public static IServiceCollection AddFlows(this IServiceCollection services)
    {
        services.AddSingleton(sp =>
        {
            var flows = sp.GetRequiredService<IOptions<CiliumDashOptions>>().Value.Flows;
            if (!flows.Redaction.Enabled)
            {
                sp.GetRequiredService<ILoggerFactory>().CreateLogger<FlowStore>().LogWarning(
                    "CiliumDash:Flows:Redaction:Enabled is false: URL credentials, query values and Authorization/Cookie headers of L7 flows are stored and shown to every viewer, in exports and in embeds");
            }

            return new FlowStore(sp.GetRequiredService<TimeProvider>(), flows.WindowSize, new FlowRedactor(flows.Redaction.Enabled, flows.Redaction.Headers));
        });
        services.AddSingleton<RelayFlowSource>();
        services.AddHostedService(sp => sp.GetRequiredService<RelayFlowSource>());
        return services;
    }

    public static IEndpointRouteBuilder MapFlows(this IEndpointRouteBuilder app) => app.MapFlowsApi();
}
