using System.Net;
using CiliumDash.Simulator.Cluster;
using CiliumDash.Simulator.Kubernetes;
using CiliumDash.Simulator.Relay;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CiliumDash.Simulator.Hosting;

/// <summary>
/// Serves a <see cref="SimulatedCluster"/> over the real protocols: a hubble-relay stand-in (gRPC over h2c, or over
/// TLS with <see cref="RelayTls"/>) and a
/// Kubernetes API stand-in (HTTP/1.1 + WebSocket exec), each on its own loopback listener. Used in-process by the
/// dashboard's default run and the tests, and by the standalone executable.
/// </summary>
public sealed class SimulatorHost : IAsyncDisposable
{
    private readonly WebApplication _relay;
    private readonly WebApplication _kube;

    private SimulatorHost(SimulatedCluster cluster, WebApplication relay, WebApplication kube, Uri relayUrl, Uri kubeUrl)
    {
        Cluster = cluster;
        _relay = relay;
        _kube = kube;
        RelayUrl = relayUrl;
        KubeUrl = kubeUrl;
    }

    public SimulatedCluster Cluster { get; }

    /// <summary>e.g. http://127.0.0.1:4245/ — plaintext gRPC, as hubble-relay serves it by default; https://… with TLS.</summary>
    public Uri RelayUrl { get; }

    public Uri KubeUrl { get; }

    /// <summary>The relay stand-in's services (tests reach its state through them).</summary>
    internal IServiceProvider RelayServices => _relay.Services;

    /// <summary>The Kubernetes stand-in's services (its WebSockets come from its own startup filter).</summary>
    internal IServiceProvider KubeServices => _kube.Services;

    /// <param name="relayTls">serve the relay stand-in over TLS (HTTP/2 negotiated by ALPN) instead of h2c.</param>
    /// <exception cref="IOException">a <paramref name="relayTls"/> file is missing or unreadable.</exception>
    /// <exception cref="InvalidDataException">a <paramref name="relayTls"/> file is not what it should be.</exception>
    public static async Task<SimulatorHost> StartAsync(SimulatedCluster cluster, IPEndPoint relayListen, IPEndPoint kubeListen, ILoggerProvider? logs = null, RelayTls? relayTls = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var https = relayTls?.Load();
        var relay = Build(relayListen, HttpProtocols.Http2, https, logs, services => services.AddRelayStandIn(cluster));
        relay.MapRelayStandIn();
        var kube = Build(kubeListen, HttpProtocols.Http1, null, logs, services => services.AddKubernetesStandIn(cluster));
        kube.MapKubernetesStandIn();

        await relay.StartAsync(ct);
        try
        {
            await kube.StartAsync(ct);
        }
        catch
        {
            await relay.DisposeAsync();
            throw;
        }

        return new SimulatorHost(cluster, relay, kube, Address(relay), Address(kube));
    }

    public async ValueTask DisposeAsync()
    {
        await _kube.DisposeAsync();
        await _relay.DisposeAsync();
    }

    private static WebApplication Build(IPEndPoint listen, HttpProtocols protocols, HttpsConnectionAdapterOptions? https, ILoggerProvider? logs, Action<IServiceCollection> configure)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = typeof(SimulatorHost).Assembly.GetName().Name });
        if (https is not null)
        {
            builder.WebHost.UseKestrelHttpsConfiguration();   // the slim builder leaves HTTPS out unless asked
        }

        builder.WebHost.ConfigureKestrel(k => k.Listen(listen, o =>
        {
            o.Protocols = protocols;
            if (https is not null)
            {
                o.UseHttps(https);
            }
        }));
        builder.Logging.ClearProviders();
        if (logs is not null)
        {
            builder.Logging.AddProvider(logs);
        }

        configure(builder.Services);
        return builder.Build();
    }

    private static Uri Address(WebApplication app)
    {
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal));
    }
}
