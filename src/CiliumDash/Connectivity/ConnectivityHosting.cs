using CiliumDash.Configuration;
using Microsoft.Extensions.Options;

namespace CiliumDash.Connectivity;

/// <summary>The connectivity feature's registration: its store, and its API and embed endpoints.</summary>
public static class ConnectivityHosting
{
    public static IServiceCollection AddConnectivity(this IServiceCollection services) =>
        services.AddSingleton(sp => new ConnectivityStore(sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IOptions<CiliumDashOptions>>().Value.Connectivity));

    public static IEndpointRouteBuilder MapConnectivity(this IEndpointRouteBuilder app) => app.MapConnectivityApi();
}
