using CiliumDash.Configuration;
using Microsoft.Extensions.Options;

namespace CiliumDash.Alerts;

/// <summary>The alerts feature: the store always (disabled without a URL), the poller only with CiliumDash:Alertmanager:Url.</summary>
public static class AlertsHosting
{
    public static IServiceCollection AddAlerts(this IServiceCollection services, CiliumDashOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var am = options.Alertmanager;
        Uri? url = Uri.TryCreate(am.Url, UriKind.Absolute, out var u) ? new Uri(u.ToString().TrimEnd('/') + "/") : null;
        Uri? external = Uri.TryCreate(am.ExternalUrl, UriKind.Absolute, out var e) ? e : null;
        services.AddSingleton(sp => new AlertStore(sp.GetRequiredService<TimeProvider>(), url, external));
        services.AddSingleton<AlertReadModel>();
        if (url is not null)
        {
            // A client of its own, not IHttpClientFactory's: the factory's handlers log every request URI.
            services.AddSingleton(_ => AlertmanagerHttp.Create());
            services.AddHostedService(sp => new AlertmanagerPoller(
                sp.GetRequiredService<AlertStore>(),
                sp.GetRequiredService<AlertmanagerHttp>().Client,
                sp.GetRequiredService<IOptions<CiliumDashOptions>>().Value.Alertmanager.PollInterval,
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<AlertmanagerPoller>>()));
        }

        services.AddWebhooks(options.Notify);
        return services;
    }
}

/// <summary>The one query the alert badge pulls: a finding's alert state, from the store and the matching rule above.</summary>
public sealed class AlertReadModel(AlertStore store)
{
    public bool Enabled => store.Enabled;

    public Shared.ChangeSignal Changed => store.Changed;

    /// <summary>Why the alert state may be stale (the last read failed); null when fine or disabled.</summary>
    public string? Error => store.Current.Error;

    public FindingAlertView For(Findings.Finding finding) => FindingAlerts.For(finding, store.Current, store.External);
}

/// <summary>The poller's HttpClient, owned (and disposed) by the container.</summary>
public sealed class AlertmanagerHttp(HttpClient client) : IDisposable
{
    public HttpClient Client { get; } = client;

#pragma warning disable CA2000 // ownership of the client passes to the returned holder, which the container disposes
    public static AlertmanagerHttp Create() => new(new HttpClient { Timeout = TimeSpan.FromSeconds(10) });
#pragma warning restore CA2000

    public void Dispose() => Client.Dispose();
}
