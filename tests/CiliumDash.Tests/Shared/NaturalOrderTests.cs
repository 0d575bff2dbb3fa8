using CiliumDash.Shared;

namespace CiliumDash.Tests.Shared;

public sealed class NaturalOrderTests
{
    [Fact]
    public void NaturalOrder_NumberedNames_SortByValue()
    {
        string[] names = ["worker-10", "worker-2", "control-plane", "worker-1", "worker-02", "worker-100", "worker-9b", "worker-9a"];

        var sorted = names.Order(NaturalOrder.Instance).ToList();

        Assert.Equal(["control-plane", "worker-1", "worker-02", "worker-2", "worker-9a", "worker-9b", "worker-10", "worker-100"], sorted);
    }

    [Fact]
    public void NaturalOrder_DigitRunsLongerThanAnyInteger_CompareWithoutOverflow()
    {
        var big = "n-" + new string('9', 40);
        var bigger = "n-1" + new string('0', 40);

        Assert.True(NaturalOrder.Instance.Compare(big, bigger) < 0);
        Assert.True(NaturalOrder.Instance.Compare(bigger, big) > 0);
    }

    [Fact]
    public void NaturalOrder_DifferentNames_NeverEqual()
    {
        Assert.NotEqual(0, NaturalOrder.Instance.Compare("a01", "a1"));
        Assert.Equal(0, NaturalOrder.Instance.Compare("a1", "a1"));
        Assert.True(NaturalOrder.Instance.Compare(null, "a") < 0);
        Assert.True(NaturalOrder.Instance.Compare("a", "a-1") < 0);
    }
}
