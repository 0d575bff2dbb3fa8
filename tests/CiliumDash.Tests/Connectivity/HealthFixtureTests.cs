using System.Globalization;
using System.Text.RegularExpressions;
using CiliumDash.Configuration;
using CiliumDash.Connectivity;
using Microsoft.Extensions.Time.Testing;

namespace CiliumDash.Tests.Connectivity;

/// <summary>The real 1.18 capture: the seed's classic failure (host reachable, health endpoint timing out).</summary>
public sealed partial class HealthFixtureTests : IDisposable
{
    private const string Master = "k8s-master-n1";
    private const string Worker = "k8s-worker-n1";
    private readonly ConnectivityStore _store = new(new FakeTimeProvider(new DateTimeOffset(2025, 8, 3, 14, 30, 0, TimeSpan.Zero)), new ConnectivityOptions());

    private static byte[] Fixture(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", "health", name));

    private IngestResult IngestFixture() => _store.Ingest(Master, Fixture("cilium-health-probe-1.18.0-k8s-master-n1-endpoint-unreachable.json"));

    [Fact]
    public void Ingest_Real118Probe_SummaryAsCiliumHealthPrintsIt()
    {
        var summary = IngestFixture().Summary!;

        Assert.Equal(new HealthSummary(Master, new DateTimeOffset(2025, 8, 3, 14, 23, 49, TimeSpan.Zero), "1m36.566274746s", 1, 2), summary);
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "health", "cilium-health-status-1.18.0-k8s-master-n1.txt"));
        Assert.StartsWith($"Cluster health:   {summary.Reachable}/{summary.Total} reachable", text);
    }

    [Fact]
    public void Ingest_Real118Probe_EveryRttMatchesTheTextOutput()
    {
        IngestFixture();
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "health", "cilium-health-status-1.18.0-k8s-master-n1.txt"));
        var printed = RttLine().Matches(text).Select(m => (long)Math.Round(double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) * 1000)).ToList();

        var parsed = new[] { Master, Worker }
            .SelectMany(to => _store.Pair(Master, to)!.Paths)
            .Where(p => p.RttNs is not null)
            .Select(p => (long)p.RttNs!.Value)
            .ToList();

        Assert.Equal(6, printed.Count);
        Assert.Equal(printed, parsed);
    }

    [Fact]
    public void Ingest_Real118Probe_WorkerEndpointFailsWhileItsHostAnswers()
    {
        IngestFixture();
        var pair = _store.Pair(Master, Worker)!;

        Assert.Equal([ProbeState.Ok, ProbeState.Ok, ProbeState.Failed, ProbeState.Failed], pair.Paths.Select(p => p.State));
        Assert.Equal("Connection timed out", pair.Paths[2].Error);
        Assert.StartsWith("Get \"http://10.0.1.237:4240/hello\": context deadline exceeded", pair.Paths[3].Error);
        Assert.Equal("10.0.1.237", pair.Paths[2].Ip);
        Assert.Equal("91.217.196.183", pair.Paths[0].Ip);
        Assert.Equal(new DateTimeOffset(2025, 8, 3, 14, 22, 47, TimeSpan.Zero), pair.Paths[2].ProbedAt);
        var nodes = _store.Nodes().ToDictionary(n => n.Name);
        var cells = _store.Window([nodes[Master].Index], [nodes[Master].Index, nodes[Worker].Index], ProbePath.EndpointIcmp);
        Assert.Equal(CellKind.Ok, cells[0, 0].Kind);
        Assert.Equal(CellKind.HostOkEndpointDown, cells[0, 1].Kind);
    }

    [Fact]
    public void Ingest_Real118Probe_WorkerSeenOnlyInProbesIsMarkedSo()
    {
        IngestFixture();

        var worker = _store.Nodes().Single(n => n.Name == Worker);

        Assert.False(worker.Polled);
        Assert.False(worker.Reporting);
        Assert.Equal(1, worker.ListedBy);
        Assert.Equal(0, worker.ReachableFrom);
        Assert.Equal("Cluster health: 1/2 reachable", _store.Summary().Line);
    }

    public void Dispose() => _store.Dispose();

    [GeneratedRegex(@"RTT=([0-9.]+)µs")]
    private static partial Regex RttLine();
}
