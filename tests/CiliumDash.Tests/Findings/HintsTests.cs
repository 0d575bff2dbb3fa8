using System.Reflection;
using CiliumDash.Findings;

namespace CiliumDash.Tests.Findings;

/// <summary>The hint table: rows are for kinds the engine knows, and the specific rows win over the general ones.</summary>
public sealed class HintsTests
{
    private static FindingDraft Draft(string kind, FindingSubject subject) => new(FindingSeverity.Warning, kind, subject, "s", []);

    [Fact]
    public void Table_EveryRow_AKnownKindAndAText()
    {
        var kinds = typeof(FindingKinds).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetValue(null)!).ToHashSet();

        Assert.All(Hints.Table, h =>
        {
            Assert.Contains(h.Kind, kinds);
            Assert.True(h.Text.Length > 40, $"hint for {h.Kind} says too little");
        });
    }

    [Theory]
    [InlineData("cilium_ct4_global", "bpf-ct-global-tcp-max")]
    [InlineData("cilium_ct_any4_global", "bpf-ct-global-any-max")]
    [InlineData("cilium_snat_v4_external", "bpf-nat-global-max")]
    [InlineData("cilium_lb4_reverse_nat", "bpf-lb-map-max")]
    [InlineData("cilium_policy_00042", "bpf-policy-map-max")]
    [InlineData("cilium_nodeport_neigh4", "bpf-neigh-global-max")]
    [InlineData("cilium_ipcache", "bpf-map-dynamic-size-ratio")]
    public void For_MapPressure_NamesTheFlagThatResizesThatMap(string map, string flag) =>
        Assert.Contains(flag, Hints.For(Draft(FindingKinds.MapPressure, new FindingSubject { Node = "n", Map = map })), StringComparison.Ordinal);

    [Fact]
    public void For_XdpDrift_NamesDriverChecks()
    {
        var hint = Hints.For(Draft(FindingKinds.Drift, new FindingSubject { Node = "n", Component = "XDP acceleration" }))!;

        Assert.Contains("virtio_net", hint, StringComparison.Ordinal);
        Assert.Contains("ethtool -i", hint, StringComparison.Ordinal);
    }

    [Fact]
    public void For_MasqueradingDrift_ExplainsEniAndIptablesBypass()
    {
        var hint = Hints.For(Draft(FindingKinds.Drift, new FindingSubject { Node = "n", Component = "Masquerading" }))!;

        Assert.Contains("ENI", hint, StringComparison.Ordinal);
        Assert.Contains("iptables is bypassed", hint, StringComparison.Ordinal);
    }

    [Fact]
    public void For_KindWithoutRow_Null() =>
        Assert.Null(Hints.For(Draft(FindingKinds.ControllerFlapping, new FindingSubject { Node = "n", Controller = "c" })));
}
