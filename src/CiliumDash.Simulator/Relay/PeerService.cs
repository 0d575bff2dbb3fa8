using CiliumDash.Protocols.Hubble.PeerApi;
using Grpc.Core;

namespace CiliumDash.Simulator.Relay;

/// <summary>
/// <c>peer.Peer/Notify</c> as the agents' hubble-peer service answers it: every node as PEER_ADDED, then the stream
/// stays open (the simulated cluster's nodes never change).
/// </summary>
internal sealed class PeerService(RelayState state) : Peer.PeerBase
{
    public override async Task Notify(NotifyRequest request, IServerStreamWriter<ChangeNotification> responseStream, ServerCallContext context)
    {
        foreach (var node in state.Cluster.Nodes)
        {
            await responseStream.WriteAsync(new ChangeNotification
            {
                Name = node.Name,
                Address = $"{node.InternalIp}:{ObserverService.HubblePort}",
                Type = ChangeNotificationType.PeerAdded,
                Tls = new TLS { ServerName = ObserverService.TlsServerName(node.Name) },
            });
        }

        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, state.Cluster.Time, context.CancellationToken);
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            // the client went away
        }
    }
}
