using CiliumDash.Cluster;
using CiliumDash.Contract;

namespace CiliumDash.Tests.Cluster;

public sealed class NodeListViewTests
{
    private static NodeRowDto Row(string name, string? severity = null, int failing = 0, string? pod = null) =>
        new(name, "Ok", "1.16.3", null, false, null, pod ?? "cilium-" + name, new ControllerCountsDto(10, failing) { Reported = true })
        {
            Severity = severity,
            Problems = severity is null ? 0 : 1,
        };

    private static readonly IReadOnlyList<NodeRowDto> Rows =
        [Row("worker-10", "critical", failing: 2), Row("worker-2", "warning"), Row("worker-1"), Row("control-plane", pod: "cilium-cp-xyz")];

    [Fact]
    public void Apply_NoSort_KeepsTheIncomingWorstFirstOrder()
    {
        var view = NodeListView.From(null, null, null, null);

        Assert.Equal(["worker-10", "worker-2", "worker-1", "control-plane"], view.Apply(Rows).Select(r => r.Name));
    }

    [Fact]
    public void Apply_SortByName_NaturalBothDirections()
    {
        Assert.Equal(["control-plane", "worker-1", "worker-2", "worker-10"], NodeListView.From(null, "name", null, null).Apply(Rows).Select(r => r.Name));
        Assert.Equal(["worker-10", "worker-2", "worker-1", "control-plane"], NodeListView.From(null, "name", "desc", null).Apply(Rows).Select(r => r.Name));
    }

    [Fact]
    public void Apply_SortByControllers_FewestFailingFirstTiesByName()
    {
        var names = NodeListView.From(null, "controllers", null, null).Apply(Rows).Select(r => r.Name);

        Assert.Equal(["control-plane", "worker-1", "worker-2", "worker-10"], names);
    }

    [Fact]
    public void Apply_SearchAndSeverity_FilterTogether()
    {
        Assert.Equal(["control-plane"], NodeListView.From("CP-X", null, null, null).Apply(Rows).Select(r => r.Name));
        Assert.Equal(["worker-1", "control-plane"], NodeListView.From(null, null, null, "none").Apply(Rows).Select(r => r.Name));
        Assert.Empty(NodeListView.From("worker", null, null, "info").Apply(Rows));
    }

    [Fact]
    public void From_UnknownValues_FallBackToTheDefaultView()
    {
        var view = NodeListView.From("  ", "<script>", "sideways", "purple");

        Assert.Equal(new NodeListView(null, null, false, null), view);
        Assert.Equal(4, view.Apply(Rows).Count);
    }

    [Fact]
    public void Apply_EveryColumn_SortsWithoutThrowing()
    {
        foreach (var column in NodeListView.Columns)
        {
            Assert.Equal(4, NodeListView.From(null, column, "desc", null).Apply(Rows).Count);
        }
    }
}
