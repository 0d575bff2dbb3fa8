using System.Net;
using CiliumDash.Configuration;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace CiliumDash.Hosting;

/// <summary>
/// Mode=None is anonymous: allowed on loopback, or anywhere with an explicit AllowAnonymous. The decision is taken
/// from the addresses Kestrel really bound once it has started, whatever configured them (<c>--urls</c>,
/// <c>ASPNETCORE_URLS</c>, <c>Kestrel:Endpoints</c> in any configuration source, code), so no setting can bypass it.
/// Without consent on a non-loopback address the app stops at once (exit code 1) and refuses every request meanwhile;
/// until the check has run, requests that arrived on a non-loopback address are refused.
/// </summary>
public sealed class ExposureGuard(IServer server, IOptions<CiliumDashOptions> options, IHostApplicationLifetime lifetime, ILogger<ExposureGuard> log)
    : IHostedLifecycleService
{
    private volatile bool _checked;
    private volatile string? _refusal;

    /// <summary>Whether the start was refused (the process then exits with code 1).</summary>
    public bool Refused => _refusal is not null;

    public Task StartedAsync(CancellationToken cancellationToken)
    {
        var auth = options.Value.Auth;
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [];
        var exposed = addresses.Where(a => !IsLocal(a)).ToList();
        if (auth.Mode == AuthMode.None && auth.AllowAnonymous)
        {
            log.LogWarning(
                "CiliumDash:Auth:AllowAnonymous is true and CiliumDash:Auth:Mode is None: anyone who reaches {Addresses} sees the cluster's networking state without signing in",
                string.Join(", ", exposed.Count > 0 ? exposed : addresses));
        }
        else if (auth.Mode == AuthMode.None && exposed.Count > 0)
        {
            _refusal = Refusal(exposed);
            log.LogCritical("{Refusal}", _refusal);
            // Stop, not throw: the operator gets this one message and exit code 1 (Program), not an abort's stack dump.
            lifetime.StopApplication();
        }

        _checked = true;
        return Task.CompletedTask;
    }

    /// <summary>The message that names the exposed addresses and the two ways out.</summary>
    public static string Refusal(IEnumerable<string> exposed) =>
        $"CiliumDash:Auth:Mode is None but the dashboard listens on {string.Join(", ", exposed)}, beyond loopback: anyone who reaches it would see the cluster. " +
        "Set CiliumDash:Auth:Mode to Token, OpenIdConnect or ProxyHeader, or set CiliumDash:Auth:AllowAnonymous=true to accept anonymous access.";

    /// <summary>Loopback IPs, <c>localhost</c>, and unix sockets or named pipes (reachable only from this host).</summary>
    public static bool IsLocal(string address)
    {
        BindingAddress binding;
        try
        {
            binding = BindingAddress.Parse(address);
        }
        catch (FormatException)
        {
            return false;
        }

        if (binding.IsUnixPipe || binding.IsNamedPipe)
        {
            return true;
        }

        var host = binding.Host.Trim('[', ']');
        return string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));
    }

    /// <summary>
    /// Requests that reach the app before the check (Kestrel accepts as soon as it binds) or after a refusal: served
    /// only on loopback while anonymous exposure is not settled.
    /// </summary>
    public bool Refuses(HttpContext context) =>
        _refusal is not null || (!_checked && RefusedBeforeCheck(options.Value.Auth, context.Connection.LocalIpAddress));

    /// <summary>Before the check: anonymous requests that arrived on a non-loopback address wait for consent.</summary>
    public static bool RefusedBeforeCheck(AuthOptions auth, IPAddress? local) =>
        auth is { Mode: AuthMode.None, AllowAnonymous: false } && local is not null && !IPAddress.IsLoopback(local.IsIPv4MappedToIPv6 ? local.MapToIPv4() : local);

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

public static class ExposureGuardExtensions
{
    public static IApplicationBuilder UseExposureGuard(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (context.RequestServices.GetRequiredService<ExposureGuard>().Refuses(context))
            {
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                await context.Response.WriteAsync("CiliumDash refuses anonymous access beyond loopback; see the dashboard's log.");
                return;
            }

            await next(context);
        });
}
