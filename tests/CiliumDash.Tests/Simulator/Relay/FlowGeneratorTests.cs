using CiliumDash.Protocols.Hubble;
using CiliumDash.Protocols.Hubble.ObserverApi;
using CiliumDash.Simulator.Cluster;
using CiliumDash.Simulator.Relay;
using Microsoft.Extensions.Logging.Abstractions;

namespace CiliumDash.Tests.Simulator.Relay;

public sealed class FlowGeneratorTests
{
    private static readonly string[] SimulatedNodes = ["fedora", "knode1"];

    private static List<GetFlowsResponse> Generate(int seed, int count, int nodes = 2)
    {
        var cluster = new SimulatedCluster(new SimulatorOptions { Seed = seed, Nodes = nodes, FlowsPerSecond = 0, MaxFlowsPerNode = count });
        var state = RelayState.Create(cluster, NullLogger.Instance);
        var generator = state.Generator;
        var result = new List<GetFlowsResponse>(count);
        for (var i = 0; i < count; i++)
        {
            var template = generator.Next(out var index);
            result.Add(template.Materialize(1_700_000_000_000_000_000 + i * 1000L, index, generator.Ids));
        }

        return result;
    }

    private static Flow WithoutTimeAndUuid(Flow flow)
    {
        var copy = flow.Clone();
        copy.Time = null;
        copy.Uuid = "";
        return copy;
    }

    [Fact]
    public void Generate_SameSeed_SameFlowsUnderNewUuids()
    {
        var a = Generate(seed: 42, 2000);
        var b = Generate(seed: 42, 2000);

        Assert.Equal(a.Select(r => WithoutTimeAndUuid(r.Flow)), b.Select(r => WithoutTimeAndUuid(r.Flow)));
        // A simulator restarted with the same seed must not reuse UUIDs: a dashboard that survives the restart would
        // drop every new flow as a duplicate.
        Assert.Empty(a.Select(r => r.Flow.Uuid).Intersect(b.Select(r => r.Flow.Uuid)));
        Assert.Equal(a.Count, a.Select(r => r.Flow.Uuid).Distinct().Count());
        Assert.All(a, r => Assert.True(Guid.TryParse(r.Flow.Uuid, out _)));
    }

    [Fact]
    public void Generate_SameRun_SameUuids()
    {
        var ids = new FlowIdSpace(42, Run: 7);

        Assert.Equal(FlowIds.Uuid(ids, 5), FlowIds.Uuid(ids, 5));
        Assert.NotEqual(FlowIds.Uuid(ids, 5), FlowIds.Uuid(ids with { Run = 8 }, 5));
    }

    [Fact]
    public void Generate_DifferentSeed_DifferentFlows()
    {
        var a = Generate(seed: 1, 200).Select(r => r.Flow.Uuid);
        var b = Generate(seed: 2, 200).Select(r => r.Flow.Uuid);

        Assert.NotEqual(a, b);
    }

    [Fact]
    public void Generate_ManyFlows_CoverHubbleShapes()
    {
        var flows = Generate(seed: 7, 20_000).Select(r => r.Flow).ToList();

        Assert.Contains(flows, f => f.Verdict == Verdict.Dropped && f.DropReasonDesc == DropReason.PolicyDenied && f.DropReason == 133 && f.EventType.Type == 1);
        Assert.Contains(flows, f => f.DropReasonDesc == DropReason.StaleOrUnroutableIp);
        Assert.Contains(flows, f => f.DropReasonDesc == DropReason.CtMapInsertionFailed);
        Assert.Contains(flows, f => f.Verdict == Verdict.Audit && f.EventType.Type == 5);
        Assert.Contains(flows, f => f.Verdict == Verdict.Redirected);
        Assert.Contains(flows, f => f.Verdict == Verdict.Translated && f.Type == FlowType.Sock);
        Assert.Contains(flows, f => f.IngressAllowedBy.Count > 0 && f.PolicyMatchType > 0);
        Assert.Contains(flows, f => f.L7?.Http is { Code: 200 } && f.L7.LatencyNs > 0 && f.Summary.StartsWith("HTTP/1.1 200", StringComparison.Ordinal));
        Assert.Contains(flows, f => f.L7?.Dns is { Query.Length: > 0 } && f.L4.UDP.DestinationPort == 53 && f.Summary.StartsWith("DNS Query", StringComparison.Ordinal));
        Assert.Contains(flows, f => f.L4.ICMPv4 is not null && f.Interface?.Name == "lxc_health");
        Assert.Contains(flows, f => f.Source.Labels.Contains("reserved:world"));
        Assert.Contains(flows, f => f.Source.Labels.Contains("reserved:host"));
        Assert.Contains(flows, f => f.Destination.Labels.Contains("reserved:remote-node"));
        Assert.Contains(flows, f => f.DestinationNames.Contains("api.payments.example"));
        Assert.Contains(flows, f => f.DestinationService is { Name: "cart", Namespace: "shop" });
        Assert.Contains(flows, f => f.Summary == "TCP Flags: SYN, ACK" && f.IsReply == true);
        Assert.All(flows, f => Assert.Equal(IPVersion.Ipv4, f.IP.IpVersion));
        Assert.All(flows, f => Assert.Contains(f.NodeName, SimulatedNodes));
    }

    [Fact]
    public void Generate_PodEndpoints_CarryHubbleLabelsAndWorkloads()
    {
        var flow = Generate(seed: 3, 5000).Select(r => r.Flow).First(f => f.Source.PodName.StartsWith("cart-", StringComparison.Ordinal));

        Assert.Equal("shop", flow.Source.Namespace);
        Assert.Contains("k8s:app=cart", flow.Source.Labels);
        Assert.Contains("k8s:io.kubernetes.pod.namespace=shop", flow.Source.Labels);
        Assert.Equal("cart", flow.Source.Workloads[0].Name);
        Assert.Equal("Deployment", flow.Source.Workloads[0].Kind);
        Assert.True(flow.Source.ID > 0);
        Assert.True(flow.Source.Identity > 0);
    }

    [Fact]
    public void Generate_LargeCluster_EveryFlowOnAKnownNode()
    {
        var flows = Generate(seed: 5, 5000, nodes: 50);

        Assert.All(flows, r => Assert.Matches("^(fedora|knode\\d{4})$", r.NodeName));
        Assert.True(flows.Select(r => r.NodeName).Distinct().Count() > 10);
    }
}
