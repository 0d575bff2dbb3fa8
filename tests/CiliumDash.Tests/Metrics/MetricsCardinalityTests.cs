using CiliumDash.Agents;
using CiliumDash.Metrics;
using CiliumDash.Tests.Builders;
using CiliumDash.Tests.Findings;

namespace CiliumDash.Tests.Metrics;

/// <summary>
/// A 1,000-node cluster with every fault at once (failing controllers over the per-node bound, maps over 90 %, a
/// minority of peers failing every node's endpoint: 20,000 pair findings, drops between many namespace pairs, lost
/// events): every exported CiliumDash family is in docs/metrics.md with its type and labels, and stays within its bound.
/// </summary>
public sealed class MetricsCardinalityTests
{
    private const int Nodes = SeriesBounds.ReferenceNodes;
    private const int Reporters = 50;

    [Fact]
    public async Task Scrape_ThousandNodesWithFaults_EveryFamilyDocumentedAndWithinItsBound()
    {
        using var stores = new EngineFixture();
        var names = Enumerable.Range(0, Nodes).Select(i => $"node-{i:D4}").ToArray();
        foreach (var name in names)
        {
            var controllers = Enumerable.Range(0, 8).Select(c => ClusterData.Controller($"sync-thing-{c} ({name})", consecutiveFailures: 3 + c, lastFailureMessage: "i/o timeout", lastFailure: ClusterData.Now))
                .Append(ClusterData.Controller("ipcache-inject-labels")).ToList();
            var maps = Enumerable.Range(0, 12).Select(m => ($"cilium_policy_{m:D5}", 0.91 + m * 0.005)).ToArray();
            stores.Node(ClusterData.Node(name, status: ClusterData.Status(controllers: controllers), mapPressure: ClusterData.Pressure(maps)));
        }

        // 20 of the 50 reporters fail the endpoint of every node: a minority, so each failing pair is its own finding.
        for (var r = 0; r < Reporters; r++)
        {
            var peers = names.Select(n => r < 20
                ? HealthJson.Peer(n, endpointIcmp: Probe.Fail(), endpointHttp: Probe.Fail())
                : HealthJson.Peer(n)).ToArray();
            stores.Health(names[r], peers);
        }

        for (var i = 0; i < 300; i++)
        {
            stores.Flows.Add(FlowData.Flow(sequence: i, verdict: "DROPPED", dropReason: i % 2 == 0 ? "POLICY_DENIED" : "CT_MAP_INSERTION_FAILED",
                sourceNamespace: $"team-{i % 37}", destinationNamespace: $"svc-{i % 11}", time: ClusterData.Now.AddSeconds(-(i % 50))));
        }

        stores.Flows.AddLost(new CiliumDash.Flows.LostEventRecord(ClusterData.Now, "node-0001", "PERF_EVENT_RING_BUFFER", 12));
        var findings = stores.Engine.Derive();
        Assert.True(findings.All.Count > SeriesBounds.Findings, $"the faults give {findings.All.Count} findings, more than the bound");

        await using var host = await MetricsHost.StartAsync(stores);
        var scraped = await host.ScrapeAsync();
        var table = MetricsTable.Read();
        var families = scraped.Samples.Where(s => s.Name.StartsWith("ciliumdash_", StringComparison.Ordinal))
            .GroupBy(s => MetricsTable.Family(s.Name, table)).ToList();

        Assert.All(families, family =>
        {
            Assert.True(table.TryGetValue(family.Key, out var row), $"{family.Key} is exported but not in docs/metrics.md");
            Assert.Equal(row!.Type, scraped.Types[family.Key]);
            Assert.All(family, s => Assert.Equal(row.Labels.OrderBy(l => l), s.Labels.Keys.OrderBy(l => l)));
            Assert.InRange(family.Count(), 1, row.WorstCase);
        });
        var total = families.Sum(f => f.Count());
        Assert.InRange(total, 1, table.Values.Sum(r => r.WorstCase));
        // The bounds bit: these families hit them exactly.
        Assert.Equal(SeriesBounds.Findings, scraped.Named("ciliumdash_finding").Count());
        Assert.Equal(findings.All.Count - SeriesBounds.Findings, scraped.Value("ciliumdash_finding_series_omitted"));
        Assert.Equal(Nodes * SeriesBounds.ControllersPerNode, scraped.Named("ciliumdash_controller_failing").Count());
        Assert.Equal(Nodes * SeriesBounds.MapsPerNode, scraped.Named("ciliumdash_bpf_map_fill_ratio").Count());
        Assert.Equal(SeriesBounds.DropTriples, scraped.Named("ciliumdash_drop_rate_per_second").Count());
        // Worst first: no warning is exported while a critical finding is left out.
        Assert.Equal(findings.All.Take(SeriesBounds.Findings).Count(f => f.Severity == CiliumDash.Findings.FindingSeverity.Critical),
            scraped.Named("ciliumdash_finding").Count(s => s.Label("severity") == "critical"));
        // Per node, never per pair: the reachability counts have one series per node.
        Assert.Equal(Nodes, scraped.Named("ciliumdash_node_peers_endpoint_unreachable").Count());
        Assert.Equal(20, scraped.Value("ciliumdash_node_peers_endpoint_unreachable", ("node", "node-0500")));
    }

    [Fact]
    public void Table_DocumentedWorstCases_MatchTheBounds()
    {
        var table = MetricsTable.Read();

        Assert.Equal(SeriesBounds.Findings, table["ciliumdash_finding"].WorstCase);
        Assert.Equal(Nodes * SeriesBounds.ControllersPerNode, table["ciliumdash_controller_failing"].WorstCase);
        Assert.Equal(Nodes * SeriesBounds.ControllersPerNode, table["ciliumdash_controller_consecutive_failures"].WorstCase);
        Assert.Equal(Nodes * SeriesBounds.MapsPerNode, table["ciliumdash_bpf_map_fill_ratio"].WorstCase);
        Assert.Equal(Nodes * SeriesBounds.MapsPerNode, table["ciliumdash_bpf_map_forecast_full_seconds"].WorstCase);
        Assert.Equal(SeriesBounds.DropTriples, table["ciliumdash_drop_rate_per_second"].WorstCase);
        var kinds = typeof(CiliumDash.Findings.FindingKinds).GetFields().Length;
        Assert.Equal(kinds * 3, table["ciliumdash_findings"].WorstCase);
        Assert.Equal("kind,node,severity,subject", string.Join(',', table["ciliumdash_finding"].Labels.Order()));
    }
}
