using CiliumDash.Simulator.Documents;

namespace CiliumDash.Tests.Simulator.Documents;

public sealed class WireFormatTests
{
    [Theory]
    [InlineData(0L, "0s")]
    [InlineData(10_000_000_000L, "10s")]
    [InlineData(300_000_000_000L, "5m0s")]
    [InlineData(3_600_000_000_000L, "1h0m0s")]
    [InlineData(192_500_000_000L, "3m12.5s")]
    [InlineData(96_566_274_746L, "1m36.566274746s")]
    [InlineData(3_723_450_000_000L, "1h2m3.45s")]
    [InlineData(1_500_000L, "1.5ms")]
    [InlineData(140_825L, "140.825µs")]
    [InlineData(-2_000_000_000L, "-2s")]
    public void GoDuration_Nanoseconds_FormatsLikeGo(long nanos, string expected) =>
        Assert.Equal(expected, WireFormat.GoDuration(nanos));

    [Fact]
    public void Noise_SameInputs_RepeatsAndStaysInUnitInterval()
    {
        var values = Enumerable.Range(0, 1000).Select(i => WireFormat.Noise(1, i)).ToList();

        Assert.Equal(values, Enumerable.Range(0, 1000).Select(i => WireFormat.Noise(1, i)));
        Assert.All(values, v => Assert.InRange(v, 0.0, 0.9999999999));
        Assert.True(values.Distinct().Count() > 990);
    }
}
