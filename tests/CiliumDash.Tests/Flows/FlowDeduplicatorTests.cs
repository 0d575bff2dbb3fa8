using CiliumDash.Flows;
using static CiliumDash.Tests.Builders.FlowData;

namespace CiliumDash.Tests.Flows;

public sealed class FlowDeduplicatorTests
{
    [Fact]
    public void IsNew_SameUuidTwice_SecondIsDuplicate()
    {
        var dedup = new FlowDeduplicator(10);

        Assert.True(dedup.IsNew(Flow(1), ""));
        Assert.False(dedup.IsNew(Flow(1), ""));
        Assert.True(dedup.IsNew(Flow(2), ""));
        Assert.Equal(1, dedup.Duplicates);
    }

    [Fact]
    public void IsNew_OlderFlowFromAnotherNode_NotADuplicate()
    {
        var dedup = new FlowDeduplicator(10);
        dedup.IsNew(Flow(5, node: "fedora"), "");

        Assert.True(dedup.IsNew(Flow(1, node: "knode1"), ""));
    }

    [Fact]
    public void IsNew_NoUuid_UsesTimeNodeAddressesAndSummary()
    {
        var dedup = new FlowDeduplicator(10);
        var at = DateTimeOffset.UnixEpoch;

        Assert.True(dedup.IsNew(Flow(uuid: "", time: at), ""));
        Assert.False(dedup.IsNew(Flow(uuid: "", time: at), ""));
        Assert.True(dedup.IsNew(Flow(uuid: "", time: at, node: "knode1"), ""));
        Assert.True(dedup.IsNew(Flow(uuid: "", time: at, summary: "TCP Flags: ACK"), ""));
        Assert.True(dedup.IsNew(Flow(uuid: "", time: at.AddTicks(1)), ""));
    }

    [Fact]
    public void IsNew_BeyondCapacity_ForgetsTheOldest()
    {
        var dedup = new FlowDeduplicator(3);
        for (var i = 0; i < 4; i++)
        {
            dedup.IsNew(Flow(i), "");
        }

        Assert.True(dedup.IsNew(Flow(0), ""));
        Assert.False(dedup.IsNew(Flow(3), ""));
    }
}
