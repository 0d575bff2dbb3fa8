using System.Text;
using System.Text.Json.Nodes;

namespace CiliumDash.Tests.Deploy;

/// <summary>
/// /metrics needs sign-in in Token, OpenIdConnect and ProxyHeader modes; Prometheus sends a separate scrape token
/// (CiliumDash:Metrics:ScrapeToken) from a Secret, through the chart's ServiceMonitor or a scrape_config.
/// </summary>
public sealed class ChartMetricsTests
{
    private const string ScrapeTokenVar = "CiliumDash__Metrics__ScrapeToken";

    [Fact]
    public async Task Template_DefaultValues_NoScrapeTokenNoServiceMonitorNoSecret()
    {
        var chart = await RenderedChart.RenderAsync(ChartValues.Default);

        Assert.DoesNotContain(chart.DashboardContainer["env"]!.AsArray(), e => (string?)e!["name"] == ScrapeTokenVar);
        Assert.Empty(chart.OfKind("ServiceMonitor"));
        Assert.Empty(chart.OfKind("Secret"));
    }

    [Fact]
    public async Task Template_ExistingScrapeTokenSecret_IsInjectedByReferenceOnly()
    {
        var chart = await RenderedChart.RenderAsync(set: ["auth.mode=Token", "auth.token.existingSecret=t", "metrics.scrapeToken.existingSecret=prom-token", "metrics.scrapeToken.key=bearer"]);

        Assert.Equal(("prom-token", "bearer"), ScrapeTokenRef(chart));
        Assert.Empty(chart.OfKind("Secret"));
    }

    [Fact]
    public async Task Template_CreatedScrapeToken_ARandomSecretThatTheAppAndTheServiceMonitorBothUse()
    {
        string[] set = ["auth.mode=Token", "auth.token.existingSecret=t", "metrics.scrapeToken.create=true", "metrics.serviceMonitor.enabled=true"];
        var first = await RenderedChart.RenderAsync(set: set);
        var second = await RenderedChart.RenderAsync(set: set);

        var secret = first.Single("Secret");
        Assert.Equal(("dash-ciliumdash-metrics-token", RenderedChart.ReleaseNamespace), ((string?)secret["metadata"]!["name"], (string?)secret["metadata"]!["namespace"]));
        var token = Encoding.UTF8.GetString(Convert.FromBase64String((string)secret["data"]!["token"]!));
        Assert.Matches("^[A-Za-z0-9]{48}$", token);
        Assert.NotEqual((string?)secret["data"]!["token"], (string?)second.Single("Secret")["data"]!["token"]);
        Assert.Equal(("dash-ciliumdash-metrics-token", "token"), ScrapeTokenRef(first));
        Assert.Equal(("Bearer", "dash-ciliumdash-metrics-token", "token"), Authorization(first.Single("ServiceMonitor")));
    }

    [Fact]
    public async Task Template_ServiceMonitor_ScrapesTheServicesHttpPortUnderThePathBaseWithTheToken()
    {
        var chart = await RenderedChart.RenderAsync(ChartValues.AllEnabled);
        var monitor = chart.Single("ServiceMonitor");
        var service = chart.Single("Service");
        var endpoint = Assert.Single(monitor["spec"]!["endpoints"]!.AsArray())!;

        Assert.Equal("monitoring.coreos.com/v1", (string?)monitor["apiVersion"]);
        Assert.Equal("kube-prometheus-stack", (string?)monitor["metadata"]!["labels"]!["release"]);
        Assert.All(monitor["spec"]!["selector"]!["matchLabels"]!.AsObject(), l => Assert.Equal((string?)l.Value, (string?)service["metadata"]!["labels"]![l.Key]));
        Assert.Equal([RenderedChart.ReleaseNamespace], monitor["spec"]!["namespaceSelector"]!["matchNames"]!.AsArray().Select(n => (string?)n));
        Assert.Contains(service["spec"]!["ports"]!.AsArray(), p => (string?)p!["name"] == (string?)endpoint["port"]);
        Assert.Equal("/ciliumdash/metrics", (string?)endpoint["path"]);
        Assert.Equal(("Bearer", "ciliumdash-metrics", "scrape-token"), Authorization(monitor));
        Assert.Equal(("ciliumdash-metrics", "scrape-token"), ScrapeTokenRef(chart));
        Assert.Null(endpoint["bearerTokenSecret"]);
    }

    [Fact]
    public async Task Template_ServiceMonitorWithAnonymousAccess_SendsNoToken()
    {
        var chart = await RenderedChart.RenderAsync(set: ["auth.allowAnonymous=true", "metrics.serviceMonitor.enabled=true"]);

        var endpoint = Assert.Single(chart.Single("ServiceMonitor")["spec"]!["endpoints"]!.AsArray())!;
        Assert.Null(endpoint["authorization"]);
        Assert.Equal("/metrics", (string?)endpoint["path"]);
    }

    private static (string?, string?) ScrapeTokenRef(RenderedChart chart)
    {
        var variable = Assert.Single(chart.DashboardContainer["env"]!.AsArray(), e => (string?)e!["name"] == ScrapeTokenVar)!;
        Assert.Null(variable["value"]);
        var reference = variable["valueFrom"]!["secretKeyRef"]!;
        return ((string?)reference["name"], (string?)reference["key"]);
    }

    private static (string?, string?, string?) Authorization(JsonObject monitor)
    {
        var authorization = monitor["spec"]!["endpoints"]![0]!["authorization"]!;
        return ((string?)authorization["type"], (string?)authorization["credentials"]!["name"], (string?)authorization["credentials"]!["key"]);
    }
}
