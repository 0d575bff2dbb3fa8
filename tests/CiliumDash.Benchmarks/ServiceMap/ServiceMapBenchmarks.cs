using BenchmarkDotNet.Attributes;
using CiliumDash.Flows;
using CiliumDash.Protocols.Hubble;
using CiliumDash.Protocols.Hubble.ObserverApi;
using CiliumDash.ServiceMap;
using CiliumDash.Shared;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace CiliumDash.Benchmarks.ServiceMap;

/// <summary>
/// The service map's server-side cost at 10,000 flows/s: one invocation ingests one second of flows (10,000 messages
/// over <see cref="Workloads"/> workloads and <see cref="Links"/> links, batches of 100 as the relay reader commits),
/// into a 10,000-flow window without the map (baseline) and with it, side by side; and one view of the full map (the
/// projection every push runs, twice a second at most). CPU share of one core = time per invocation / 1 s.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 2, iterationCount: 6)]
#pragma warning disable CA1001 // BenchmarkDotNet disposes the stores in [GlobalCleanup], which the rule does not see
public class ServiceMapBenchmarks
#pragma warning restore CA1001
{
    private const int FlowsPerSecond = 10_000;
    private const int Batch = 100;

    private byte[][] _messages = [];
    private FlowStore _plain = null!;
    private FlowStore _mapped = null!;
    private ServiceMapStore _map = null!;

    [Params(2_000, 5_000)]
    public int Workloads { get; set; }

    public int Links => Workloads == 2_000 ? 10_000 : 20_000;

    [GlobalSetup]
    public void Setup()
    {
        _messages = Messages(Workloads, Links, FlowsPerSecond * 2);
        _plain = new FlowStore(TimeProvider.System, FlowsPerSecond);
        _mapped = new FlowStore(TimeProvider.System, FlowsPerSecond);
        _map = new ServiceMapStore(_mapped);

        // Fill both windows with two seconds of flows so that every link has been seen once and eviction is running.
        Ingest(_plain);
        Ingest(_mapped);
        Ingest(_mapped);
        Console.WriteLine($"// {Workloads:N0} workloads, {Links:N0} links generated; live map holds {_map.LiveSize}");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _map.Dispose();
        _mapped.Dispose();
        _plain.Dispose();
    }

    [Benchmark(Baseline = true)]
    public long OneSecond_WindowOnly() => Ingest(_plain, FlowsPerSecond);

    [Benchmark]
    public long OneSecond_WindowAndMap() => Ingest(_mapped, FlowsPerSecond);

    [Benchmark]
    public int View_WholeMap() => _map.Query(ServiceMapQuery.Default, AccessScope.All).Edges.Count;

    private long _offset;

    private long Ingest(FlowStore store, int count = -1)
    {
        var n = count < 0 ? _messages.Length : count;
        for (var i = 0; i < n; i++)
        {
            store.Stage(GetFlowsResponse.Parser.ParseFrom(_messages[(int)(_offset++ % _messages.Length)]));
            if (i % Batch == Batch - 1)
            {
                store.Commit();
            }
        }

        store.Commit();
        return store.Received;
    }

    /// <summary>Flows over <paramref name="workloads"/> workloads in 50 namespaces, cycling through <paramref name="links"/> distinct pairs.</summary>
    internal static byte[][] Messages(int workloads, int links, int count)
    {
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var result = new byte[count][];
        for (var i = 0; i < count; i++)
        {
            var link = i % links;
            var source = link % workloads;
            var target = (source + 1 + (link / workloads * 7)) % workloads;
            var dropped = link % 50 == 0;
            var flow = new Flow
            {
                Time = Timestamp.FromDateTimeOffset(start.AddTicks(i * 1000)),
                Uuid = Guid.NewGuid().ToString(),
                NodeName = $"node-{source % 100}",
                Verdict = dropped ? Verdict.Dropped : Verdict.Forwarded,
                DropReasonDesc = dropped ? DropReason.PolicyDenied : DropReason.Unknown,
                IP = new IP { Source = $"10.{source / 250}.{source % 250}.{i % 4 + 1}", Destination = $"10.{target / 250}.{target % 250}.{i % 4 + 1}", IpVersion = IPVersion.Ipv4 },
                L4 = new Layer4 { TCP = new TCP { SourcePort = (uint)(30000 + (i % 20000)), DestinationPort = (uint)(8000 + (link % 5)), Flags = new TCPFlags { SYN = true } } },
                Source = Endpoint(source, i % 3),
                Destination = Endpoint(target, i % 2),
                Type = FlowType.L3L4,
                TrafficDirection = TrafficDirection.Egress,
                IsReply = false,
                EventType = new CiliumEventType { Type = 4 },
                Summary = "TCP Flags: SYN",
            };
            result[i] = new GetFlowsResponse { Flow = flow, NodeName = flow.NodeName, Time = flow.Time }.ToByteArray();
        }

        return result;
    }

    private static Endpoint Endpoint(int workload, int replica)
    {
        var ns = $"team-{workload % 50}";
        var name = $"svc-{workload}";
        var e = new Endpoint { ID = (uint)(1000 + workload), Identity = (uint)(20000 + workload), Namespace = ns, PodName = $"{name}-7d4b9c6f5-x{replica}x9k" };
        e.Labels.Add([$"k8s:app={name}", $"k8s:app.kubernetes.io/name={name}", $"k8s:io.kubernetes.pod.namespace={ns}"]);
        e.Workloads.Add(new Workload { Name = name, Kind = "Deployment" });
        return e;
    }
}
