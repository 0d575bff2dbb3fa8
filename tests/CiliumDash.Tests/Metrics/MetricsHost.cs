using System.Net;
using CiliumDash.Metrics;
using CiliumDash.Tests.Findings;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace CiliumDash.Tests.Metrics;

/// <summary>
/// Only the metrics feature on Kestrel (127.0.0.1, ephemeral port) over the stores of an <see cref="EngineFixture"/>:
/// the real meter and the real exporter on data a test builds directly.
/// </summary>
internal sealed class MetricsHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private MetricsHost(WebApplication app, Uri address)
    {
        _app = app;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
    }

    public HttpClient Client { get; }

    public static async Task<MetricsHost> StartAsync(EngineFixture stores)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Services.AddSingleton(stores.Cluster).AddSingleton(stores.Flows).AddSingleton(stores.Connectivity).AddSingleton(stores.Engine);
        builder.Services.AddCiliumDashMetrics(_ => new ClientCounts(() => 0, () => 0, () => 0));
        var app = builder.Build();
        app.MapCiliumDashMetrics();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new MetricsHost(app, new Uri(address));
    }

    public async Task<CiliumDash.Testing.PrometheusText> ScrapeAsync() =>
        CiliumDash.Testing.PrometheusText.Parse(await Client.GetStringAsync("/metrics"));

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.DisposeAsync();
    }
}
