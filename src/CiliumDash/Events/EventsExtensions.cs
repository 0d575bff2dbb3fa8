using CiliumDash.Configuration;
using Microsoft.Extensions.Options;

namespace CiliumDash.Events;

/// <summary>Registration of the cluster events: the store, the Kubernetes watch, the REST endpoint.</summary>
public static class EventsExtensions
{
    public static IServiceCollection AddClusterEvents(this IServiceCollection services)
    {
        services.AddSingleton(sp => new ClusterEventStore(sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<CiliumDashOptions>>().Value.Events.Capacity));
        services.AddHostedService<KubernetesEventWatcher>();
        return services;
    }

    public static IEndpointRouteBuilder MapClusterEvents(this IEndpointRouteBuilder app) => app.MapEventsApi();
}
