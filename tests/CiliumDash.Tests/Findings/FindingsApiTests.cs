using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using CiliumDash.Testing;
using CiliumDash.Tests.Integration;

namespace CiliumDash.Tests.Findings;

/// <summary>
/// A recorded 8-node cluster with one fault per node (and two healthy nodes of different memory), replayed by the
/// dashboard: <c>/api/v1/findings</c> names each fault with its subject and severity and nothing else.
/// </summary>
public sealed class FindingsApiTests(FindingsApiTests.Cluster cluster) : IClassFixture<FindingsApiTests.Cluster>
{
    private readonly Cluster _c = cluster;

#pragma warning disable CA1001 // xunit disposes the fields in IAsyncLifetime.DisposeAsync, which the rule does not see
    public sealed class Cluster : IAsyncLifetime
#pragma warning restore CA1001
    {
        private static readonly string[] Names = ["fedora", "knode1", "knode2", "knode3", "knode4", "knode5", "knode6", "knode7"];
        private readonly RecordedCluster _recorded = new(Names);

        public DashboardServer Server { get; private set; } = null!;

        public HttpClient Client { get; private set; } = null!;

        /// <summary>The controller made to fail on knode1 (the first of its document).</summary>
        public string Controller { get; private set; } = "";

        public async Task InitializeAsync()
        {
            // knode2: its health endpoint times out for everyone; knode7: down (nothing answers, its agent crash-loops).
            _recorded.Faults.EndpointUnreachableNodes = new HashSet<string> { "knode2" };
            _recorded.Faults.HangingExecNodes = new HashSet<string> { "knode7" };
            _recorded.Write(
                status: (node, doc) =>
                {
                    // Cilium's own sizing for 4 GB; knode6 has 16 GB, so its dynamically sized maps are four times larger.
                    var (tcp, any) = node == "knode6" ? (1060485L, 530242L) : (265121L, 132560L);
                    RecordedCluster.MapSize(doc, "TCP connection tracking", tcp);
                    RecordedCluster.MapSize(doc, "Non-TCP connection tracking", any);
                    RecordedCluster.MapSize(doc, "NAT", tcp);
                    RecordedCluster.MapSize(doc, "Neighbor table", tcp);
                    RecordedCluster.MapSize(doc, "Sock reverse NAT", any);
                    switch (node)
                    {
                        case "knode1":
                            Controller = RecordedCluster.FailFirstController(doc, "Unable to add backend: cilium_lb4_backends_v2 map is full", DateTimeOffset.UtcNow);
                            break;
                        case "knode3":
                            doc["cilium"]!["state"] = "Warning";
                            doc["cilium"]!["msg"] = "Waiting for initial connection to the kvstore";
                            break;
                        case "knode4":
                            RecordedCluster.Holder(doc, "lutSize")["lutSize"] = 65521;
                            break;
                    }
                },
                flowLines: [LostEventsLine]);
            // Faults can only be set once the simulator runs, after the first poll may have read the metrics: the shortest
            // metrics interval makes the next read (the one that sees knode5's map pressure) come within 10 s.
            Server = new DashboardServer(new Dictionary<string, string?>
            {
                ["CiliumDash:Simulator:Scenario"] = _recorded.Directory,
                ["CiliumDash:Kubernetes:MetricsInterval"] = "00:00:10",
            });
            Server.Simulator.Faults.MapPressureNodes = new HashSet<string> { "knode5" };
            Server.Simulator.Faults.CrashLoopingNodes = new HashSet<string> { "knode7" };
            Client = Server.CreateLoopbackClient();
            try
            {
                await Api.WaitForAsync(Client, "/api/v1/findings", f => Keys(f).IsSupersetOf(Expected.Keys), "every planted fault among the findings", TimeSpan.FromSeconds(60));
            }
            catch (TimeoutException ex)
            {
                // Say what was there: a missing kind is then obvious from the message.
                var seen = Keys(await Api.GetAsync(Client, "/api/v1/findings"));
                throw new TimeoutException($"{ex.Message}; missing: {string.Join(", ", Expected.Keys.Except(seen))}; present: {string.Join(", ", seen)}", ex);
            }
        }

        public async Task DisposeAsync()
        {
            Client.Dispose();
            await Server.DisposeAsync();
            _recorded.Dispose();
        }

        /// <summary>One lost-events line as <c>hubble observe -o json</c> prints it.</summary>
        private static string LostEventsLine =>
            """{"lost_events":{"source":"PERF_EVENT_RING_BUFFER","num_events_lost":"1234","cpu":1},"node_name":"knode5","time":"2024-05-01T12:00:00Z"}""";

        /// <summary>kind | subject → severity.</summary>
        public Dictionary<string, string> Expected => new()
        {
            ["node-unreachable|{\"node\":\"knode7\"}"] = "critical",
            ["agent-unreadable|{\"node\":\"knode7\",\"component\":\"cilium-agent\"}"] = "critical",
            ["workload-not-ready|{\"component\":\"cilium\"}"] = "critical",
            ["endpoint-unreachable|{\"node\":\"knode2\",\"path\":\"endpoint\"}"] = "critical",
            ["agent-not-ok|{\"node\":\"knode3\",\"component\":\"Cilium\"}"] = "warning",
            ["map-pressure|{\"node\":\"knode5\",\"map\":\"cilium_ct4_global\"}"] = "warning",
            ["map-pressure|{\"node\":\"knode5\",\"map\":\"cilium_snat_v4_external\"}"] = "warning",
            [$"controller-failing|{{\"node\":\"knode1\",\"controller\":\"{Controller}\"}}"] = "warning",
            ["drift|{\"node\":\"knode4\",\"component\":\"Maglev table size\"}"] = "warning",
            ["hubble-lost-events|{\"component\":\"PERF_EVENT_RING_BUFFER\"}"] = "warning",
        };

        public static string Key(JsonElement f) => $"{f.GetProperty("kind").GetString()}|{f.GetProperty("subject").GetRawText()}";

        private static HashSet<string> Keys(JsonElement findings) => findings.EnumerateArray().Select(Key).ToHashSet();
    }

    [Fact]
    public async Task Findings_RecordedFaults_EachNamedWithSubjectAndSeverityAndNothingElse()
    {
        var findings = await Api.GetAsync(_c.Client, "/api/v1/findings");

        var byKey = findings.EnumerateArray().ToDictionary(Cluster.Key);
        var expected = _c.Expected;
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), byKey.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, severity) in expected)
        {
            Assert.Equal(severity, byKey[key].GetProperty("severity").GetString());
        }

        // The healthy nodes (fedora, and knode6 whose map sizes differ only by memory) have nothing.
        Assert.DoesNotContain(byKey.Keys, k => k.Contains("\"fedora\"", StringComparison.Ordinal) || k.Contains("\"knode6\"", StringComparison.Ordinal));
        // Every peer that reports: 6, or 7 when the first poll read knode7's recorded report before its crash loop was switched on.
        Assert.Matches("^(6 of 6|7 of 7) peers cannot reach knode2's health endpoint while its host answers$", byKey["endpoint-unreachable|{\"node\":\"knode2\",\"path\":\"endpoint\"}"].GetProperty("summary").GetString());
    }

    [Fact]
    public async Task Findings_Shape_WorstFirstWithIdsEvidenceAndUtcSince()
    {
        var findings = (await Api.GetAsync(_c.Client, "/api/v1/findings")).EnumerateArray().ToList();

        var ranks = findings.Select(f => f.GetProperty("severity").GetString() switch { "critical" => 0, "warning" => 1, _ => 2 }).ToList();
        Assert.Equal(ranks.Order(), ranks);
        Assert.Equal(findings.Count, findings.Select(f => f.GetProperty("id").GetString()).Distinct().Count());
        foreach (var f in findings)
        {
            Api.AssertCamelCase(f);
            Api.AssertUtcTime(f.GetProperty("since"));
            Assert.NotEmpty(f.GetProperty("summary").GetString()!);
            Assert.All(f.GetProperty("evidence").EnumerateArray(), e => Assert.NotEmpty(e.GetProperty("source").GetString()!));
            Assert.NotEqual(0, f.GetProperty("evidence").GetArrayLength());
        }

        var endpoint = findings.Single(f => f.GetProperty("kind").GetString() == "endpoint-unreachable");
        Assert.Contains("4240", endpoint.GetProperty("hint").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nodes_RecordedFaults_RowsCarrySeverityAndProblemsFromTheFindings()
    {
        var nodes = await Api.GetAsync(_c.Client, "/api/v1/nodes");

        Assert.Equal(JsonValueKind.Null, Api.Node(nodes, "fedora").GetProperty("severity").ValueKind);
        Assert.Equal(0, Api.Node(nodes, "fedora").GetProperty("problems").GetInt32());
        Assert.Equal("critical", Api.Node(nodes, "knode2").GetProperty("severity").GetString());
        Assert.Equal(1, Api.Node(nodes, "knode2").GetProperty("problems").GetInt32());
        Assert.Equal("warning", Api.Node(nodes, "knode5").GetProperty("severity").GetString());
        Assert.Equal(2, Api.Node(nodes, "knode5").GetProperty("problems").GetInt32());
    }

    [Fact]
    public async Task Findings_NodeQuery_OnlyThatNode()
    {
        var findings = await Api.GetAsync(_c.Client, "/api/v1/findings?node=knode5");

        Assert.Equal(2, findings.GetArrayLength());
        Assert.All(findings.EnumerateArray(), f => Assert.Equal("map-pressure", f.GetProperty("kind").GetString()));
    }

    [Fact]
    public async Task Metrics_RecordedFaults_FindingCountsBySeverityAndKind()
    {
        using var response = await _c.Client.GetAsync("/metrics");
        var text = PrometheusText.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(2, text.Value("ciliumdash_findings", ("severity", "warning"), ("kind", "map-pressure")));
        Assert.Equal(1, text.Value("ciliumdash_findings", ("severity", "critical"), ("kind", "endpoint-unreachable")));
        // The same faults one series each, named by node and subject.
        Assert.Equal(1, text.Value("ciliumdash_finding", ("kind", "endpoint-unreachable"), ("node", "knode2"), ("subject", "endpoint")));
        Assert.Equal(1, text.Value("ciliumdash_finding", ("kind", "controller-failing"), ("node", "knode1"), ("subject", _c.Controller)));
        Assert.Equal(1, text.Value("ciliumdash_controller_failing", ("node", "knode1"), ("controller", _c.Controller)));
        Assert.True(text.Value("ciliumdash_node_peers_endpoint_unreachable", ("node", "knode2")) > 0);
    }

    [Fact]
    public async Task Hub_FindingsTopic_SnapshotCarriesTheFindings()
    {
        await using var hub = await CiliumDash.Tests.Push.HubClient.ConnectAsync(_c.Server.BaseAddress);
        await hub.Connection.InvokeAsync("Subscribe", "findings");

        var snapshot = await hub.NextAsync("findings");

        Assert.Equal("Snapshot", snapshot.Kind);
        Assert.Contains(snapshot.Payload.EnumerateArray(), f => f.GetProperty("kind").GetString() == "endpoint-unreachable");
    }
}
