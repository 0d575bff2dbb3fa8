using CiliumDash.Flows;
using CiliumDash.Protocols.Hubble;
using CiliumDash.Protocols.Hubble.ObserverApi;
using CiliumDash.Simulator.Relay;
using CiliumDash.Tests.Builders;
using CiliumDash.Tests.Protocols;

namespace CiliumDash.Tests.Flows;

/// <summary>What the window shows of a flow: Hubble's fields, mapped once at ingest into the row, read back as a record.</summary>
public sealed class FlowMapperTests
{
    private static readonly string[] CapturedVerdicts = ["FORWARDED", "DROPPED"];

    private static FlowRecord MapLine(string file, int line)
    {
        var response = FlowJsonLines.ParseLine(FlowFixtures.Line(file, line), line)!;
        return FlowData.Record(response);
    }

    private static IEnumerable<FlowRecord> MapFile(string file) =>
        FlowFixtures.Lines().Where(l => l.File == file).Select(l => MapLine(file, l.Line));

    [Fact]
    public void Map_EveryFixtureFlow_VerdictAndTypeAsHubbleSpellsThem()
    {
        var flows = FlowFixtures.Files().SelectMany(MapFile).ToList();

        Assert.Equal(40, flows.Count);
        Assert.All(flows, f => Assert.Contains(f.Verdict, CapturedVerdicts));
        Assert.All(flows, f => Assert.DoesNotContain("unknown", f.Verdict, StringComparison.Ordinal));
        Assert.Contains(flows, f => f.Type == "L7");
        Assert.Contains(flows, f => f.Type == "L3_L4");
    }

    [Fact]
    public void Map_PolicyDeniedDrop_KeepsReasonAndPorts()
    {
        var flow = MapLine("cilium-docs-2023-08-hubble-exporter-dropped-fieldmasked.jsonl", 2);

        Assert.Equal("DROPPED", flow.Verdict);
        Assert.Equal("POLICY_DENIED", flow.DropReason);
        Assert.Equal(("TCP", 44916u, 80u), (flow.Protocol, flow.SourcePort!.Value, flow.DestinationPort!.Value));
        Assert.Equal("kind-kind/kind-worker", flow.Node);
        Assert.Equal(("default", "xwing", "10.244.1.60"), (flow.Source.Namespace, flow.Source.Pod, flow.Source.Ip));
        Assert.Equal("deathstar-7848d6c4d5-th9v2", flow.Destination.Pod);
        Assert.Equal(new DateTimeOffset(2023, 8, 21, 12, 12, 18, TimeSpan.Zero).AddTicks(5101754), flow.Time);
    }

    [Fact]
    public void Map_InvalidSourceDrop_IcmpWithoutPorts()
    {
        var flow = MapLine("cilium-docs-2023-08-hubble-exporter-dropped-fieldmasked.jsonl", 1);

        Assert.Equal("INVALID_SOURCE_IP", flow.DropReason);
        Assert.Equal("ICMPv6", flow.Protocol);
        Assert.Null(flow.SourcePort);
        Assert.Equal("", flow.Source.Pod);
    }

    [Fact]
    public void Map_ForwardedFlow_HasNoDropReason()
    {
        var flow = MapLine("hubble-otel-gke-2021-06-l3l4-10.jsonl", 1);

        Assert.Equal("FORWARDED", flow.Verdict);
        Assert.Null(flow.DropReason);
        Assert.Equal("TCP Flags: ACK, FIN", flow.Summary);
        Assert.Equal((15020u, 42044u), (flow.SourcePort!.Value, flow.DestinationPort!.Value));
    }

    [Theory]
    [InlineData(1, "HTTP/1.1 GET http://10.128.0.4:9990/metrics")]
    [InlineData(4, "HTTP/1.1 503 999ms (GET http://10.156.1.2:9253/metrics)")]
    [InlineData(5, "HTTP/1.1 503 4138ms (GET http://10.156.0.2:9253/metrics)")]
    public void Map_HttpFlow_SummaryAsHubblePrintsIt(int line, string summary)
    {
        var flow = MapLine("hubble-otel-gke-2021-10-l7-http-5.jsonl", line);

        Assert.Equal("HTTP", flow.Protocol);
        Assert.Equal(summary, flow.Summary);
    }

    [Fact]
    public void Map_L7Fixtures_SummariesMatchTheAgents()
    {
        // These captures carry the agent's own summary, so the mapper's wording can be checked line by line.
        foreach (var (file, number, json) in FlowFixtures.Lines().Where(l => l.File.Contains("-l7-", StringComparison.Ordinal)))
        {
            var response = FlowJsonLines.ParseLine(json, number)!;
            var summary = response.Flow.Summary;
            var flow = FlowData.Record(response);

            Assert.Equal(summary, flow.Summary);
        }
    }

    [Fact]
    public void Map_DnsQuery_ProtocolIsDns() =>
        Assert.Equal("DNS", MapLine("hubble-otel-gke-2021-10-l7-dns-5.jsonl", 1).Protocol);

    [Fact]
    public void Map_DnsAnswerWithIps_QuotesThem()
    {
        var flow = new Flow
        {
            Verdict = Verdict.Forwarded,
            L7 = new Layer7 { Type = L7FlowType.Response, Dns = new DNS { Query = "cart.shop.svc.cluster.local.", Ttl = 30, ObservationSource = "proxy", Ips = { "10.96.0.12" }, Qtypes = { "A" } } },
        };

        Assert.Equal("DNS Answer \"10.96.0.12\" TTL: 30 (Proxy cart.shop.svc.cluster.local. A)", FlowData.Record(flow, "fedora").Summary);
    }

    [Fact]
    public void Map_UnknownEnumNumbers_ShownAsUnknownN()
    {
        var flow = new Flow { Verdict = (Verdict)99, DropReasonDesc = (DropReason)4242, TrafficDirection = (TrafficDirection)7 };

        var record = FlowData.Record(flow, "fedora");

        Assert.Equal("unknown (99)", record.Verdict);
        Assert.Equal("unknown (4242)", record.DropReason);
        Assert.Equal("unknown (7)", record.TrafficDirection);
    }

    [Fact]
    public void Map_NoNodeOrTimeInFlow_TakesTheEnvelopes()
    {
        var time = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.Zero));

        var record = FlowData.Record(new Flow { Verdict = Verdict.Forwarded }, "knode1", time);

        Assert.Equal("knode1", record.Node);
        Assert.Equal(time.ToDateTimeOffset(), record.Time);
        Assert.Null(record.TrafficDirection);
    }

    [Fact]
    public void MapLost_CountsPerSource()
    {
        var envelope = new GetFlowsResponse { NodeName = "fedora", LostEvents = new LostEvent { Source = LostEventSource.PerfEventRingBuffer, NumEventsLost = 12 } };

        var lost = FlowMapper.MapLost(envelope.LostEvents, envelope);

        Assert.Equal(("PERF_EVENT_RING_BUFFER", 12ul, "fedora"), (lost.Source, lost.NumLost, lost.Node));
    }
}
