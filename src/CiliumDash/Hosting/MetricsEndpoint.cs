using CiliumDash.Metrics;
using CiliumDash.Push;

namespace CiliumDash.Hosting;

/// <summary>
/// <c>/metrics</c> (Prometheus text, see <see cref="MetricsHosting"/>): the dashboard's own figures and the findings as
/// bounded series. With a sign-in mode it is behind the same access policy as every page, which also admits the scrape
/// token (<c>CiliumDash:Metrics:ScrapeToken</c>, see <see cref="ScrapeTokenAuthentication"/>) here and only here.
/// </summary>
public static class MetricsEndpoint
{
    public static IServiceCollection AddMetricsEndpoint(this IServiceCollection services) =>
        services.AddCiliumDashMetrics(sp =>
        {
            var circuits = sp.GetRequiredService<CircuitCounter>();
            var hub = sp.GetRequiredService<PushConnections>();
            return new ClientCounts(() => circuits.Open, () => hub.Count, () => hub.Stalled);
        });

    public static void MapMetrics(this IEndpointRouteBuilder app) => app.MapCiliumDashMetrics();
}
