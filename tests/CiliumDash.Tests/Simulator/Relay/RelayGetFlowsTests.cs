using CiliumDash.Protocols.Hubble;
using CiliumDash.Protocols.Hubble.ObserverApi;
using CiliumDash.Protocols.Hubble.RelayApi;
using CiliumDash.Simulator.Cluster;
using CiliumDash.Simulator.Relay;
using Grpc.Core;

namespace CiliumDash.Tests.Simulator.Relay;

public sealed class RelayGetFlowsTests
{
    [Fact]
    public async Task GetFlows_RelayRestartedWithTheSameSeed_SameFlowsUnderNewUuidsNoneDroppedAsDuplicates()
    {
        using var store = new CiliumDash.Flows.FlowStore(TimeProvider.System, 1000);
        var ingest = new CiliumDash.Flows.FlowIngest(store, remember: 1000);
        var runs = new List<List<Flow>>();
        for (var run = 0; run < 2; run++)
        {
#pragma warning disable CA2000 // disposed by the await using at the end of each run; the rule misreads the loop
            await using var relay = await RelayHost.StartAsync();
#pragma warning restore CA2000
            relay.Generate(200);
            var flows = (await relay.ReadAllAsync(new GetFlowsRequest())).Where(r => r.Flow is not null).ToList();
            runs.Add(flows.Select(r => r.Flow.Clone()).ToList());
            foreach (var response in flows)
            {
                ingest.Accept(response);
            }

            ingest.Flush();
        }

        Assert.Equal((400L, 0L), (store.Received, store.Duplicates));
        Assert.Empty(runs[0].Select(f => f.Uuid).Intersect(runs[1].Select(f => f.Uuid)));
        static Flow Content(Flow f)
        {
            var c = f.Clone();
            (c.Uuid, c.Time) = ("", null);
            return c;
        }

        Assert.Equal(runs[0].Select(Content), runs[1].Select(Content));
    }

    [Fact]
    public async Task GetFlows_Number_StartsWithNodeStatusThenLastNPerNode()
    {
        await using var relay = await RelayHost.StartAsync();
        relay.Generate(500);

        var responses = await relay.ReadAllAsync(new GetFlowsRequest { Number = 7 });

        var status = responses[0].NodeStatus;
        Assert.Equal(NodeState.NodeConnected, status.StateChange);
        Assert.Equal(["fedora", "knode1"], status.NodeNames);
        Assert.Equal(ObserverService.RelayNodeName, responses[0].NodeName);
        var flows = responses.Skip(1).Select(r => r.Flow).ToList();
        Assert.All(flows, Assert.NotNull);
        Assert.Equal(7, flows.Count(f => f.NodeName == "fedora"));
        Assert.Equal(7, flows.Count(f => f.NodeName == "knode1"));
        Assert.Equal(flows.Select(f => f.Time.ToDateTimeOffset()).Order(), flows.Select(f => f.Time.ToDateTimeOffset()));
        Assert.All(responses.Skip(1), r => Assert.Equal(r.Flow.NodeName, r.NodeName));
    }

    [Fact]
    public async Task GetFlows_NumberZeroNoFollow_ReturnsWholeRing()
    {
        await using var relay = await RelayHost.StartAsync(new SimulatorOptions { FlowsPerSecond = 0, MaxFlowsPerNode = 50 });
        relay.Generate(1000);

        var responses = await relay.ReadAllAsync(new GetFlowsRequest());

        Assert.Equal(100, responses.Count(r => r.Flow is not null));
    }

    [Fact]
    public async Task GetFlows_First_ReturnsOldestPerNode()
    {
        await using var relay = await RelayHost.StartAsync();
        relay.Generate(300);
        var all = (await relay.ReadAllAsync(new GetFlowsRequest())).Where(r => r.Flow is not null).ToList();

        var first = (await relay.ReadAllAsync(new GetFlowsRequest { Number = 3, First = true })).Where(r => r.Flow is not null).ToList();

        var expected = all.GroupBy(r => r.NodeName).SelectMany(g => g.Take(3)).Select(r => r.Flow.Uuid).Order();
        Assert.Equal(expected, first.Select(r => r.Flow.Uuid).Order());
    }

    [Fact]
    public async Task GetFlows_FirstWithFollow_IsInvalidArgument()
    {
        await using var relay = await RelayHost.StartAsync();

        var e = await Assert.ThrowsAsync<RpcException>(() => relay.ReadAllAsync(new GetFlowsRequest { First = true, Follow = true }));

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
    }

    [Fact]
    public async Task GetFlows_Follow_DeliversNewFlowsWithoutGapsOrDuplicates()
    {
        await using var relay = await RelayHost.StartAsync();
        relay.Generate(100);
        var ids = relay.State.Generator.Ids;
        using var call = relay.Observer.GetFlows(new GetFlowsRequest { Number = 10, Follow = true });

        var head = await call.ResponseStream.ReadUntilAsync(r => r.Count == 1);
        Assert.NotNull(head[0].NodeStatus);
        relay.Generate(50);
        var rest = await call.ResponseStream.ReadUntilAsync(r => r.Count(x => x.Flow is not null) == 20 + 50);

        var uuids = rest.Select(r => r.Flow.Uuid).ToList();
        Assert.Equal(uuids.Count, uuids.Distinct().Count());
        var live = Enumerable.Range(100, 50).Select(i => FlowIds.Uuid(ids, i)).ToHashSet();
        Assert.Equal(live.Order(), uuids.Skip(20).Order());
        Assert.DoesNotContain(uuids.Take(20), live.Contains);
    }

    [Fact]
    public async Task GetFlows_Since_ExcludesOlderFlows()
    {
        await using var relay = await RelayHost.StartAsync();
        var now = FlowGenerationService.UnixNanos(relay.Cluster.Time.GetUtcNow());
        using var service = new FlowGenerationService(relay.State);
        service.GenerateBatch(10, now - 20_000_000_000, now - 10_000_000_000);
        service.GenerateBatch(10, now - 1_000_000_000, now);

        var responses = await relay.ReadAllAsync(new GetFlowsRequest
        {
            Since = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(relay.Cluster.Time.GetUtcNow().AddSeconds(-5)),
        });

        Assert.Equal(10, responses.Count(r => r.Flow is not null));
    }

    [Fact]
    public async Task GetFlows_WhitelistAndBlacklist_OnlyMatchingFlows()
    {
        await using var relay = await RelayHost.StartAsync();
        relay.Generate(3000);
        var request = new GetFlowsRequest
        {
            Whitelist = { new FlowFilter { SourcePod = { "shop/" } }, new FlowFilter { DestinationPod = { "shop/" } } },
            Blacklist = { new FlowFilter { Verdict = { Verdict.Forwarded } } },
        };

        var flows = (await relay.ReadAllAsync(request)).Where(r => r.Flow is not null).Select(r => r.Flow).ToList();

        Assert.NotEmpty(flows);
        Assert.All(flows, f => Assert.True(f.Source.Namespace == "shop" || f.Destination.Namespace == "shop"));
        Assert.All(flows, f => Assert.NotEqual(Verdict.Forwarded, f.Verdict));
    }

    [Fact]
    public async Task GetFlows_FilterMatchingNothing_ReturnsOnlyNodeStatus()
    {
        await using var relay = await RelayHost.StartAsync();
        relay.Generate(500);

        var responses = await relay.ReadAllAsync(new GetFlowsRequest { Whitelist = { new FlowFilter { SourcePod = { "no-such-namespace/" } } } });

        Assert.Single(responses);
        Assert.NotNull(responses[0].NodeStatus);
    }

    [Theory]
    [InlineData("source_ip", "10.0.0.300/24")]
    [InlineData("http_path", "(a)\\1")]
    [InlineData("source_label", "k8s:app in (")]
    [InlineData("protocol", "carrier-pigeon")]
    public async Task GetFlows_MalformedFilter_IsInvalidArgumentNamingFieldAndValue(string field, string value)
    {
        await using var relay = await RelayHost.StartAsync();
        var filter = field switch
        {
            "source_ip" => new FlowFilter { SourceIp = { value } },
            "http_path" => new FlowFilter { HttpPath = { value } },
            "source_label" => new FlowFilter { SourceLabel = { value } },
            _ => new FlowFilter { Protocol = { value } },
        };

        var e = await Assert.ThrowsAsync<RpcException>(() => relay.ReadAllAsync(new GetFlowsRequest { Whitelist = { filter } }));

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Contains(field, e.Status.Detail, StringComparison.Ordinal);
        Assert.Contains(value, e.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetFlows_PathologicalRegex_Completes()
    {
        await using var relay = await RelayHost.StartAsync();
        relay.Generate(2000);

        // Exponential for a backtracking engine on long inputs; linear without backtracking.
        var responses = await relay.ReadAllAsync(new GetFlowsRequest { Whitelist = { new FlowFilter { HttpPath = { "^(/|a+|a+a+)+$" } } } });

        Assert.NotNull(responses[0].NodeStatus);
        Assert.All(responses.Skip(1), r => Assert.Equal("/", new Uri(r.Flow.L7.Http.Url).AbsolutePath));
    }

    [Fact]
    public async Task GetFlows_FieldMask_KeepsOnlyListedPaths()
    {
        await using var relay = await RelayHost.StartAsync();
        relay.Generate(50);

        var responses = await relay.ReadAllAsync(new GetFlowsRequest { Number = 1, FieldMask = new() { Paths = { "verdict", "source.pod_name" } } });

        var flow = responses.Last().Flow;
        Assert.Null(flow.IP);
        Assert.Equal("", flow.Source.Namespace);
        Assert.NotEqual(Verdict.Unknown, flow.Verdict);
    }

    [Fact]
    public async Task GetFlows_RelayCutFault_EndsFollowStreamUnavailable()
    {
        await using var relay = await RelayHost.StartAsync();
        using var call = relay.Observer.GetFlows(new GetFlowsRequest { Follow = true });
        await call.ResponseStream.ReadUntilAsync(r => r.Count == 1);

        relay.Cluster.Faults.RelayCutEverySeconds = 1;
        var e = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.ReadUntilAsync(_ => false));

        Assert.Equal(StatusCode.Unavailable, e.StatusCode);
        Assert.Equal("relay restarting", e.Status.Detail);
    }

    [Fact]
    public async Task GetFlows_HangingNode_ReportedUnavailableAndItsFlowsOmitted()
    {
        await using var relay = await RelayHost.StartAsync();
        relay.Generate(300);
        relay.Cluster.Faults.HangingExecNodes = new HashSet<string> { "knode1" };

        var responses = await relay.ReadAllAsync(new GetFlowsRequest());

        Assert.Equal(["fedora"], responses[0].NodeStatus.NodeNames);
        Assert.Equal(NodeState.NodeUnavailable, responses[1].NodeStatus.StateChange);
        Assert.Equal(["knode1"], responses[1].NodeStatus.NodeNames);
        Assert.All(responses.Skip(2), r => Assert.Equal("fedora", r.NodeName));
    }

    [Fact]
    public async Task GetFlows_FollowAtConfiguredRate_ReceivesGeneratedFlows()
    {
        await using var relay = await RelayHost.StartAsync(new SimulatorOptions { FlowsPerSecond = 400 });
        using var call = relay.Observer.GetFlows(new GetFlowsRequest { Follow = true });

        var read = await call.ResponseStream.ReadUntilAsync(r => r.Count(x => x.Flow is not null) >= 20);

        Assert.NotNull(read[0].NodeStatus);
        Assert.All(read.Skip(1).Where(r => r.Flow is not null), r => Assert.False(string.IsNullOrEmpty(r.Flow.Uuid)));
    }

    [Fact]
    public async Task GetFlows_FollowerBehindRing_GetsHubbleRingBufferLostEvents()
    {
        await using var relay = await RelayHost.StartAsync(new SimulatorOptions { FlowsPerSecond = 0, MaxFlowsPerNode = 10 });
        using var call = relay.Observer.GetFlows(new GetFlowsRequest { Follow = true });
        await call.ResponseStream.ReadUntilAsync(r => r.Count == 1);

        relay.Generate(1000);   // one append: the follower finds each ring overwritten 49 times over
        var read = await call.ResponseStream.ReadUntilAsync(r => r.Count(x => x.Flow is not null) == 20);

        var lost = read.Where(r => r.LostEvents is not null).ToList();
        Assert.All(lost, r => Assert.Equal(LostEventSource.HubbleRingBuffer, r.LostEvents.Source));
        Assert.Equal(980ul, (ulong)lost.Sum(r => (long)r.LostEvents.NumEventsLost));
    }
}
