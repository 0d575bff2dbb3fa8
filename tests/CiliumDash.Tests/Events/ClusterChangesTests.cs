using CiliumDash.Simulator;
using CiliumDash.Simulator.Cluster;
using CiliumDash.Simulator.Kubernetes;
using CiliumDash.Testing;
using Microsoft.Extensions.Time.Testing;

namespace CiliumDash.Tests.Events;

/// <summary>The simulator's own changes over time, on its clock.</summary>
public sealed class ClusterChangesTests
{
    [Fact]
    public async Task Run_EveryInterval_OneChangeOnTheClustersClock()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 4, 3, 0, 0, TimeSpan.Zero));
        var cluster = new SimulatedCluster(new SimulatorOptions { Nodes = 2, FlowsPerSecond = 0 }, time);
        var journal = cluster.Changes.Journal;
        var before = journal.Version;
        using var stop = new CancellationTokenSource();
        var running = cluster.Changes.RunAsync(TimeSpan.FromMinutes(5), stop.Token);

        time.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal(before, journal.Version);
        time.Advance(TimeSpan.FromMinutes(1));
        await Eventually.True(() => journal.Version == before + 1, "the first change after five minutes");

        Assert.True(journal.TryChangesAfter("ciliumnetworkpolicies", before, out var changes, out _));
        Assert.Equal(("ADDED", "cart-from-frontend"), (Assert.Single(changes).Type, changes[0].Object.Name));
        await stop.CancelAsync();
        await running;
    }

    [Fact]
    public void Upgrade_ChangesTheVersionTheAgentsReport()
    {
        var cluster = new SimulatedCluster(new SimulatorOptions { Nodes = 1, FlowsPerSecond = 0 });

        cluster.Changes.UpgradeCilium("v1.18.2");

        Assert.Equal(("1.18.2", "quay.io/cilium/cilium:v1.18.2", 1L), (cluster.CiliumVersion, cluster.Changes.CiliumImage, cluster.Changes.WorkloadVersion));
    }

    [Theory]
    [InlineData("0", null)]
    [InlineData("60", 60)]
    public void Parse_ChangesEvery_SetsTheInterval(string value, int? seconds)
    {
        var options = SimulatorCommandLine.Parse(["--changes-every", value]);

        Assert.Equal(seconds is { } s ? TimeSpan.FromSeconds(s) : null, options.Simulator.ChangeEvery);
    }
}
