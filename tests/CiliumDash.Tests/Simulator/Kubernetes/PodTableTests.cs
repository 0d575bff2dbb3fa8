using CiliumDash.Simulator.Kubernetes;

namespace CiliumDash.Tests.Simulator.Kubernetes;

public sealed class PodTableTests
{
    [Theory]
    [InlineData(45, "45s")]
    [InlineData(312, "5m12s")]
    [InlineData(600, "10m")]
    [InlineData(2 * 3600 + 59 * 60, "179m")]
    [InlineData(3 * 3600 + 600, "3h10m")]
    [InlineData(26 * 3600, "26h")]
    [InlineData(76 * 3600, "3d4h")]
    [InlineData(40 * 86400, "40d")]
    [InlineData(3 * 365 * 86400, "3y")]
    [InlineData(-5, "0s")]
    public void Age_Duration_FormattedLikeKubectl(int seconds, string expected) =>
        Assert.Equal(expected, PodTable.Age(TimeSpan.FromSeconds(seconds)));
}
