using Microsoft.Extensions.Diagnostics.Metrics;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace CiliumDash.Metrics;

/// <summary>
/// <c>/metrics</c> through the .NET metrics API and the OpenTelemetry Prometheus exporter: the dashboard's meter and
/// ASP.NET Core's, Kestrel's, SignalR's and Blazor's built-in meters. Meters are enabled through
/// <see cref="IMetricsBuilder"/> with <see cref="MeterScope.Local"/>, so a host exports only the meters its own
/// <see cref="System.Diagnostics.Metrics.IMeterFactory"/> created (several hosts in one process never mix their series).
/// </summary>
public static class MetricsHosting
{
    /// <summary>The built-in meters exported beside <see cref="CiliumDashMeter.Name"/>.</summary>
    public static readonly IReadOnlyList<string> BuiltInMeters =
    [
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "Microsoft.AspNetCore.Http.Connections",
        "Microsoft.AspNetCore.SignalR.Server",
        "Microsoft.AspNetCore.Routing",
        "Microsoft.AspNetCore.Diagnostics",
        "Microsoft.AspNetCore.RateLimiting",
        "Microsoft.AspNetCore.Authentication",
        "Microsoft.AspNetCore.Authorization",
        "Microsoft.AspNetCore.Components.Server.Circuits",
        "System.Net.Http",
    ];

    public static IServiceCollection AddCiliumDashMetrics(this IServiceCollection services, Func<IServiceProvider, ClientCounts> clients)
    {
        services.AddMetrics(m =>
        {
            foreach (var name in BuiltInMeters.Append(CiliumDashMeter.Name))
            {
                m.EnableMetrics(name, instrumentName: null, listenerName: null, scopes: MeterScope.Local);
            }
        });
        services.AddOpenTelemetry().ConfigureResource(r => r.AddService("ciliumdash")).WithMetrics(b => b
            .AddView(i => i.Meter.Name == CiliumDashMeter.Name ? new MetricStreamConfiguration { CardinalityLimit = SeriesBounds.SdkCardinalityLimit } : null)
            .AddPrometheusExporter(o =>
            {
                // Observable series are read from the stores at scrape time; a cached response would show findings that
                // are gone. Scope labels on every series would only repeat the metric's prefix.
                o.ScrapeResponseCacheDurationMilliseconds = 0;
                o.ScopeInfoEnabled = false;
            }));
        services.AddSingleton(sp => new CiliumDashMeter(
            sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(),
            sp.GetRequiredService<Agents.ClusterStore>(),
            sp.GetRequiredService<Flows.FlowStore>(),
            sp.GetRequiredService<Connectivity.ConnectivityStore>(),
            sp.GetRequiredService<Findings.FindingsEngine>(),
            clients(sp),
            sp.GetService<Events.ClusterEventStore>(),
            sp.GetService<Shared.HistoryHealth>()));
        return services;
    }

    /// <summary>Maps <c>/metrics</c>; the access policy (sign-in or the scrape token) applies as to every endpoint.</summary>
    public static IEndpointConventionBuilder MapCiliumDashMetrics(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // Created now, so its instruments exist before the first scrape.
        app.ServiceProvider.GetRequiredService<CiliumDashMeter>();
        // The exporter's middleware behind an ordinary GET endpoint (a delegate, not a bare pipeline), so /metrics stays
        // in the OpenAPI document as it always was.
        var exporter = app.CreateApplicationBuilder().UseOpenTelemetryPrometheusScrapingEndpoint(_ => true).Build();
        return app.MapGet("/metrics", (Delegate)(Func<HttpContext, Task>)(context => exporter(context)));
    }
}
