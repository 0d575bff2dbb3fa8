using System.Text.Json.Nodes;
using CiliumDash.Tests.Metrics;

namespace CiliumDash.Tests.Deploy;

/// <summary>The chart's PrometheusRule is the shipped rule file (off by default), with the dashboard URL filled in when given.</summary>
public sealed class ChartAlertRulesTests
{
    private static string ChartCopy => Path.Combine(RepoPaths.Chart, "files", "ciliumdash-rules.yaml");

    [Fact]
    public void ChartFiles_RulesCopy_IdenticalToTheShippedFile() =>
        Assert.Equal(File.ReadAllText(AlertingEndToEndTests.ShippedRules), File.ReadAllText(ChartCopy));

    [Fact]
    public async Task Template_DefaultValues_NoPrometheusRule()
    {
        var chart = await RenderedChart.RenderAsync(ChartValues.Default);

        Assert.Empty(chart.OfKind("PrometheusRule"));
    }

    [Fact]
    public async Task Template_PrometheusRuleWithDashboardUrl_TheShippedGroupsWithTheUrlInTheRunbooks()
    {
        var chart = await RenderedChart.RenderAsync(ChartValues.AllEnabled);
        var rule = chart.Single("PrometheusRule");

        Assert.Equal("monitoring.coreos.com/v1", (string?)rule["apiVersion"]);
        Assert.Equal("kube-prometheus-stack", (string?)rule["metadata"]!["labels"]!["release"]);
        var shipped = YamlDocuments.Parse(File.ReadAllText(AlertingEndToEndTests.ShippedRules)
            .Replace("{{ $externalLabels.ciliumdash_url }}", "https://ciliumdash.example.org", StringComparison.Ordinal)).Single();
        Assert.True(JsonNode.DeepEquals(shipped["groups"], rule["spec"]!["groups"]), "the PrometheusRule's groups differ from deploy/prometheus/ciliumdash-rules.yaml");
    }

    [Fact]
    public async Task Template_PrometheusRuleWithoutDashboardUrl_RunbooksUseTheExternalLabel()
    {
        var chart = await RenderedChart.RenderAsync(set: ["metrics.prometheusRule.enabled=true"]);

        var runbooks = chart.Single("PrometheusRule")["spec"]!["groups"]!.AsArray()
            .SelectMany(g => g!["rules"]!.AsArray()).Select(r => (string?)r!["annotations"]!["runbook_url"]).ToList();
        Assert.Equal(12, runbooks.Count);
        Assert.All(runbooks, u => Assert.StartsWith("{{ $externalLabels.ciliumdash_url }}/", u, StringComparison.Ordinal));
    }
}
