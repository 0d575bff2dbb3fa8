using CiliumDash.Agents;
using CiliumDash.Cluster;
using CiliumDash.Components;
using CiliumDash.Configuration;
using CiliumDash.Embeds;
using CiliumDash.Flows;
using CiliumDash.Push;
using k8s;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.Options;
using MudBlazor.Services;
using Serilog;

namespace CiliumDash.Hosting;

/// <summary>Everything Program.cs needs: one call to register, one to map.</summary>
public static class CiliumDashHostingExtensions
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    public static WebApplicationBuilder AddCiliumDash(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            // Loopback by default: exposing the dashboard is a deliberate act (--urls, ASPNETCORE_URLS, the chart).
            builder.WebHost.UseUrls(DefaultUrl);
        }

        // Serve the repo-level wwwroot/ from the build output in every environment (`dotnet run` has no launch profile,
        // so it runs as Production); in published output the manifest is absent and this is a no-op.
        builder.WebHost.UseStaticWebAssets();

        builder.Services.AddSerilog((services, log) => log
            .ReadFrom.Configuration(builder.Configuration)
            .Enrich.FromLogContext()
            .WriteTo.Console(formatProvider: System.Globalization.CultureInfo.InvariantCulture));

        var services = builder.Services;
        services.AddOptions<CiliumDashOptions>()
            .Bind(builder.Configuration.GetSection(CiliumDashOptions.Section), o => o.ErrorOnUnknownConfiguration = true)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<CiliumDashOptions>, CiliumDashOptionsValidator>();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<ClusterConnection>();
        services.AddSingleton(sp => new ClusterStore(sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IOptions<CiliumDashOptions>>().Value.Source.ToString()));
        services.AddSingleton(sp => new FlowStore(sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IOptions<CiliumDashOptions>>().Value.Flows.WindowSize));
        services.AddSingleton<Func<ClusterEndpoints, IAgentSource>>(sp => endpoints =>
        {
            var options = sp.GetRequiredService<IOptions<CiliumDashOptions>>().Value;
            return endpoints.Kubernetes is { } config
                ? new KubernetesAgentSource(new Kubernetes(config), options.Kubernetes, endpoints.Description)
                : new AgentSocketSource(options.AgentSocket);
        });

        // Order matters: the connection is resolved before the sources start.
        services.AddSingleton<ConnectionSetup>();
        services.AddHostedService(sp => sp.GetRequiredService<ConnectionSetup>());
        services.AddHostedService<AgentStatusPoller>();
        services.AddHostedService<RelayFlowSource>();

        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();
        services.AddPush();
        services.AddEmbeds();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new UtcTimeConverter()));
        return builder;
    }

    public static WebApplication MapCiliumDash(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseSerilogRequestLogging();
        app.UseAntiforgery();
        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        app.MapClusterApi();
        app.MapFlowsApi();
        app.MapPush();
        app.MapEmbeds();
        app.MapOps();
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()?.Addresses;
            Log.Information("CiliumDash is serving on {Urls}", string.Join(", ", addresses ?? []));
        });
        return app;
    }

    private static void MapOps(this WebApplication app)
    {
        app.MapGet("/healthz", () => Results.Text("ok"));
        app.MapGet("/readyz", (ClusterStore cluster, FlowStore flows) =>
        {
            var agents = cluster.AgentSource;
            var relay = flows.Relay;
            var ready = agents.State == SourceState.Connected && relay.State is SourceState.Connected or SourceState.Disabled;
            var body = new { ready, agents = new { state = agents.State.ToString(), agents.LastError }, relay = new { state = relay.State.ToString(), relay.LastError } };
            return ready ? Results.Ok(body) : Results.Json(body, statusCode: StatusCodes.Status503ServiceUnavailable);
        });
    }
}
