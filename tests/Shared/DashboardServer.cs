using System.Net;
using CiliumDash.Hosting;
using CiliumDash.Simulator.Cluster;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CiliumDash.Testing;

/// <summary>
/// The real app under WebApplicationFactory, served by Kestrel on 127.0.0.1 (ephemeral port), on its in-process
/// simulated cluster unless settings say otherwise. Shared by the integration and browser tests.
/// </summary>
public sealed class DashboardServer : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _services;

    /// <param name="services">extra registrations, e.g. a log sink that a test reads.</param>
    public DashboardServer(IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        _services = services;
        _settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            // Fast polls keep tests short; every timing assertion still awaits a condition.
            ["CiliumDash:Kubernetes:PollInterval"] = "00:00:01",
            ["CiliumDash:Kubernetes:ExecTimeout"] = "00:00:02",
            ["CiliumDash:Relay:StatusPollInterval"] = "00:00:01",
            ["CiliumDash:Simulator:FlowsPerSecond"] = "50",
            ["Serilog:MinimumLevel:Default"] = "Warning",
            // Recording writes a file beside the app (the repository): tests that record give a temp folder.
            ["CiliumDash:History:Enabled"] = "false",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }

        UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
    }

    /// <summary>http://127.0.0.1:port/ once started.</summary>
    public Uri BaseAddress
    {
        get
        {
            StartServer();
            return ClientOptions.BaseAddress;
        }
    }

    /// <summary>The running simulated cluster (when Source=Simulator), to switch faults on and off.</summary>
    public SimulatedCluster Simulator
    {
        get
        {
            StartServer();
            return Services.GetRequiredService<ConnectionSetup>().Simulator
                ?? throw new InvalidOperationException("the dashboard is not running on its simulator");
        }
    }

    public HttpClient CreateLoopbackClient()
    {
        StartServer();
        return new HttpClient { BaseAddress = ClientOptions.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        if (_services is not null)
        {
            builder.ConfigureServices(_services);
        }
    }
}
