using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using CiliumDash.Testing;
using CiliumDash.Tests.Deploy;

namespace CiliumDash.Tests.Metrics;

/// <summary>
/// The shipped rules on the real engines: Debian's prometheus scrapes the dashboard (on its simulator) and evaluates
/// deploy/prometheus/ciliumdash-rules.yaml, Debian's prometheus-alertmanager receives the alerts. A failing controller
/// and an unreachable endpoint fire with their node and controller labels, and resolve when the faults go.
/// </summary>
public sealed partial class AlertingEndToEndTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    /// <summary>
    /// The test's copy of the rules: the shipped file with every <c>for:</c> set to 0s (minutes are not a test's
    /// time), derived mechanically so that nothing else can differ.
    /// </summary>
    public static string TestRules(string shipped) => ForClause().Replace(shipped, "${indent}for: 0s");

    [Fact]
    public async Task ShippedRules_FailingControllerAndUnreachableEndpoint_FireInAlertmanagerThenResolve()
    {
        var folder = Directory.CreateTempSubdirectory("ciliumdash-alerting-").FullName;
        try
        {
            await using var dashboard = new DashboardServer();
            var faults = dashboard.Simulator.Faults;
            faults.FailingControllerNodes = new HashSet<string> { "knode1" };
            faults.EndpointUnreachableNodes = new HashSet<string> { "knode1" };

            await using var alertmanager = await StartAlertmanagerAsync(folder);
            await using var prometheus = await StartPrometheusAsync(folder, dashboard.BaseAddress, alertmanager.Port);
            try
            {
                var firing = await Eventually.Value(async () =>
                {
                    var alerts = await AlertsAsync(alertmanager);
                    return alerts.Any(a => a.Name == "CiliumControllerFailing" && a.Label("node") == "knode1")
                        && alerts.Any(a => a.Name == "CiliumEndpointUnreachable" && a.Label("node") == "knode1") ? alerts : null;
                }, "CiliumControllerFailing and CiliumEndpointUnreachable on knode1 in Alertmanager", Patience);

                var controller = firing.First(a => a.Name == "CiliumControllerFailing");
                Assert.False(string.IsNullOrEmpty(controller.Label("controller")));
                using var http = dashboard.CreateLoopbackClient();
                var node = JsonDocument.Parse(await http.GetStringAsync("/api/v1/nodes/knode1")).RootElement;
                Assert.Contains(node.GetProperty("controllers").EnumerateArray(),
                    c => c.GetProperty("name").GetString() == controller.Label("controller") && c.GetProperty("failing").GetBoolean());
                Assert.Equal("warning", controller.Label("severity"));
                Assert.Equal($"{DashboardUrl}/nodes/knode1", controller.Annotation("runbook_url"));
                Assert.Contains(controller.Label("controller"), controller.Annotation("summary"), StringComparison.Ordinal);
                var endpoint = firing.First(a => a.Name == "CiliumEndpointUnreachable");
                Assert.Equal("critical", endpoint.Label("severity"));
                Assert.Equal($"{DashboardUrl}/connectivity", endpoint.Annotation("runbook_url"));
                Assert.DoesNotContain(firing, a => a.Label("node") == "fedora");

                faults.FailingControllerNodes = new HashSet<string>();
                faults.EndpointUnreachableNodes = new HashSet<string>();
                await Eventually.True(async () => !(await AlertsAsync(alertmanager)).Any(a => a.Name is "CiliumControllerFailing" or "CiliumEndpointUnreachable"),
                    "both alerts resolved in Alertmanager", Patience);
            }
            catch (Exception ex) when (ex is TimeoutException or Xunit.Sdk.XunitException)
            {
                throw new InvalidOperationException($"{ex.Message}\n--- prometheus ---\n{Tail(prometheus.Output)}\n--- alertmanager ---\n{Tail(alertmanager.Output)}", ex);
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void TestRules_Derived_OnlyTheForClausesDiffer()
    {
        var shipped = File.ReadAllText(ShippedRules);
        var test = TestRules(shipped);

        var a = shipped.Split('\n');
        var b = test.Split('\n');
        Assert.Equal(a.Length, b.Length);
        var changed = a.Zip(b).Where(p => p.First != p.Second).ToList();
        Assert.NotEmpty(changed);
        Assert.All(changed, p =>
        {
            Assert.Matches(@"^\s+for: \d+[smh]$", p.First);
            Assert.Matches(@"^\s+for: 0s$", p.Second);
        });
    }

    public const string DashboardUrl = "https://ciliumdash.test";

    public static string ShippedRules => Path.Combine(RepoPaths.Root, "deploy", "prometheus", "ciliumdash-rules.yaml");

    private static async Task<EngineProcess> StartAlertmanagerAsync(string folder)
    {
        var dir = Directory.CreateDirectory(Path.Combine(folder, "alertmanager")).FullName;
        var config = Path.Combine(dir, "alertmanager.yml");
        await File.WriteAllTextAsync(config, """
            route:
              receiver: "null"
              group_wait: 1s
              group_interval: 1s
              repeat_interval: 1h
            receivers:
              - name: "null"
            """);
        var port = EngineProcess.FreePort();
        return await EngineProcess.StartAsync("alertmanager", ExternalTool.Alertmanager.Path, dir, port,
        [
            $"--config.file={config}", $"--storage.path={Path.Combine(dir, "data")}", $"--web.listen-address=127.0.0.1:{port}",
            // An empty cluster address turns gossip off: a single Alertmanager that opens no other port.
            "--cluster.listen-address=",
        ]);
    }

    private static async Task<EngineProcess> StartPrometheusAsync(string folder, Uri dashboard, int alertmanagerPort)
    {
        var dir = Directory.CreateDirectory(Path.Combine(folder, "prometheus")).FullName;
        var rules = Path.Combine(dir, "ciliumdash-rules.yaml");
        await File.WriteAllTextAsync(rules, TestRules(await File.ReadAllTextAsync(ShippedRules)));
        var config = Path.Combine(dir, "prometheus.yml");
        await File.WriteAllTextAsync(config, string.Create(CultureInfo.InvariantCulture, $$"""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
              external_labels:
                ciliumdash_url: {{DashboardUrl}}
            rule_files:
              - {{rules}}
            alerting:
              alertmanagers:
                - static_configs:
                    - targets: ["127.0.0.1:{{alertmanagerPort}}"]
            scrape_configs:
              - job_name: ciliumdash
                metrics_path: /metrics
                static_configs:
                  - targets: ["127.0.0.1:{{dashboard.Port}}"]
            """));
        var port = EngineProcess.FreePort();
        return await EngineProcess.StartAsync("prometheus", ExternalTool.Prometheus.Path, dir, port,
        [
            $"--config.file={config}", $"--storage.tsdb.path={Path.Combine(dir, "data")}", $"--web.listen-address=127.0.0.1:{port}",
            "--rules.alert.resend-delay=1s",
        ]);
    }

    private static async Task<IReadOnlyList<AmAlert>> AlertsAsync(EngineProcess alertmanager)
    {
        using var doc = JsonDocument.Parse(await alertmanager.Client.GetStringAsync("api/v2/alerts"));
        return doc.RootElement.EnumerateArray().Select(a => new AmAlert(
            a.GetProperty("labels").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? ""),
            a.GetProperty("annotations").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? ""))).ToList();
    }

    private static string Tail(string output) => output.Length > 4000 ? output[^4000..] : output;

    [GeneratedRegex(@"^(?<indent>[ ]+)for: \S+$", RegexOptions.Multiline)]
    private static partial Regex ForClause();

    private sealed record AmAlert(IReadOnlyDictionary<string, string> Labels, IReadOnlyDictionary<string, string> Annotations)
    {
        public string Name => Label("alertname");

        public string Label(string key) => Labels.TryGetValue(key, out var v) ? v : "";

        public string Annotation(string key) => Annotations.TryGetValue(key, out var v) ? v : "";
    }
}
