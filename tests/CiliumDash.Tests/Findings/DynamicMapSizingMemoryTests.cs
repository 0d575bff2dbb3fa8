using CiliumDash.Agents;
using CiliumDash.Findings;
using CiliumDash.Findings.Rules;
using static CiliumDash.Tests.Builders.ClusterData;
using static CiliumDash.Tests.Findings.DynamicMapSizingTests;

namespace CiliumDash.Tests.Findings;

/// <summary>
/// With each node's memory known, map sizes are judged against Cilium's formula (entries = default × ⌊memory ×
/// ratio⌋ ÷ 149,422,080): 16 GiB gives 150,700 TCP CT entries, 64 GiB gives 602,802.
/// </summary>
public sealed class DynamicMapSizingMemoryTests
{
    private const long SixteenGiB = 16L << 30;
    private const long SixtyFourGiB = 64L << 30;

    private static BpfMapStatus Sixteen() => Maps(150700, 75350, 150700);

    private static BpfMapStatus SixtyFour() => Maps(602802, 301401, 602802);

    private static NodeSnapshot WithMemory(string name, BpfMapStatus maps, long memory) =>
        Node(name, Status() with { BpfMaps = maps }) with { MemoryBytes = memory };

    [Theory]
    [InlineData("TCP connection tracking", SixteenGiB, 150700)]
    [InlineData("Non-TCP connection tracking", SixtyFourGiB, 301401)]
    [InlineData("NAT", 4L << 30, 131072)]   // below the minimum: clamped up
    public void Expected_MemoryAndDefaultRatio_CiliumsFormula(string map, long memory, long entries) =>
        Assert.Equal(entries, DynamicMapSizing.Expected(map, memory, 0.0025));

    [Fact]
    public void Expected_FixedSizeMap_Null() => Assert.Null(DynamicMapSizing.Expected("IP cache", SixteenGiB, 0.0025));

    [Fact]
    public void Drift_SizesMatchingMemoryTimesRatio_NoDriftFinding()
    {
        IReadOnlyList<NodeSnapshot> nodes =
            [WithMemory("small", Sixteen(), SixteenGiB), WithMemory("big1", SixtyFour(), SixtyFourGiB), WithMemory("big2", SixtyFour(), SixtyFourGiB)];

        Assert.Empty(DriftRules.Of(nodes));
        Assert.Equal(0, Drift.Build(nodes).DifferingNodes);
        Assert.Empty(Drift.MapSizeDifferences(nodes));
    }

    [Fact]
    public void Drift_SizesThatFollowSomeMemoryButNotTheNodes_DriftFindingWithTheMemoryAsEvidence()
    {
        // 64 GiB sizes on a 16 GiB node: proportional to each other, so only the memory reveals them as set by hand.
        IReadOnlyList<NodeSnapshot> nodes =
            [WithMemory("odd", SixtyFour(), SixteenGiB), WithMemory("n1", Sixteen(), SixteenGiB), WithMemory("n2", Sixteen(), SixteenGiB)];

        var finding = Assert.Single(DriftRules.Of(nodes));

        Assert.Equal(FindingKinds.Drift, finding.Kind);
        Assert.Equal("odd", finding.Subject.Node);
        Assert.Contains(finding.Evidence, e => e.Source == "Kubernetes Node odd status.capacity.memory"
            && e.Value.Contains("16 GiB × 0.0025 gives", StringComparison.Ordinal) && e.Value.Contains("150,700", StringComparison.Ordinal));
    }

    [Fact]
    public void Drift_SameSizesWithoutMemory_NoFinding()
    {
        // Without the memory the same documents cannot be told apart from nodes of different memory.
        IReadOnlyList<NodeSnapshot> nodes =
            [Node("odd", Status() with { BpfMaps = SixtyFour() }), Node("n1", Status() with { BpfMaps = Sixteen() }), Node("n2", Status() with { BpfMaps = Sixteen() })];

        Assert.Empty(DriftRules.Of(nodes));
    }
}
