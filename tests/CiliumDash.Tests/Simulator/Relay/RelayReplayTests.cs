using CiliumDash.Protocols.Hubble;
using CiliumDash.Protocols.Hubble.ObserverApi;
using CiliumDash.Simulator.Cluster;
using CiliumDash.Tests.Protocols;

namespace CiliumDash.Tests.Simulator.Relay;

public sealed class RelayReplayTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "ciliumdash-replay-" + Guid.NewGuid().ToString("N"));

    public RelayReplayTests() => Directory.CreateDirectory(Path.Combine(_dir, "nodes", "fedora"));

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Replay_FixtureFile_ServesItsFlowsInFileOrder()
    {
        var fixture = FlowFixtures.PathOf("hubble-otel-gke-2021-06-l3l4-10.jsonl");
        File.Copy(fixture, Path.Combine(_dir, "flows.jsonl"));
        await using var relay = await RelayHost.StartAsync(new SimulatorOptions { Scenario = _dir });

        var flows = (await relay.ReadAllAsync(new GetFlowsRequest())).Where(r => r.Flow is not null).ToList();

        var expected = File.ReadAllLines(fixture).Select(l => Google.Protobuf.JsonParser.Default.Parse<GetFlowsResponse>(l)).ToList();
        Assert.Equal(expected.Select(e => e.Flow), flows.Select(f => f.Flow));
        Assert.Equal(expected.Select(e => e.NodeName), flows.Select(f => f.NodeName));
    }

    [Fact]
    public async Task Replay_MalformedAndBareLines_SkipsBadLineKeepsOthers()
    {
        var wrapped = FlowFixtures.Line("hubble-otel-kind-2021-11-icmpv4-18.jsonl", 1);
        var bare = System.Text.Json.Nodes.JsonNode.Parse(FlowFixtures.Line("hubble-otel-kind-2021-11-icmpv4-18.jsonl", 2))!["flow"]!.ToJsonString();
        File.WriteAllLines(Path.Combine(_dir, "flows.jsonl"), [wrapped, "{not json", "", bare]);
        await using var relay = await RelayHost.StartAsync(new SimulatorOptions { Scenario = _dir });

        var flows = (await relay.ReadAllAsync(new GetFlowsRequest())).Where(r => r.Flow is not null).Select(r => r.Flow).ToList();

        Assert.Equal(["ICMPv4 EchoRequest", "ICMPv4 EchoReply"], flows.Select(f => f.Summary));
    }

    [Fact]
    public async Task Replay_Follow_KeepsStreamOpenWithoutGenerating()
    {
        File.Copy(FlowFixtures.PathOf("hubble-otel-gke-2021-10-l7-dns-5.jsonl"), Path.Combine(_dir, "flows.jsonl"));
        await using var relay = await RelayHost.StartAsync(new SimulatorOptions { Scenario = _dir, FlowsPerSecond = 1000 });
        using var call = relay.Observer.GetFlows(new GetFlowsRequest { Number = 100, Follow = true });

        var read = await call.ResponseStream.ReadUntilAsync(r => r.Count(x => x.Flow is not null) == 5);

        Assert.All(read.Where(r => r.Flow is not null), r => Assert.Equal(FlowType.L7, r.Flow.Type));
        Assert.Equal(0, relay.State.Generator.Generated);
    }

    [Fact]
    public async Task Replay_NoFlowsFile_ServesOnlyNodeStatus()
    {
        await using var relay = await RelayHost.StartAsync(new SimulatorOptions { Scenario = _dir });

        var responses = await relay.ReadAllAsync(new GetFlowsRequest());

        Assert.Single(responses);
        Assert.Equal(["fedora"], responses[0].NodeStatus.NodeNames);
    }
}
