using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using CiliumDash.Configuration;
using Microsoft.Extensions.Options;

namespace CiliumDash.Hosting;

/// <summary>
/// Counts failed sign-ins (a wrong token at <c>/login</c>, a wrong Bearer or scrape token) per client address in a
/// fixed window. Successes cost nothing. Once an address is over the limit, its credential attempts are answered 429
/// with Retry-After without being checked, so guessing right does not slip past the limit; requests that carry no
/// credential (a session cookie, anonymous endpoints) are never limited. The client address is the TCP peer, or the
/// forwarded client when ForwardedHeaders:KnownProxies names the proxy in front.
/// </summary>
public sealed class FailedSignIns : IDisposable
{
    private readonly PartitionedRateLimiter<IPAddress> _limiter;
    private readonly TimeSpan _window;

    public FailedSignIns(IOptions<CiliumDashOptions> options)
    {
        var o = options.Value.Auth.FailedSignIns;
        _window = o.Window;
        _limiter = PartitionedRateLimiter.Create<IPAddress, IPAddress>(address => RateLimitPartition.GetFixedWindowLimiter(address, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = o.Limit,
            Window = o.Window,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
    }

    /// <summary>Whether this client is over the limit; if so, how long until it may try again.</summary>
    public bool IsBlocked(HttpContext context, out TimeSpan retryAfter)
    {
        // Zero permits asks whether any are left without taking one.
        using var lease = _limiter.AttemptAcquire(Client(context), 0);
        retryAfter = lease.IsAcquired ? TimeSpan.Zero : lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : _window;
        return !lease.IsAcquired;
    }

    public void Record(HttpContext context)
    {
        using var lease = _limiter.AttemptAcquire(Client(context), 1);
    }

    public void Dispose() => _limiter.Dispose();

    /// <summary>An IPv6 client owns at least a /64, so that is what one client is.</summary>
    private static IPAddress Client(HttpContext context)
    {
        var address = context.Connection.RemoteIpAddress ?? IPAddress.None;
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address;
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes);
    }
}

public static class FailedSignInsExtensions
{
    /// <summary>Requests that try a credential: a Bearer header, or the login form.</summary>
    public static bool TriesCredential(HttpRequest request) =>
        BearerTokenAuthentication.BearerOf(request) is not null || (HttpMethods.IsPost(request.Method) && request.Path.Equals("/login", StringComparison.OrdinalIgnoreCase));

    public static IApplicationBuilder UseFailedSignInLimit(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (TriesCredential(context.Request) && context.RequestServices.GetRequiredService<FailedSignIns>().IsBlocked(context, out var retryAfter))
            {
                var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
                context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                await Results.Problem($"too many failed sign-ins from this address; try again in {seconds} s", statusCode: StatusCodes.Status429TooManyRequests)
                    .ExecuteAsync(context);
                return;
            }

            await next(context);
        });
}
