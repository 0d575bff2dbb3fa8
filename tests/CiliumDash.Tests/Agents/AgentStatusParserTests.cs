using System.Text.Json.Nodes;
using CiliumDash.Agents;
using CiliumDash.Protocols.Json;
using CiliumDash.Simulator.Cluster;
using CiliumDash.Simulator.Documents;
using CiliumDash.Tests.Builders;

namespace CiliumDash.Tests.Agents;

public sealed class AgentStatusParserTests
{
    private static readonly DateTimeOffset Now = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);

    internal static string Generated(WireShape shape, int node = 0)
    {
        var cluster = new SimulatedCluster(new SimulatorOptions { Shape = shape });
        return AgentStatusDocuments.Render(cluster, cluster.Nodes[node], Now);
    }

    private static AgentStatus ParseOk(string json)
    {
        var result = AgentStatusParser.Parse(StatusDocument.Utf8(json));
        Assert.Null(result.Error);
        return Assert.IsType<AgentStatus>(result.Value);
    }

    [Fact]
    public void Parse_GeneratedCilium112Document_ReadsTheLegacyShape()
    {
        var status = ParseOk(Generated(WireShape.Cilium112));

        Assert.Empty(status.ParseWarnings);
        Assert.Equal("1.12.0", status.Version);
        Assert.Equal("Ok", status.Cilium?.State);
        Assert.Equal("Strict", status.KubeProxyReplacement?.Mode);
        Assert.Equal("DSR", status.KubeProxyReplacement?.DsrMode ?? status.KubeProxyReplacement?.NodePortMode);
        Assert.Equal(16381, status.KubeProxyReplacement?.MaglevTableSize);
        Assert.True(status.Routing?.FromLegacyHostRouting);
        Assert.Equal("BPF", status.Routing?.IntraHost);
        Assert.Equal("Disabled", status.HubbleMetrics?.State);
        Assert.NotEmpty(status.Controllers!);
        Assert.Null(status.CniFile);
        Assert.Null(status.AttachMode);
    }

    [Fact]
    public void Parse_GeneratedCurrentDocument_ReadsThe118Shape()
    {
        var status = ParseOk(Generated(WireShape.Current));

        Assert.Empty(status.ParseWarnings);
        Assert.Equal("1.18.0", status.Version);
        Assert.Equal("True", status.KubeProxyReplacement?.Mode);
        Assert.False(status.Routing?.FromLegacyHostRouting);
        Assert.Equal("Disabled", status.HubbleMetrics?.State);
        Assert.Equal("tcx", status.AttachMode);
        Assert.Equal("veth", status.DatapathMode);
        Assert.Equal("Ok", status.CniFile?.State);
        Assert.NotEmpty(status.Controllers!);
    }

    [Theory]
    [InlineData("BPF", null, "BPF", true)]
    [InlineData(null, "BPF", "BPF", false)]
    [InlineData("Legacy", "BPF", "BPF", false)]   // both present: the current object wins
    public void Parse_HostRoutingEitherPlace_ReadsTheMode(string? legacy, string? current, string expected, bool fromLegacy)
    {
        var status = ParseOk(StatusDocument.Build(legacyHostRouting: legacy, intraHostRouting: current));

        Assert.Equal(expected, status.Routing?.IntraHost);
        Assert.Equal(fromLegacy, status.Routing?.FromLegacyHostRouting);
    }

    [Theory]
    [InlineData("Ok", null, "Ok")]
    [InlineData(null, "Warning", "Warning")]
    public void Parse_HubbleMetricsEitherPlace_ReadsTheState(string? nested, string? topLevel, string expected)
    {
        var status = ParseOk(StatusDocument.Build(nestedHubbleMetrics: nested, topLevelHubbleMetrics: topLevel));

        Assert.Equal(expected, status.HubbleMetrics?.State);
    }

    [Theory]
    [InlineData("Strict")]
    [InlineData("True")]
    [InlineData("Partial")]
    public void Parse_KprMode_PassedThroughAsSpelled(string mode) =>
        Assert.Equal(mode, ParseOk(StatusDocument.Build(kprMode: mode)).KubeProxyReplacement?.Mode);

    [Fact]
    public void Parse_NeverTimestamp_BecomesNull()
    {
        var status = ParseOk(StatusDocument.Build(controllers: [StatusDocument.Controller(lastFailure: WireTime.Never)]));

        var controller = Assert.Single(status.Controllers!);
        Assert.Null(controller.LastFailure);
        Assert.Equal(new DateTimeOffset(2022, 8, 1, 10, 0, 0, TimeSpan.Zero), controller.LastSuccess);
    }

    [Fact]
    public void Parse_OmittedCounts_ReadAsZero()
    {
        var status = ParseOk(StatusDocument.Build(controllers: [StatusDocument.Controller(successCount: null, omitTimes: true)]));

        var controller = Assert.Single(status.Controllers!);
        Assert.Equal((0L, 0L, 0L), (controller.SuccessCount, controller.FailureCount, controller.ConsecutiveFailureCount));
        Assert.False(controller.Failing);
    }

    [Fact]
    public void Parse_AbsentSections_AreNullNotDefaults()
    {
        var status = ParseOk(StatusDocument.Build());

        Assert.Equal("Ok", status.Cilium?.State);
        Assert.Null(status.Kvstore);
        Assert.Null(status.KubeProxyReplacement);
        Assert.Null(status.Controllers);
        Assert.Null(status.Hubble);
        Assert.Null(status.HubbleMetrics);
        Assert.Null(status.Routing);
        Assert.Null(status.Encryption);
        Assert.Null(status.BpfMaps);
        Assert.Null(status.Ipam);
        Assert.Null(status.Stale);
        Assert.Empty(status.ParseWarnings);
    }

    [Fact]
    public void Parse_EmptyControllerList_IsEmptyNotNull() =>
        Assert.Empty(ParseOk(StatusDocument.Build(controllers: [])).Controllers!);

    [Fact]
    public void Parse_UnknownFields_AreIgnored()
    {
        var status = ParseOk(StatusDocument.Build(kprMode: "True", extra: root =>
        {
            root["srv6"] = new JsonObject { ["enabled"] = true, ["srv6EncapMode"] = "reduced" };
            root["cilium"]!["future"] = new JsonArray(1, 2, 3);
        }));

        Assert.Empty(status.ParseWarnings);
        Assert.Equal("True", status.KubeProxyReplacement?.Mode);
    }

    [Fact]
    public void Parse_WrongTypes_WarnWithPathAndReadTheRest()
    {
        var json = StatusDocument.Build(
            controllers: [StatusDocument.Controller("a"), StatusDocument.Controller("b")],
            extra: root =>
            {
                root["kube-proxy-replacement"] = "Strict";
                root["controllers"]![1]!["status"]!["consecutive-failure-count"] = new JsonArray();
                root["kvstore"] = new JsonObject { ["state"] = 42 };
            });

        var status = ParseOk(json);

        Assert.Contains("$.kube-proxy-replacement: expected an object, found a string", status.ParseWarnings);
        Assert.Contains("$.controllers[1].status.consecutive-failure-count: expected an integer, found an array", status.ParseWarnings);
        Assert.Contains("$.kvstore.state: expected a string, found a number", status.ParseWarnings);
        Assert.Equal(3, status.ParseWarnings.Count);
        Assert.Equal("Ok", status.Cilium?.State);
        Assert.Equal(["a", "b"], status.Controllers!.Select(c => c.Name));
        Assert.Null(status.KubeProxyReplacement);
    }

    [Fact]
    public void Parse_NullListItems_WarnAndKeepTheRest()
    {
        var json = StatusDocument.Build(
            controllers: [StatusDocument.Controller("a"), StatusDocument.Controller("b")],
            extra: root =>
            {
                root["controllers"]!.AsArray().Insert(1, null);
                root["kubernetes"] = new JsonObject { ["state"] = "Ok", ["k8s-api-versions"] = new JsonArray("core/v1::Pods", null, 7) };
            });

        var status = ParseOk(json);

        Assert.Equal(["a", "b"], status.Controllers!.Select(c => c.Name));
        Assert.Equal(["core/v1::Pods"], status.Kubernetes!.ApiVersions);
        Assert.Equal(
            ["$.controllers[1]: expected an object, found null", "$.kubernetes.k8s-api-versions[1]: expected a string, found null",
             "$.kubernetes.k8s-api-versions[2]: expected a string, found a number"],
            status.ParseWarnings);
    }

    [Fact]
    public void Parse_IntegersWrittenAsStrings_AreRead()
    {
        var status = ParseOk(StatusDocument.Build(
            controllers: [StatusDocument.Controller()],
            extra: root => root["controllers"]![0]!["status"]!["success-count"] = "42"));

        Assert.Equal(42, Assert.Single(status.Controllers!).SuccessCount);
        Assert.Empty(status.ParseWarnings);
    }

    [Fact]
    public void Parse_BadUuid_WarnsWithPath()
    {
        var status = ParseOk(StatusDocument.Build(
            controllers: [StatusDocument.Controller()],
            extra: root => root["controllers"]![0]!["uuid"] = "not-a-uuid"));

        Assert.Equal("$.controllers[0].uuid: 'not-a-uuid' is not a UUID", Assert.Single(status.ParseWarnings));
        Assert.Null(status.Controllers![0].Uuid);
    }

    [Fact]
    public void Parse_SettingsOfALaterVersion_KeptAsText()
    {
        var status = ParseOk(StatusDocument.Build(extra: root =>
            root["ipv4-big-tcp"] = new JsonObject { ["enabled"] = true, ["maxGRO"] = 196608, ["maxGSO"] = 196608, ["maxTSO"] = 524280 }));

        Assert.True(status.Ipv4BigTcp!.Enabled);
        Assert.Equal(new Dictionary<string, string> { ["maxGRO"] = "196608", ["maxGSO"] = "196608", ["maxTSO"] = "524280" }, status.Ipv4BigTcp.Settings);
    }

    [Fact]
    public void Parse_BadTimestamp_WarnsWithPath()
    {
        var status = ParseOk(StatusDocument.Build(
            controllers: [StatusDocument.Controller()],
            extra: root => root["controllers"]![0]!["status"]!["last-success-timestamp"] = "yesterday"));

        Assert.Equal("$.controllers[0].status.last-success-timestamp: 'yesterday' is not an RFC 3339 time", Assert.Single(status.ParseWarnings));
        Assert.Null(status.Controllers![0].LastSuccess);
    }

    [Fact]
    public void Parse_TruncatedDocument_ErrorNamesLineAndByte()
    {
        var result = AgentStatusParser.Parse(StatusDocument.Utf8("{\n  \"cilium\": {\n    \"state\": \"Ok\",\n    \"msg\": \"1.12"));

        Assert.Null(result.Value);
        Assert.StartsWith("malformed status JSON", result.Error);
        Assert.Contains("(line 4, byte ", result.Error);
    }

    [Fact]
    public void Parse_InvalidToken_ErrorNamesItsPosition()
    {
        var result = AgentStatusParser.Parse(StatusDocument.Utf8("{\"cilium\": {\"state\": Ok}}"));

        Assert.Contains("(line 1, byte 21)", result.Error);
    }

    [Fact]
    public void Parse_GeneratedDocumentCutInHalf_Fails()
    {
        var doc = Generated(WireShape.Current);

        var result = AgentStatusParser.Parse(StatusDocument.Utf8(doc[..(doc.Length / 2)]));

        Assert.Null(result.Value);
        Assert.Matches(@"\(line \d+, byte \d+\)", result.Error);
    }

    [Theory]
    [InlineData("[]", "array")]
    [InlineData("\"ok\"", "string")]
    [InlineData("null", "null")]
    [InlineData("42", "number")]
    public void Parse_NonObjectRoot_Fails(string json, string kind)
    {
        var result = AgentStatusParser.Parse(StatusDocument.Utf8(json));

        Assert.Null(result.Value);
        Assert.Equal($"status JSON at $: expected an object, found {kind}", result.Error);
    }

    [Fact]
    public void Parse_EmptyInput_Fails() =>
        Assert.StartsWith("malformed status JSON", AgentStatusParser.Parse(ReadOnlyMemory<byte>.Empty).Error);

    [Fact]
    public void Parse_OverFourMegabytes_Refused()
    {
        var big = new byte[AgentStatusParser.MaxDocumentBytes + 1];

        var result = AgentStatusParser.Parse(big);

        Assert.Null(result.Value);
        Assert.Equal("status document is 4,194,305 bytes, over the 4,194,304-byte limit", result.Error);
    }

    [Fact]
    public void Parse_NestingBeyond64_FailsWithoutThrowing()
    {
        var deep = "{\"x\":" + new string('[', 70) + new string(']', 70) + "}";

        var result = AgentStatusParser.Parse(StatusDocument.Utf8(deep));

        Assert.Null(result.Value);
        Assert.Contains("depth", result.Error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Parse_InvalidUtf8InAString_ErrorNamesTheOffset()
    {
        var bytes = StatusDocument.Utf8("{\"cilium\": {\"state\": \"Ok\", \"msg\": \"1.12.0\"}}");
        bytes[34] = 0xE4;

        var result = AgentStatusParser.Parse(bytes);

        Assert.Null(result.Value);
        Assert.Equal("status document is not valid UTF-8: byte 0xE4 at offset 34", result.Error);
    }

    [Fact]
    public void Parse_EscapedLoneSurrogate_FailsWithoutThrowing()
    {
        var result = AgentStatusParser.Parse(StatusDocument.Utf8("{\"cilium\": {\"state\": \"\\ud800\"}}"));

        Assert.Null(result.Value);
        Assert.StartsWith("status JSON has text that is not valid Unicode", result.Error);
    }
}
