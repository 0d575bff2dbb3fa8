using CiliumDash.Agents;
using CiliumDash.Alerts;
using CiliumDash.Cluster;
using CiliumDash.Components;
using CiliumDash.Configuration;
using CiliumDash.Connectivity;
using CiliumDash.Contract;
using CiliumDash.Embeds;
using CiliumDash.Events;
using CiliumDash.Findings;
using CiliumDash.Flows;
using CiliumDash.History;
using CiliumDash.Push;
using CiliumDash.ServiceMap;
using k8s;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;
using MudBlazor.Services;
using Serilog;
using CiliumDash.Shared;

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

        // preserveStaticLogger: this host's ILogger<T> write to this host's logger. Without it they write to the static
        // Log.Logger, which the last host built replaces and any host's disposal silences (several hosts in tests).
        builder.Services.AddSerilog((services, log) => log
            .ReadFrom.Configuration(builder.Configuration)
            .ReadFrom.Services(services)
            // Our request log line names the path only. ASP.NET's own "Request starting" line includes the query
            // string (signed-link signatures) and is never wanted, whatever level the configuration asks for.
            .MinimumLevel.Override("Microsoft.AspNetCore.Hosting.Diagnostics", Serilog.Events.LogEventLevel.Warning)
            .Enrich.FromLogContext()
            .WriteToOutput(builder.Configuration, services), preserveStaticLogger: true);

        var services = builder.Services;
        var dash = builder.Configuration.GetSection(CiliumDashOptions.Section).Get<CiliumDashOptions>() ?? new CiliumDashOptions();
        builder.AddCiliumDashAuth(dash);
        if (AddressList.TryParse(dash.ForwardedHeaders.KnownProxies, out var proxies, out _) && proxies.Networks.Count > 0)
        {
            services.Configure<ForwardedHeadersOptions>(o =>
            {
                // Only the configured proxies may say who the client is and whether it used https.
                o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
                o.KnownProxies.Clear();
                o.KnownIPNetworks.Clear();
                foreach (var network in proxies.Networks)
                {
                    o.KnownIPNetworks.Add(network);
                }
            });
        }

        services.AddOptions<CiliumDashOptions>()
            .Bind(builder.Configuration.GetSection(CiliumDashOptions.Section), o => o.ErrorOnUnknownConfiguration = true)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<CiliumDashOptions>, CiliumDashOptionsValidator>();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<ClusterConnection>();
        services.AddSingleton<CiliumDash.Replay.ViewClock>();
        services.AddSingleton(sp => new ClusterStore(sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IOptions<CiliumDashOptions>>().Value.Source.ToString()));
        services.AddConnectivity();
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
        services.AddFlows();
        services.AddFindings();
        services.AddClusterEvents();
        services.AddServiceMap();
        services.AddHistory();

        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddSingleton<CircuitCounter>();
        services.AddSingleton<Microsoft.AspNetCore.Components.Server.Circuits.CircuitHandler>(sp => sp.GetRequiredService<CircuitCounter>());
        services.AddMudServices();
        services.AddPush();
        services.AddEmbeds();
        services.AddClusterReadModel();
        services.AddMetricsEndpoint();
        services.AddAlerts(dash);
        // One JSON configuration for REST and the hub (Contract/ApiJson.cs); the REST contract as /openapi/v1.json.
        services.ConfigureHttpJsonOptions(o => ApiJson.Configure(o.SerializerOptions));
        services.AddOpenApi(o => o.CreateSchemaReferenceId = ApiContract.SchemaName);
        return builder;
    }

    public static WebApplication MapCiliumDash(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var options = app.Services.GetRequiredService<IOptions<CiliumDashOptions>>().Value;
        app.UsePeerCapture();
        if (!string.IsNullOrEmpty(options.ForwardedHeaders.KnownProxies))
        {
            app.UseForwardedHeaders();
        }

        if (NormalizePathBase(options.PathBase) is { } pathBase)
        {
            app.UsePathBase(pathBase);
        }

        app.UseSecurityHeaders(context => FramingHeaders.FrameAncestorsFor(context, options.Embeds));
        app.UseExposureGuard();
        // Paths only: query strings can carry signed-link signatures, and headers can carry tokens.
        // This host's own logger, not Serilog's static one: several hosts (tests) must not log into each other.
        var log = app.Services.GetRequiredService<Serilog.ILogger>();
        app.UseSerilogRequestLogging(o =>
        {
            o.Logger = log;
            o.MessageTemplate = "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.0} ms";
        });
        // Inside the security headers and the request log: an exception becomes a response that has both.
        app.UseErrorResponses();
        app.UseRouting();
        if (options.Auth.Mode == AuthMode.ProxyHeader)
        {
            ProxyHeaderAuthentication.UseSingleIdentityHeaders(app, options.Auth.ProxyHeader);
        }

        app.UseFailedSignInLimit();
        app.UseAuthentication();
        app.UseSignedEmbedLinks();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.MapStaticAssets().AllowAnonymous();
        app.MapLogin(options);
        // Uncompressed circuit frames. Embed panels are interactive pages framed by other origins (wiki pages), where
        // compressed frames are the case ASP.NET Core guards against by allowing only 'self' to frame them. It also
        // saves the zlib state of every idle tab (about 95 KB per circuit, docs/benchmarks.md §7); an idle overview
        // sends a few hundred bytes per update, so the bandwidth given up is small.
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode(o => o.DisableWebSocketCompression = true);
        app.MapOpenApi();
        app.MapClusterApi();
        app.MapFlows();
        app.MapConnectivity();
        app.MapFindings();
        app.MapClusterEvents();
        app.MapServiceMap();
        app.MapHistory();
        app.MapPush();
        app.MapEmbeds();
        app.MapOps();
        app.MapMetrics();
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            if (app.Services.GetService<BrowserToken>() is { Generated: true } token)
            {
                // A generated token is shown once, here, so the operator can sign in (the only secret ever logged).
                log.Warning("CiliumDash:Auth:Mode is Token and no token is configured; this run's browser token is {Token}", token.Value);
            }

            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()?.Addresses;
            if (!app.Services.GetRequiredService<ExposureGuard>().Refused)
            {
                log.Information("CiliumDash is serving on {Urls}", string.Join(", ", addresses ?? []));
            }
        });
        return app;
    }

    /// <summary>"/ciliumdash/" and "ciliumdash" both mean "/ciliumdash"; empty or "/" means the root.</summary>
    public static string? NormalizePathBase(string? pathBase)
    {
        var trimmed = pathBase?.Trim().Trim('/');
        return string.IsNullOrEmpty(trimmed) ? null : "/" + trimmed;
    }

    private static void MapOps(this WebApplication app)
    {
        app.MapGet("/healthz", () => Results.Text("ok")).AllowAnonymous();
        app.MapGet("/readyz", (ClusterStore cluster, FlowStore flows) =>
        {
            var agents = cluster.AgentSource;
            var relay = flows.Relay;
            var ready = agents.State == SourceState.Connected && relay.State is SourceState.Connected or SourceState.Disabled;
            var body = new { ready, agents = new { state = agents.State.ToString(), agents.LastError }, relay = new { state = relay.State.ToString(), relay.LastError } };
            return ready ? Results.Ok(body) : Results.Json(body, statusCode: StatusCodes.Status503ServiceUnavailable);
        }).AllowAnonymous();
    }
}
