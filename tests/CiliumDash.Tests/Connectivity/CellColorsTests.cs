using CiliumDash.Connectivity;

namespace CiliumDash.Tests.Connectivity;

public sealed class CellColorsTests
{
    [Fact]
    public void Fill_FailingAndEndpointDown_DistinctColoursAndSymbols()
    {
        Assert.NotEqual(CellColors.Fill(CellKind.Failed, 0), CellColors.Fill(CellKind.HostOkEndpointDown, 0));
        Assert.NotEqual(CellColors.Mark(CellKind.Failed, 0, roomy: false), CellColors.Mark(CellKind.HostOkEndpointDown, 0, roomy: false));
    }

    [Fact]
    public void Mark_DegradedAndSlowOk_DistinctColourAndText()
    {
        // 60 ms: an OK link at the slow end of the scale vs. a link slower than its own baseline.
        Assert.NotEqual(CellColors.Fill(CellKind.Degraded, 60_000_000), CellColors.Fill(CellKind.Ok, 60_000_000));
        Assert.Equal("60m", CellColors.Mark(CellKind.Ok, 60_000_000, roomy: true));
        Assert.Equal("▲60m", CellColors.Mark(CellKind.Degraded, 60_000_000, roomy: true));
        Assert.Equal("▲", CellColors.Mark(CellKind.Degraded, 60_000_000, roomy: false));
        Assert.Equal("", CellColors.Mark(CellKind.Ok, 60_000_000, roomy: false));
    }

    [Theory]
    [InlineData(500, "<1µ")]
    [InlineData(412_000, "412µ")]
    [InlineData(3_400_000, "3m")]
    [InlineData(2_500_000_000, "3s")]
    public void ShortRtt_EveryRange_AtMostFourCharacters(double ns, string expected)
    {
        Assert.Equal(expected, CellColors.ShortRtt(ns));
        Assert.True(expected.Length <= 4);
    }
}
