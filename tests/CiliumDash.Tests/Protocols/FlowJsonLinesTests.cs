using CiliumDash.Protocols.Hubble;
using CiliumDash.Simulator.Relay;

namespace CiliumDash.Tests.Protocols;

public sealed class FlowJsonLinesTests
{
    [Fact]
    public void ParseLine_BlankLine_ReturnsNull() => Assert.Null(FlowJsonLines.ParseLine("   ", 3));

    [Fact]
    public void ParseLine_NotJson_NamesLineNumber()
    {
        var e = Assert.Throws<FlowJsonLineException>(() => FlowJsonLines.ParseLine("{\"flow\": ", 17));

        Assert.StartsWith("Line 17:", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseLine_JsonArray_NamesLineNumber()
    {
        var e = Assert.Throws<FlowJsonLineException>(() => FlowJsonLines.ParseLine("[1,2]", 4));

        Assert.Contains("Line 4", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseLine_BadEnumValue_NamesLineNumber()
    {
        var e = Assert.Throws<FlowJsonLineException>(() => FlowJsonLines.ParseLine("{\"flow\":{\"verdict\":{\"x\":1}}}", 9));

        Assert.Contains("Line 9", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseLine_UnknownFields_AreIgnored()
    {
        var response = FlowJsonLines.ParseLine("{\"flow\":{\"verdict\":\"DROPPED\",\"future_field\":{\"a\":1}},\"node_name\":\"n1\",\"extra\":2}", 1)!;

        Assert.Equal(Verdict.Dropped, response.Flow.Verdict);
        Assert.Equal("n1", response.NodeName);
    }

    [Fact]
    public void ParseLine_LostEventsLine_IsWrappedForm()
    {
        var response = FlowJsonLines.ParseLine("{\"lost_events\":{\"source\":\"HUBBLE_RING_BUFFER\",\"num_events_lost\":\"12\"},\"node_name\":\"n1\"}", 1)!;

        Assert.Equal(LostEventSource.HubbleRingBuffer, response.LostEvents.Source);
        Assert.Equal(12ul, response.LostEvents.NumEventsLost);
    }

    [Fact]
    public void Read_SkipsBlankLines_YieldsEveryResponse()
    {
        using var reader = new StringReader("{\"verdict\":\"FORWARDED\",\"node_name\":\"a\"}\n\n{\"flow\":{\"verdict\":\"DROPPED\"},\"node_name\":\"b\"}\n");

        var responses = FlowJsonLines.Read(reader).ToList();

        Assert.Equal(["a", "b"], responses.Select(r => r.NodeName));
    }
}
