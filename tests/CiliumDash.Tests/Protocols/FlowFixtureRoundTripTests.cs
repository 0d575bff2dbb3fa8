using System.Text.Json.Nodes;
using CiliumDash.Protocols.Hubble;
using CiliumDash.Protocols.Hubble.ObserverApi;
using CiliumDash.Simulator.Relay;
using Google.Protobuf;

namespace CiliumDash.Tests.Protocols;

public sealed class FlowFixtureRoundTripTests
{
    private static readonly JsonParser StrictParser = new(JsonParser.Settings.Default);
    private static readonly JsonFormatter ProtoNames = new(JsonFormatter.Settings.Default.WithPreserveProtoFieldNames(true));

    public static TheoryData<string, int> FixtureLines()
    {
        var data = new TheoryData<string, int>();
        foreach (var (file, line, _) in FlowFixtures.Lines())
        {
            data.Add(file, line);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(FixtureLines))]
    public void FixtureLine_ParseAndFormatWithProtoNames_KeepsEveryField(string file, int line)
    {
        var json = FlowFixtures.Line(file, line);

        // The strict parser rejects unknown keys, so a key the protos lack fails here by name.
        var response = StrictParser.Parse<GetFlowsResponse>(json);
        var formatted = ProtoNames.Format(response);

        var expected = JsonNode.Parse(json);
        var actual = JsonNode.Parse(formatted);
        Assert.True(JsonNode.DeepEquals(expected, actual), $"{file}:{line} changed in round trip:\n{json}\n{formatted}");
    }

    [Fact]
    public void FixtureFiles_All_ArePresentAndNonEmpty()
    {
        var files = FlowFixtures.Files().ToList();

        Assert.Equal(5, files.Count);
        Assert.Equal(40, FlowFixtures.Lines().Count());
    }

    [Fact]
    public void BareFlowLine_ParsedByJsonLines_EqualsWrappedForm()
    {
        var wrapped = FlowFixtures.Line("hubble-otel-gke-2021-10-l7-http-5.jsonl", 1);
        var bare = JsonNode.Parse(wrapped)!["flow"]!.ToJsonString();

        var fromWrapped = FlowJsonLines.ParseLine(wrapped, 1)!;
        var fromBare = FlowJsonLines.ParseLine(bare, 1)!;

        Assert.Equal(fromWrapped.Flow, fromBare.Flow);
        Assert.Equal(fromWrapped.NodeName, fromBare.NodeName);
        Assert.Equal(fromWrapped.Time, fromBare.Time);
    }

    [Fact]
    public void ExporterFixture_SecondLine_IsPolicyDeniedTcpSyn()
    {
        var flow = Parse("cilium-docs-2023-08-hubble-exporter-dropped-fieldmasked.jsonl", 2).Flow;

        Assert.Equal(Verdict.Dropped, flow.Verdict);
        Assert.Equal(DropReason.PolicyDenied, flow.DropReasonDesc);
        Assert.True(flow.L4.TCP.Flags.SYN);
        Assert.Equal(80u, flow.L4.TCP.DestinationPort);
        Assert.Equal("kind-kind/kind-worker", flow.NodeName);
        Assert.Equal("xwing", flow.Source.PodName);
    }

    [Fact]
    public void ExporterFixture_FirstLine_IsInvalidSourceIpIcmpv6()
    {
        var flow = Parse("cilium-docs-2023-08-hubble-exporter-dropped-fieldmasked.jsonl", 1).Flow;

        Assert.Equal(DropReason.InvalidSourceIp, flow.DropReasonDesc);
        Assert.Equal(133u, flow.L4.ICMPv6.Type);
        Assert.Equal(IPVersion.Ipv6, flow.IP.IpVersion);
    }

    [Fact]
    public void DnsFixture_Query_HasQueryTypeAndObservationSource()
    {
        var flows = File.ReadAllLines(FlowFixtures.PathOf("hubble-otel-gke-2021-10-l7-dns-5.jsonl"))
            .Select((l, i) => FlowJsonLines.ParseLine(l, i + 1)!.Flow).ToList();

        var query = flows.First(f => f.L7.Type == L7FlowType.Request);
        Assert.Equal(FlowType.L7, query.Type);
        Assert.Equal(129, query.EventType.Type);
        Assert.Equal("istiod-istio-1611.istio-system.svc.istio-system.svc.cluster.local.", query.L7.Dns.Query);
        Assert.Contains("A", query.L7.Dns.Qtypes);
        Assert.Equal("proxy", query.L7.Dns.ObservationSource);
        Assert.Contains(flows, f => f.L7.Type == L7FlowType.Response && f.L7.Dns.Rcode == 3);
    }

    [Fact]
    public void HttpFixture_Response_HasCodeAndLatency()
    {
        var flows = File.ReadAllLines(FlowFixtures.PathOf("hubble-otel-gke-2021-10-l7-http-5.jsonl"))
            .Select((l, i) => FlowJsonLines.ParseLine(l, i + 1)!.Flow).ToList();

        var response = flows.First(f => f.L7.Type == L7FlowType.Response);
        Assert.Equal(503u, response.L7.Http.Code);
        Assert.True(response.L7.LatencyNs > 0);
        Assert.Equal("GET", response.L7.Http.Method);
        Assert.Contains(flows, f => f.L7.LatencyNs == 999_958_359);
    }

    [Fact]
    public void IcmpFixture_EchoRequest_ArrivesOnLxcHealth()
    {
        var flow = Parse("hubble-otel-kind-2021-11-icmpv4-18.jsonl", 1).Flow;

        Assert.Equal(8u, flow.L4.ICMPv4.Type);
        Assert.Equal("lxc_health", flow.Interface.Name);
        Assert.Equal(TraceObservationPoint.ToEndpoint, flow.TraceObservationPoint);
        Assert.Equal(false, flow.IsReply);
        Assert.Equal(["reserved:health"], flow.Destination.Labels);
        Assert.Equal("ICMPv4 EchoRequest", flow.Summary);
    }

    [Fact]
    public void L3L4Fixture_Verdicts_AreForwardedTcp()
    {
        var flows = File.ReadAllLines(FlowFixtures.PathOf("hubble-otel-gke-2021-06-l3l4-10.jsonl"))
            .Select((l, i) => FlowJsonLines.ParseLine(l, i + 1)!.Flow).ToList();

        Assert.All(flows, f => Assert.Equal(Verdict.Forwarded, f.Verdict));
        Assert.All(flows, f => Assert.NotNull(f.L4.TCP));
        Assert.Contains(flows, f => f.L4.TCP.Flags is { FIN: true, ACK: true });
        Assert.Contains(flows, f => f.L4.TCP.Flags is { SYN: true, ACK: true });
    }

    private static GetFlowsResponse Parse(string file, int line) => FlowJsonLines.ParseLine(FlowFixtures.Line(file, line), line)!;
}
