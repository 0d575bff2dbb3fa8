using CiliumDash.Agents;
using CiliumDash.Cluster;
using CiliumDash.Findings;
using CiliumDash.Findings.Rules;
using static CiliumDash.Tests.Builders.ClusterData;

namespace CiliumDash.Tests.Findings;

/// <summary>
/// Map sizes that dynamic sizing gives nodes of different memory are not drift; a size set by hand is. The sizes
/// are the ones Cilium's own sizing comment lists for 4 GB and 16 GB at the default ratio 0.0025.
/// </summary>
public sealed class DynamicMapSizingTests
{
    /// <summary>TCP CT, non-TCP CT and NAT entries for 4 GB and 16 GB (neighbor = NAT, sock reverse NAT = non-TCP CT default share).</summary>
    internal static BpfMapStatus Maps(long tcp, long any, long nat, double? ratio = 0.0025, long maglevIndependentIpCache = 512000) =>
        new(ratio,
        [
            new BpfMap("Non-TCP connection tracking", any), new BpfMap("TCP connection tracking", tcp), new BpfMap("Endpoint policy", 65535),
            new BpfMap("IP cache", maglevIndependentIpCache), new BpfMap("NAT", nat), new BpfMap("Neighbor table", nat), new BpfMap("Sock reverse NAT", any),
        ]);

    internal static BpfMapStatus FourGb(long ipCache = 512000) => Maps(265121, 132560, 265121, maglevIndependentIpCache: ipCache);

    internal static BpfMapStatus SixteenGb() => Maps(1060485, 530242, 1060485);

    private static NodeSnapshot WithMaps(string name, BpfMapStatus maps) => Node(name, Status() with { BpfMaps = maps });

    [Fact]
    public void Follows_SizesFromTheFormula_TrueWithScaleInProportionToMemory()
    {
        Assert.True(DynamicMapSizing.Follows(FourGb(), out var small));
        Assert.True(DynamicMapSizing.Follows(SixteenGb(), out var large));

        Assert.InRange(large!.Value / small!.Value, 3.99, 4.01);
    }

    [Fact]
    public void Follows_AllAtTheMinimum_TrueWithoutAScale()
    {
        Assert.True(DynamicMapSizing.Follows(Maps(131072, 65536, 131072), out var scale));
        Assert.Null(scale);
    }

    [Theory]
    [InlineData(1_000_000, 132560, 265121)]   // bpf-ct-global-tcp-max set by hand
    [InlineData(265121, 132560, 100_000)]     // below the NAT minimum: not what sizing computes
    public void Follows_ASizeSetByHand_False(long tcp, long any, long nat) =>
        Assert.False(DynamicMapSizing.Follows(Maps(tcp, any, nat), out _));

    [Fact]
    public void Follows_DynamicSizingOff_False() =>
        Assert.False(DynamicMapSizing.Follows(Maps(524288, 262144, 524288, ratio: 0), out _));

    [Fact]
    public void Drift_DifferentMemory_NoDriftCellNoSizeDifferenceNoFinding()
    {
        IReadOnlyList<NodeSnapshot> nodes = [WithMaps("fedora", FourGb()), WithMaps("knode1", SixteenGb()), WithMaps("knode2", SixteenGb())];

        Assert.Equal(0, Drift.Build(nodes).DifferingNodes);
        Assert.Empty(Drift.MapSizeDifferences(nodes));
        Assert.Empty(DriftRules.Of(nodes));
        Assert.Contains("sizes follow node memory", Drift.Build(nodes).Majority[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void Drift_SizeSetByHandOnOneNode_DriftFindingNamingTheMap()
    {
        IReadOnlyList<NodeSnapshot> nodes = [WithMaps("fedora", Maps(1_000_000, 132560, 265121)), WithMaps("knode1", FourGb()), WithMaps("knode2", SixteenGb())];

        var finding = Assert.Single(DriftRules.Of(nodes));

        Assert.Equal(FindingKinds.Drift, finding.Kind);
        Assert.Equal(new FindingSubject { Node = "fedora", Component = "BPF map sizes", Map = "TCP connection tracking" }, finding.Subject);
        Assert.Contains(finding.Evidence, e => e.Value == "TCP connection tracking: 1,000,000 here, 265,121 on knode1");
        Assert.Contains(finding.Evidence, e => e.Value.Contains("do not follow dynamic sizing", StringComparison.Ordinal));
        Assert.Contains("bpf-ct-global-tcp-max", Hints.For(finding), StringComparison.Ordinal);
    }

    [Fact]
    public void Drift_FixedSizeMapDiffers_Drift()
    {
        IReadOnlyList<NodeSnapshot> nodes = [WithMaps("fedora", FourGb(ipCache: 1_024_000)), WithMaps("knode1", FourGb()), WithMaps("knode2", SixteenGb())];

        var finding = Assert.Single(DriftRules.Of(nodes));

        Assert.Equal("IP cache", finding.Subject.Map);
        Assert.Equal("fedora", finding.Subject.Node);
        Assert.Single(Drift.MapSizeDifferences(nodes));
    }
}
