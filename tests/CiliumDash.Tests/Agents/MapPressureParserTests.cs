using System.Text;
using CiliumDash.Agents;

namespace CiliumDash.Tests.Agents;

public sealed class MapPressureParserTests
{
    private static readonly DateTimeOffset ReadAt = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>The shape <c>cilium-dbg metrics list -o json</c> prints: other metrics around the pressure entries.</summary>
    private const string RealShaped = """
        [
          {"labels":{"method":"GET","path":"/v1/healthz","return_code":"200"},"name":"cilium_agent_api_process_time_seconds","value":0.0004},
          {"labels":{"map_name":"cilium_ct4_global"},"name":"cilium_bpf_map_pressure","value":0.27},
          {"labels":{},"name":"cilium_endpoint","value":12},
          {"labels":{"map_name":"cilium_snat_v4_external"},"name":"cilium_bpf_map_pressure","value":0.86},
          {"labels":{"map_name":"cilium_policy_00412"},"name":"cilium_bpf_map_pressure","value":0.125}
        ]
        """;

    private static MapPressure Parse(string json)
    {
        var result = MapPressureParser.Parse(Encoding.UTF8.GetBytes(json), ReadAt);
        Assert.Null(result.Error);
        return result.Value!;
    }

    private static string Fail(string json) => MapPressureParser.Parse(Encoding.UTF8.GetBytes(json), ReadAt).Error!;

    [Fact]
    public void Parse_RealShapedList_KeepsOnlyPressureSortedByMap()
    {
        var pressure = Parse(RealShaped);

        Assert.Equal([("cilium_ct4_global", 0.27), ("cilium_policy_00412", 0.125), ("cilium_snat_v4_external", 0.86)], pressure.Maps);
        Assert.Equal(ReadAt, pressure.ReadAt);
        Assert.Empty(pressure.Warnings);
        Assert.Equal([("cilium_snat_v4_external", 0.86)], pressure.OverHigh);
    }

    [Fact]
    public void Parse_NoPressureEntries_EmptyNotError()
    {
        var pressure = Parse("""[{"labels":{},"name":"cilium_endpoint","value":3}]""");

        Assert.Empty(pressure.Maps);
    }

    [Theory]
    [InlineData("""{"name":"cilium_bpf_map_pressure"}""", "metrics JSON at $: expected an array of metrics, found object")]
    [InlineData("\"text\"", "metrics JSON at $: expected an array of metrics, found string")]
    [InlineData("""[{"labels":{"map_name":"cilium_ct4_global"},"name":"cilium_bpf_map""", "malformed metrics JSON at $ (line 1, byte ")]
    [InlineData("", "malformed metrics JSON at $")]
    [InlineData("Error: unknown command \"metrics\" for \"cilium\"", "malformed metrics JSON at $")]
    public void Parse_NotAList_SaysWhat(string json, string expected)
    {
        Assert.StartsWith(expected, Fail(json), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_OverLimit_RefusedWithSize()
    {
        var huge = new byte[MapPressureParser.MaxDocumentBytes + 1];

        var error = MapPressureParser.Parse(huge, ReadAt).Error;

        Assert.Equal($"metrics list is {huge.Length:N0} bytes, over the {MapPressureParser.MaxDocumentBytes:N0}-byte limit", error);
    }

    [Fact]
    public void Parse_WrongTypes_SkippedWithPathWarningsOthersKept()
    {
        var pressure = Parse("""
            [
              42,
              {"name":"cilium_bpf_map_pressure","labels":"cilium_ct4_global","value":0.5},
              {"name":"cilium_bpf_map_pressure","labels":{"map_name":7},"value":0.5},
              {"name":"cilium_bpf_map_pressure","labels":{"map_name":"cilium_lxc"},"value":true},
              {"name":"cilium_bpf_map_pressure","labels":{"map_name":"cilium_ipcache"}},
              {"name":12,"labels":{"map_name":"x"},"value":1},
              {"name":"cilium_bpf_map_pressure","labels":{"map_name":"cilium_lb4_services_v2"},"value":0.01}
            ]
            """);

        Assert.Equal([("cilium_lb4_services_v2", 0.01)], pressure.Maps);
        Assert.Equal(
        [
            "$[0]: expected a metric object, found number",
            "$[1]: cilium_bpf_map_pressure without a map_name label",
            "$[2]: cilium_bpf_map_pressure without a map_name label",
            "$[3]: cilium_bpf_map_pressure for cilium_lxc has a value that is not a number (true)",
            "$[4]: cilium_bpf_map_pressure for cilium_ipcache has no value",
        ], pressure.Warnings);
    }

    [Fact]
    public void Parse_ImpossibleValues_KeptAsReported()
    {
        var pressure = Parse("""
            [
              {"name":"cilium_bpf_map_pressure","labels":{"map_name":"a_nan"},"value":"NaN"},
              {"name":"cilium_bpf_map_pressure","labels":{"map_name":"b_negative"},"value":-0.5},
              {"name":"cilium_bpf_map_pressure","labels":{"map_name":"c_absurd"},"value":250},
              {"name":"cilium_bpf_map_pressure","labels":{"map_name":"d_overflow"},"value":1e999},
              {"name":"cilium_bpf_map_pressure","labels":{"map_name":"e_full"},"value":1}
            ]
            """);

        Assert.Equal(5, pressure.Maps.Count);
        Assert.True(double.IsNaN(pressure.Maps[0].Ratio));
        Assert.Equal(-0.5, pressure.Maps[1].Ratio);
        Assert.Equal(250, pressure.Maps[2].Ratio);
        Assert.Equal(double.PositiveInfinity, pressure.Maps[3].Ratio);
        Assert.Equal(["d_overflow", "c_absurd", "e_full"], pressure.OverHigh.Select(m => m.MapName));
    }

    [Fact]
    public void Parse_DuplicateMap_KeepsFirstFigure()
    {
        var pressure = Parse("""
            [
              {"name":"cilium_bpf_map_pressure","labels":{"map_name":"cilium_lxc"},"value":0.1},
              {"name":"cilium_bpf_map_pressure","labels":{"map_name":"cilium_lxc"},"value":0.9}
            ]
            """);

        Assert.Equal([("cilium_lxc", 0.1)], pressure.Maps);
    }

    [Fact]
    public void Parse_DeeplyNested_ErrorNotCrash()
    {
        var json = new string('[', 10_000) + new string(']', 10_000);

        Assert.StartsWith("malformed metrics JSON", Fail(json), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ManyBadEntries_WarningsCapped()
    {
        var json = "[" + string.Join(",", Enumerable.Repeat("""{"name":"cilium_bpf_map_pressure"}""", 1000)) + "]";

        Assert.Equal(20, Parse(json).Warnings.Count);
    }
}
