using Microsoft.Extensions.DependencyInjection.Extensions;
using CiliumDash.Contract;
using CiliumDash.Shared;

namespace CiliumDash.Push;

/// <summary>Registration of the SignalR hub and its publisher.</summary>
public static class PushExtensions
{
    public const string HubPath = "/hubs/cluster";

    public static IServiceCollection AddPush(this IServiceCollection services)
    {
        services.AddSignalR(o =>
        {
            // Clients only send subscribe calls: small messages, one at a time, no streams.
            o.MaximumReceiveMessageSize = 16 * 1024;
            o.MaximumParallelInvocationsPerClient = 1;
            o.StreamBufferCapacity = 4;
        }).AddJsonProtocol(o => ApiJson.Configure(o.PayloadSerializerOptions));
        services.TryAddSingleton<AccessScopes>();
        services.AddSingleton<ConnectivityTopicAdapter>();
        services.AddSingleton<TopicPayloads>();
        services.AddSingleton<EventsTopicAdapter>();
        services.AddSingleton<ServiceMapTopic>();
        services.AddSingleton<PushConnections>();
        services.AddHostedService<ClusterPublisher>();
        return services;
    }

    public static IEndpointRouteBuilder MapPush(this IEndpointRouteBuilder app)
    {
        app.MapHub<ClusterHub>(HubPath, o =>
        {
            // Bounds what the server buffers per connection in each direction; a client that stops reading makes
            // its own sends wait (see PushConnection) instead of growing these.
            o.TransportMaxBufferSize = 64 * 1024;
            o.ApplicationMaxBufferSize = 32 * 1024;

            // SignalR's default, stated because the design rests on it: a send the client has not taken for this long
            // closes the connection, which frees its buffers, mailbox and sender loop. The browser client reconnects
            // and gets fresh snapshots; /metrics counts the clients waiting meanwhile (hub_stalled_clients, > 5 s).
            o.TransportSendTimeout = TimeSpan.FromSeconds(10);
        });
        return app;
    }
}
