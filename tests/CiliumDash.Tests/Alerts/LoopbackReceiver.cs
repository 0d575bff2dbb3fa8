using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace CiliumDash.Tests.Alerts;

/// <summary>A real HTTP server on 127.0.0.1 that records every POST body; the first <see cref="FailFirst"/> get a 503.</summary>
internal sealed class LoopbackReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _requests;

    private LoopbackReceiver(WebApplication app) => _app = app;

    public ConcurrentQueue<(string Path, string Body)> Received { get; } = new();

    public int FailFirst { get; set; }

    public int Requests => Volatile.Read(ref _requests);

    public Uri Address { get; private set; } = null!;

    public static async Task<LoopbackReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var receiver = new LoopbackReceiver(app);
        app.MapPost("/{**path}", async (HttpContext http) =>
        {
            using var reader = new StreamReader(http.Request.Body);
            var body = await reader.ReadToEndAsync();
            if (Interlocked.Increment(ref receiver._requests) <= receiver.FailFirst)
            {
                return Results.StatusCode(503);
            }

            receiver.Received.Enqueue((http.Request.Path.Value ?? "", body));
            return Results.Ok();
        });
        await app.StartAsync();
        receiver.Address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return receiver;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
