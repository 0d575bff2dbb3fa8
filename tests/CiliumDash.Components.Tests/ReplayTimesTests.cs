using Bunit;
using CiliumDash.Components.Controls;
using CiliumDash.Findings;
using CiliumDash.Replay;
using CiliumDash.Shared;
using Microsoft.Extensions.DependencyInjection;
using static CiliumDash.Tests.Builders.ClusterData;

namespace CiliumDash.Components.Tests;

/// <summary>
/// A recorded cluster's times read from the capture's own time: a controller that failed three minutes before the
/// capture was taken reads "3m0s ago" a year later, while the dashboard's own times stay on the clock.
/// </summary>
public sealed class ReplayTimesTests : DashboardContext
{
    private static readonly DateTimeOffset Captured = new(2023, 2, 1, 9, 30, 0, TimeSpan.Zero);

    private void Recorded(bool replay)
    {
        Connection.Set(new ClusterEndpoints(null, null, true, "recorded cluster") { Replay = replay });
        var controllers = new[]
        {
            Controller("ipcache-inject-labels") with { LastSuccess = Captured },
            Controller("sync-lb-maps-with-k8s-services", 4, "timeout", Captured.AddMinutes(-3)) with { LastSuccess = Captured.AddMinutes(-10) },
        };
        AddNodes(Node("fedora", Status(controllers: controllers)));
    }

    private static Finding Failing(DateTimeOffset since) =>
        new("controller-failing/fedora", FindingSeverity.Warning, FindingKinds.ControllerFailing, new FindingSubject { Node = "fedora" },
            "controller sync-lb-maps-with-k8s-services on fedora is failing", null, [], since);

    [Fact]
    public void ViewClock_RecordedCluster_NowIsTheCapturesNewestTimestamp()
    {
        Recorded(replay: true);
        var clock = Services.GetRequiredService<ViewClock>();

        Assert.Equal(Captured, clock.CaptureTime);
        Assert.Equal(Captured, clock.ClusterNow);
    }

    [Fact]
    public void ViewClock_LiveCluster_NowIsTheClock()
    {
        Recorded(replay: false);
        var clock = Services.GetRequiredService<ViewClock>();

        Assert.Null(clock.CaptureTime);
        Assert.Equal(Now, clock.ClusterNow);
    }

    [Fact]
    public void FindingList_RecordedCluster_SinceMeasuredFromTheCapture()
    {
        Recorded(replay: true);

        var list = Render<FindingList>(p => p.Add(l => l.Findings, [Failing(Captured.AddMinutes(-3))]));

        var text = System.Text.RegularExpressions.Regex.Replace(list.Find(".findings").TextContent, @"\s+", " ");
        Assert.Contains("since 3m0s ago", text, StringComparison.Ordinal);
    }

    [Fact]
    public void RelativeTime_RecordedClusterControllerTime_FromTheCaptureWhileDashboardTimesStayOnTheClock()
    {
        Recorded(replay: true);

        var cluster = Render<RelativeTime>(p => p.Add(t => t.At, Captured.AddMinutes(-3)).Add(t => t.FromCluster, true));
        var own = Render<RelativeTime>(p => p.Add(t => t.At, Now.AddSeconds(-5)));

        Assert.Contains("3m0s ago", cluster.Markup, StringComparison.Ordinal);
        Assert.Contains("5s ago", own.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void Findings_RecordedClusterFindingWithoutItsOwnTime_DatedAtTheCapture()
    {
        Recorded(replay: true);
        using var engine = new FindingsEngine(Cluster, Matrix, Flows, clock: Services.GetRequiredService<ViewClock>());
        AddNodes(Node("knode1", Status(ciliumState: "Failure", controllers: [Controller("ipcache-inject-labels") with { LastSuccess = Captured }])));

        var finding = engine.Derive().All.First(f => f.Subject.Node == "knode1");

        Assert.True(finding.Since <= Captured, $"since {finding.Since:O} is after the capture");
    }
}
