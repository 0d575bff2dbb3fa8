using CiliumDash.Protocols.Agent;
using CiliumDash.Protocols.Json;
using CiliumDash.Simulator.Cluster;

namespace CiliumDash.Simulator.Documents;

/// <summary>How a controller has run since the agent started.</summary>
internal enum ControllerRun
{
    /// <summary>Runs every interval (or once, without one) and succeeds.</summary>
    Healthy,

    /// <summary>Failed on its first run (caches not synced yet), then succeeded — "Last error 3m33s ago, Count 0" in the notes.</summary>
    RecoveredAtStart,

    /// <summary>Never ran (regeneration-recovery, template-dir-watcher): both timestamps are Go's zero time.</summary>
    Never,
}

internal sealed record ControllerSpec(string Name, TimeSpan? Interval, ControllerRun Run);

/// <summary>
/// The agent-wide controllers of <c>controllers[]</c>: fixed agent controllers plus four per local endpoint, as in the
/// notes' "Controller Status: 23/23 healthy" (11 agent controllers + 3 endpoints × 4).
/// </summary>
internal static class AgentControllers
{
    // The dashboard tables list 20–60 controllers per node; more endpoints than this get no controller rows.
    private const int MaxControllers = 60;
    private const int MinControllers = 20;

    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    public static IReadOnlyList<ControllerSpec> Specs(SimulatedCluster cluster, SimNode node, NodeInventory inventory)
    {
        var legacy = cluster.Options.Shape == WireShape.Cilium112;
        var specs = legacy ? Cilium112Agent(node) : CurrentAgent();
        var perEndpoint = (MaxControllers - specs.Count) / 4;
        foreach (var id in inventory.EndpointIds.Take(perEndpoint))
        {
            specs.Add(new($"endpoint-{id}-regeneration-recovery", null, ControllerRun.Never));
            specs.Add(new($"resolve-identity-{id}", 5 * Minute, ControllerRun.Healthy));
            specs.Add(new($"sync-policymap-{id}", Minute, ControllerRun.Healthy));
            specs.Add(new($"sync-to-k8s-ciliumendpoint ({id})", 10 * Second, ControllerRun.Healthy));
        }

        // A node without pods has 19 rows on 1.12; real agents of that era also ran these map syncs.
        if (specs.Count < MinControllers)
        {
            specs.Add(new("bpf-map-sync-cilium_lxc", 5 * Second, ControllerRun.Healthy));
        }

        specs.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        return specs;
    }

    /// <summary>The <c>controllers</c> list; on a node with the failing-controllers fault, 1–3 of them are failing.</summary>
    public static List<ControllerStatus> Build(SimulatedCluster cluster, SimNode node, NodeInventory inventory, DateTimeOffset now)
    {
        var specs = Specs(cluster, node, inventory);
        var random = WireFormat.NodeRandom(cluster.Options.Seed, node.Index, salt: 2);
        var failing = cluster.Faults.FailingControllerNodes.Contains(node.Name)
            ? ControllerFaults.Pick(specs, WireFormat.NodeRandom(cluster.Options.Seed, node.Index, salt: 3), cluster.Nodes[0].InternalIp)
            : new Dictionary<string, string>(0);
        var controllers = new List<ControllerStatus>(specs.Count);
        foreach (var spec in specs)
        {
            // Controllers start within the agent's first seconds; the offset keeps their ticks from lining up.
            var started = cluster.StartedAt + TimeSpan.FromMilliseconds(random.Next(50, 4000));
            var uuid = NewUuid(random);
            var isFailing = failing.TryGetValue(spec.Name, out var message);
            controllers.Add(new ControllerStatus
            {
                Configuration = new()
                {
                    ErrorRetry = true,
                    ErrorRetryBase = isFailing ? "2s" : null,
                    Interval = spec.Interval is { } interval ? WireFormat.GoDuration(interval) : null,
                },
                Name = spec.Name,
                Status = isFailing ? Failing(spec, started, now, message!) : Healthy(spec, started, now),
                Uuid = uuid,
            });
        }

        return controllers;
    }

    private static ControllerRunStatus Healthy(ControllerSpec spec, DateTimeOffset started, DateTimeOffset now)
    {
        if (spec.Run == ControllerRun.Never || now < started)
        {
            return new() { LastFailureTimestamp = WireTime.Never, LastSuccessTimestamp = WireTime.Never };
        }

        var runs = spec.Interval is { } interval ? 1 + (long)((now - started) / interval) : 1;
        var lastRun = spec.Interval is { } every ? started + (every * (runs - 1)) : started;
        if (spec.Run == ControllerRun.RecoveredAtStart)
        {
            // The first attempt failed and the retry 2s later succeeded; the error message is cleared on success.
            return new() { FailureCount = 1, LastFailureTimestamp = started, LastSuccessTimestamp = lastRun + TimeSpan.FromSeconds(2), SuccessCount = runs };
        }

        return new() { LastFailureTimestamp = WireTime.Never, LastSuccessTimestamp = lastRun, SuccessCount = runs };
    }

    private static ControllerRunStatus Failing(ControllerSpec spec, DateTimeOffset started, DateTimeOffset now, string message)
    {
        // Retries back off exponentially from 2s, so failures grow with the log of the time spent failing
        // (the captured ipcache-inject-labels had 8 after a few minutes).
        var elapsed = Math.Max(0, (now - started).TotalSeconds);
        var consecutive = 1 + (long)Math.Log2(1 + (elapsed / 2));
        var everSucceeded = spec.Name != "ipcache-inject-labels" && spec.Run != ControllerRun.Never;
        // Noise instead of the node's generator: switching the fault on must not change other controllers' uuids.
        var lastFailure = now - TimeSpan.FromMilliseconds(WireFormat.Noise(started.Ticks, consecutive) * Math.Min(elapsed * 1000, 9000));
        return new()
        {
            ConsecutiveFailureCount = consecutive,
            FailureCount = consecutive,
            LastFailureMsg = message,
            LastFailureTimestamp = lastFailure,
            LastSuccessTimestamp = everSucceeded ? started : WireTime.Never,
            SuccessCount = everSucceeded ? 1 : null,
        };
    }

    private static List<ControllerSpec> Cilium112Agent(SimNode node) =>
    [
        new("cilium-health-ep", Minute, ControllerRun.Healthy),
        new("dns-garbage-collector-job", Minute, ControllerRun.Healthy),
        new("endpoint-gc", 5 * Minute, ControllerRun.Healthy),
        new("ipcache-inject-labels", null, ControllerRun.RecoveredAtStart),
        new("k8s-heartbeat", 30 * Second, ControllerRun.Healthy),
        new("link-cache", 15 * Second, ControllerRun.Healthy),
        new("metricsmap-bpf-prom-sync", 5 * Second, ControllerRun.Healthy),
        new("sync-endpoints-and-host-ips", Minute, ControllerRun.Healthy),
        new("sync-lb-maps-with-k8s-services", null, ControllerRun.Healthy),
        new($"sync-node-with-ciliumnode ({node.Name})", null, ControllerRun.RecoveredAtStart),
        new("template-dir-watcher", null, ControllerRun.Never),
    ];

    private static List<ControllerSpec> CurrentAgent() =>
    [
        new("cilium-health-ep", Minute, ControllerRun.Healthy),
        new("dns-garbage-collector-job", Minute, ControllerRun.Healthy),
        new("endpoint-gc", 5 * Minute, ControllerRun.Healthy),
        new("ep-bpf-prog-watchdog", 30 * Second, ControllerRun.Healthy),
        new("ipcache-inject-labels", null, ControllerRun.RecoveredAtStart),
        new("k8s-heartbeat", 30 * Second, ControllerRun.Healthy),
        new("link-cache", 15 * Second, ControllerRun.Healthy),
        new("sync-host-ips", Minute, ControllerRun.Healthy),
        new("sync-lb-maps-with-k8s-services", null, ControllerRun.Healthy),
        new("sync-utime", Minute, ControllerRun.Healthy),
        new("template-dir-watcher", null, ControllerRun.Never),
        new("write-cni-file", null, ControllerRun.Healthy),
    ];

    /// <summary>A version-4 UUID from the node's generator, so documents repeat for a seed.</summary>
    private static Guid NewUuid(Random random)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);   // version 4 (Guid's little-endian field layout)
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);   // RFC 4122 variant
        return new Guid(bytes);
    }
}
