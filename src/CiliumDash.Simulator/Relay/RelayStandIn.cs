using CiliumDash.Protocols.Hubble.ObserverApi;
using CiliumDash.Simulator.Cluster;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace CiliumDash.Simulator.Relay;

/// <summary>Hosting of the hubble-relay stand-in: gRPC <c>observer.Observer</c> and <c>peer.Peer</c> over h2c.</summary>
public static class RelayStandInExtensions
{
    /// <summary>Registers gRPC, the relay's state (rings, generator or replayed flows) and the flow generation service.</summary>
    public static IServiceCollection AddRelayStandIn(this IServiceCollection services, SimulatedCluster cluster)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(cluster);
        services.AddGrpc();
        services.TryAddSingleton(cluster);
        services.AddSingleton(sp => RelayState.Create(cluster, sp.GetRequiredService<ILoggerFactory>().CreateLogger<RelayState>()));
        services.AddHostedService<FlowGenerationService>();
        return services;
    }

    /// <summary>Maps <c>/observer.Observer/*</c> and <c>/peer.Peer/Notify</c>.</summary>
    public static IEndpointRouteBuilder MapRelayStandIn(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGrpcService<ObserverService>();
        endpoints.MapGrpcService<PeerService>();
        return endpoints;
    }
}

/// <summary>What the relay stand-in serves: the rings and, for a generated cluster, the generator that fills them.</summary>
internal sealed class RelayState
{
    private const int ReplayChunk = 4096;

    private RelayState(SimulatedCluster cluster, FlowHub hub, FlowGenerator generator)
    {
        Cluster = cluster;
        Hub = hub;
        Generator = generator;
    }

    public SimulatedCluster Cluster { get; }

    public FlowHub Hub { get; }

    public FlowGenerator Generator { get; }

    public static RelayState Create(SimulatedCluster cluster, ILogger logger)
    {
        var hub = new FlowHub(cluster.Nodes.Select(n => n.Name), cluster.Options.MaxFlowsPerNode, cluster.Time);
        if (cluster.IsReplay)
        {
            if (cluster.ReplayFlowsPath is { } path && File.Exists(path))
            {
                LoadReplay(hub, path, logger);
            }

            return new RelayState(cluster, hub, new FlowGenerator([], cluster.Options.Seed));
        }

        var templates = FlowTemplateBuilder.Build(cluster, hub.RingIndex);
        return new RelayState(cluster, hub, new FlowGenerator(templates, cluster.Options.Seed));
    }

    /// <summary>
    /// Fills the rings from a recorded flows.jsonl. Each node keeps its newest MaxFlowsPerNode events, as its ring
    /// would have; a malformed line is logged with its number and skipped so one bad line does not hide a capture.
    /// </summary>
    private static void LoadReplay(FlowHub hub, string path, ILogger logger)
    {
        var pending = new List<PendingEvent>(ReplayChunk);
        var number = 0;
        var skipped = 0;
        using var reader = File.OpenText(path);
        while (reader.ReadLine() is { } line)
        {
            number++;
            try
            {
                if (FlowJsonLines.ParseLine(line, number) is not { } response || response.NodeStatus is not null)
                {
                    continue;   // relay writes its own node_status events
                }

                var node = response.NodeName is { Length: > 0 } n ? n : response.Flow?.NodeName is { Length: > 0 } fn ? fn : "unknown";
                var time = response.Time ?? response.Flow?.Time;
                var nanos = time is null ? 0 : time.Seconds * 1_000_000_000 + time.Nanos;
                pending.Add(new PendingEvent(hub.RingFor(node), nanos, response, 0, IsFlow: response.Flow is not null));
            }
            catch (FlowJsonLineException e)
            {
                skipped++;
                logger.LogWarning("Skipping {Path}: {Message}", path, e.Message);
            }

            if (pending.Count == ReplayChunk)
            {
                hub.Append(pending.ToArray());
                pending.Clear();
            }
        }

        hub.Append(pending.ToArray());
        logger.LogInformation("Replaying {Count} events from {Path} ({Skipped} malformed lines skipped)", number - skipped, path, skipped);
    }
}
