using System.Net;
using CiliumDash.Hosting;
using CiliumDash.Testing;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CiliumDash.Tests.Hosting;

/// <summary>
/// The anonymous-exposure guard decides from what Kestrel bound. The servers here add a Kestrel endpoint on all
/// interfaces through configuration (as <c>--Kestrel:Endpoints:Http:Url</c> or <c>Kestrel__Endpoints__Http__Url</c>
/// would) next to the test's loopback listener; traffic only ever goes to 127.0.0.1.
/// </summary>
public sealed class ExposureGuardTests
{
    private const string AllInterfaces = "http://0.0.0.0:0";

    [Fact]
    public async Task NoneMode_KestrelEndpointBeyondLoopback_StopsNamingTheAddressAndTheWaysOut()
    {
        using var log = new LogCapture();
        var stopping = new StopWatch();
        using var server = new DashboardServer(
            new Dictionary<string, string?> { ["Kestrel:Endpoints:Http:Url"] = AllInterfaces, ["CiliumDash:Logging:Format"] = "Text" },
            services =>
            {
                log.Register(services);
                services.AddSingleton(stopping);
                services.AddHostedService<StopWatchService>();
            });

        // The refused host may be gone by the time the factory hands out its address.
        _ = Record.Exception(() => server.BaseAddress);
        await Eventually.True(() => stopping.Stopping, "the refused dashboard stopping");

        var refusal = Assert.Single(log.Lines, l => l.Contains("FTL]", StringComparison.Ordinal));
        Assert.Contains("listens on http://0.0.0.0:", refusal, StringComparison.Ordinal);
        Assert.Contains("CiliumDash:Auth:Mode to Token, OpenIdConnect or ProxyHeader", refusal, StringComparison.Ordinal);
        Assert.Contains("CiliumDash:Auth:AllowAnonymous=true", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoneMode_AllowAnonymousBeyondLoopback_ServesWithAStartWarningAndTheBanner()
    {
        using var log = new LogCapture();
        using var server = new DashboardServer(
            new Dictionary<string, string?>
            {
                ["Kestrel:Endpoints:Http:Url"] = AllInterfaces,
                ["CiliumDash:Auth:AllowAnonymous"] = "true",
                ["CiliumDash:Logging:Format"] = "Text",
            },
            log.Register);
        _ = server.BaseAddress;
        var addresses = server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        using var client = new HttpClient { BaseAddress = new Uri(addresses.First(a => a.StartsWith("http://127.0.0.1:", StringComparison.Ordinal))) };

        var page = await client.GetStringAsync("/");

        Assert.Contains(addresses, a => a.StartsWith("http://0.0.0.0:", StringComparison.Ordinal));
        Assert.Contains(log.Lines, l => l.Contains("WRN]", StringComparison.Ordinal) && l.Contains("CiliumDash:Auth:AllowAnonymous is true", StringComparison.Ordinal)
            && l.Contains("http://0.0.0.0:", StringComparison.Ordinal));
        Assert.Contains("anonymous-banner", page, StringComparison.Ordinal);
    }

    [Fact]
    public void TokenMode_KestrelEndpointBeyondLoopback_Starts()
    {
        using var server = new DashboardServer(new Dictionary<string, string?>
        {
            ["Kestrel:Endpoints:Http:Url"] = AllInterfaces,
            ["CiliumDash:Auth:Mode"] = "Token",
            ["CiliumDash:Auth:Token"] = "exposure-tests-token-0123",
        });

        _ = server.BaseAddress;

        Assert.Contains(server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses,
            a => a.StartsWith("http://0.0.0.0:", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("http://127.0.0.1:5080", true)]
    [InlineData("http://127.0.0.2:5080", true)]
    [InlineData("http://localhost:5080", true)]
    [InlineData("http://[::1]:5080", true)]
    [InlineData("http://unix:/run/ciliumdash.sock", true)]
    [InlineData("http://0.0.0.0:5080", false)]
    [InlineData("http://[::]:5080", false)]
    [InlineData("https://10.0.0.7:443", false)]
    [InlineData("http://dashboard.example.com:80", false)]
    public void IsLocal_BoundAddress_OnlyLoopbackAndSockets(string address, bool local) => Assert.Equal(local, ExposureGuard.IsLocal(address));

    [Theory]
    [InlineData("None", false, "10.0.0.7", true)]
    [InlineData("None", false, "127.0.0.1", false)]
    [InlineData("None", false, "::ffff:127.0.0.1", false)]
    [InlineData("None", true, "10.0.0.7", false)]
    [InlineData("Token", false, "10.0.0.7", false)]
    public void RefusedBeforeCheck_RequestsByLocalAddress_OnlyAnonymousBeyondLoopback(string mode, bool allowAnonymous, string local, bool refused) =>
        Assert.Equal(refused, ExposureGuard.RefusedBeforeCheck(
            new CiliumDash.Configuration.AuthOptions { Mode = Enum.Parse<CiliumDash.Configuration.AuthMode>(mode), AllowAnonymous = allowAnonymous }, IPAddress.Parse(local)));

    /// <summary>Notes when the app starts stopping (the refused host is disposed right after, with its services).</summary>
    private sealed class StopWatch
    {
        private volatile bool _stopping;

        public bool Stopping => _stopping;

        public void Stop() => _stopping = true;
    }

    private sealed class StopWatchService(IHostApplicationLifetime lifetime, StopWatch watch) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            lifetime.ApplicationStopping.Register(watch.Stop);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
