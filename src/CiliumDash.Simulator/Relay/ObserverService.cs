using CiliumDash.Protocols.Hubble;
using CiliumDash.Protocols.Hubble.ObserverApi;
using CiliumDash.Protocols.Hubble.RelayApi;
using CiliumDash.Simulator.Cluster;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace CiliumDash.Simulator.Relay;

/// <summary>
/// <c>observer.Observer</c> as hubble-relay serves it. Nodes in <see cref="SimulatorFaults.HangingExecNodes"/> stand
/// for dead agents: relay reports them NODE_UNAVAILABLE and serves none of their flows. <c>number</c> applies per
/// node, as relay forwards the request unchanged to every agent and merges the answers.
/// </summary>
internal sealed class ObserverService(RelayState state) : Observer.ObserverBase
{
    public const int HubblePort = 4244;
    public const string RelayNodeName = "hubble-relay";

    private static readonly TimeSpan RecheckInterval = TimeSpan.FromMilliseconds(500);

    private readonly SimulatedCluster _cluster = state.Cluster;
    private readonly FlowHub _hub = state.Hub;

    public static string TlsServerName(string node) => $"{node}.{SimulatedCluster.ClusterName}.hubble-grpc.cilium.io";

    public override async Task GetFlows(GetFlowsRequest request, IServerStreamWriter<GetFlowsResponse> responseStream, ServerCallContext context)
    {
        if (request.First && request.Follow)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "first cannot be specified with follow"));
        }

        var query = FlowQuery.Create(request, state.Generator.Ids);
        var ct = context.CancellationToken;
        var startedAt = _cluster.Time.GetUtcNow();
        ThrowIfCut(startedAt);
        var (connected, unavailable) = Availability();
        // The split between backlog and live is fixed before the first message, so a client that has seen
        // node_status knows that everything appended afterwards arrives live.
        var positions = _hub.Positions();
        await responseStream.WriteAsync(NodeStatus(NodeState.NodeConnected, connected.Select(r => r.Name)), ct);
        if (unavailable.Count > 0)
        {
            await responseStream.WriteAsync(NodeStatus(NodeState.NodeUnavailable, unavailable), ct);
        }

        if (!(request.Follow && request.Number == 0 && request.Since is null))
        {
            var writer = new BatchWriter(responseStream, ct);
            foreach (var entry in query.Backlog(_hub, connected.Select(r => r.Ring), positions))
            {
                ThrowIfCut(startedAt);
                await writer.WriteAsync(entry);
            }

            await writer.FlushAsync();
        }

        if (!request.Follow)
        {
            return;
        }

        try
        {
            await FollowAsync(query, connected.Select(r => r.Ring).ToArray(), positions, responseStream, startedAt, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // the client closed the stream
        }
    }

    public override Task<ServerStatusResponse> ServerStatus(ServerStatusRequest request, ServerCallContext context)
    {
        var (connected, unavailable) = Availability();
        var stats = connected.Select(r => _hub.Stats(r.Ring)).ToList();
        var response = new ServerStatusResponse
        {
            NumFlows = (ulong)stats.Sum(s => (decimal)s.NumFlows),
            MaxFlows = (ulong)stats.Sum(s => (decimal)s.MaxFlows),
            SeenFlows = (ulong)stats.Sum(s => (decimal)s.SeenFlows),
            UptimeNs = UptimeNs(),
            NumConnectedNodes = (uint)connected.Count,
            NumUnavailableNodes = (uint)unavailable.Count,
            Version = _cluster.CiliumVersion,
            FlowsRate = _hub.FlowsRate(),
        };
        response.UnavailableNodes.Add(unavailable.Take(10));
        return Task.FromResult(response);
    }

    public override Task<GetNodesResponse> GetNodes(GetNodesRequest request, ServerCallContext context)
    {
        var hanging = _cluster.Faults.HangingExecNodes;
        var addresses = _cluster.Nodes.ToDictionary(n => n.Name, n => n.InternalIp, StringComparer.Ordinal);
        var response = new GetNodesResponse();
        for (var ring = 0; ring < _hub.RingCount; ring++)
        {
            var stats = _hub.Stats(ring);
            var up = !hanging.Contains(stats.NodeName);
            var node = new Protocols.Hubble.ObserverApi.Node
            {
                Name = stats.NodeName,
                Version = _cluster.CiliumVersion,
                Address = addresses.TryGetValue(stats.NodeName, out var ip) ? $"{ip}:{HubblePort}" : "",
                State = up ? NodeState.NodeConnected : NodeState.NodeUnavailable,
                Tls = new TLS { Enabled = true, ServerName = TlsServerName(stats.NodeName) },
            };
            if (up)
            {
                node.UptimeNs = UptimeNs();
                node.NumFlows = stats.NumFlows;
                node.MaxFlows = stats.MaxFlows;
                node.SeenFlows = stats.SeenFlows;
            }

            response.Nodes.Add(node);
        }

        return Task.FromResult(response);
    }

    public override Task<GetNamespacesResponse> GetNamespaces(GetNamespacesRequest request, ServerCallContext context)
    {
        var response = new GetNamespacesResponse();
        response.Namespaces.Add(_hub.Namespaces().Select(ns => new Namespace { Cluster = SimulatedCluster.ClusterName, Namespace_ = ns }));
        return Task.FromResult(response);
    }

    private async Task FollowAsync(FlowQuery query, int[] rings, long[] positions, IServerStreamWriter<GetFlowsResponse> stream,
        DateTimeOffset startedAt, CancellationToken ct)
    {
        var cursors = (long[])positions.Clone();
        var fresh = new List<RingEntry>();
        var merged = new List<RingEntry>();
        var writer = new BatchWriter(stream, ct);
        while (true)
        {
            ThrowIfCut(startedAt);
            if (query.UntilNanos is { } until && FlowGenerationService.UnixNanos(_cluster.Time.GetUtcNow()) > until)
            {
                return;   // nothing newer than `until` will be sent; the stream ends like a finished request
            }

            var appended = _hub.NextAppend;   // taken before reading, so an append during the read still wakes us
            merged.Clear();
            foreach (var ring in rings)
            {
                fresh.Clear();
                var lost = _hub.CopyRange(ring, cursors[ring], null, fresh, out cursors[ring]);
                if (lost > 0)
                {
                    await writer.WriteAsync(RingLost(ring, lost));
                }

                merged.AddRange(fresh);
            }

            merged.Sort(static (a, b) => a.Seq.CompareTo(b.Seq));
            foreach (var entry in merged)
            {
                if (query.UntilNanos is { } u && entry.UnixNanos > u)
                {
                    await writer.FlushAsync();
                    return;
                }

                if (query.Render(entry) is var response && (response.Flow is null || query.Matches(response.Flow)))
                {
                    await writer.WriteAsync(query.Project(response));
                }
            }

            await writer.FlushAsync();
            if (merged.Count == 0)
            {
                await Task.WhenAny(appended, Task.Delay(RecheckInterval, _cluster.Time, ct));
                ct.ThrowIfCancellationRequested();
            }
        }
    }

    /// <summary>The relay-cut and relay-down faults are re-read while streaming, so a test can switch it on for an open stream.</summary>
    private void ThrowIfCut(DateTimeOffset startedAt)
    {
        var seconds = _cluster.Faults.RelayCutEverySeconds;
        if (_cluster.Faults.RelayDown || (seconds > 0 && _cluster.Time.GetUtcNow() - startedAt >= TimeSpan.FromSeconds(seconds)))
        {
            throw new RpcException(new Status(StatusCode.Unavailable, "relay restarting"));
        }
    }

    private (List<(int Ring, string Name)> Connected, List<string> Unavailable) Availability()
    {
        var hanging = _cluster.Faults.HangingExecNodes;
        var connected = new List<(int, string)>();
        var unavailable = new List<string>();
        for (var ring = 0; ring < _hub.RingCount; ring++)
        {
            var name = _hub.RingName(ring);
            if (hanging.Contains(name))
            {
                unavailable.Add(name);
            }
            else
            {
                connected.Add((ring, name));
            }
        }

        return (connected, unavailable);
    }

    private GetFlowsResponse NodeStatus(NodeState state, IEnumerable<string> nodes)
    {
        var status = new NodeStatusEvent { StateChange = state };
        status.NodeNames.Add(nodes);
        return new GetFlowsResponse { NodeStatus = status, NodeName = RelayNodeName, Time = Timestamp.FromDateTimeOffset(_cluster.Time.GetUtcNow()) };
    }

    private GetFlowsResponse RingLost(int ring, long lost)
    {
        var time = Timestamp.FromDateTimeOffset(_cluster.Time.GetUtcNow());
        return new GetFlowsResponse
        {
            LostEvents = new LostEvent { Source = LostEventSource.HubbleRingBuffer, NumEventsLost = (ulong)lost },
            NodeName = _hub.RingName(ring),
            Time = time,
        };
    }

    private ulong UptimeNs() => (ulong)Math.Max(0, (_cluster.Time.GetUtcNow() - _cluster.StartedAt).Ticks) * 100;
}
