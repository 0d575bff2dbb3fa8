using CiliumDash.Tests.Deploy;

namespace CiliumDash.Tests.Metrics;

/// <summary>The shipped rule file: valid for promtool, every alert the product promises, each with its annotations.</summary>
public sealed class AlertRulesTests
{
    /// <summary>Agent not ready, controller failing and flapping, endpoint unreachable, node unreachable, map pressure and forecast, drop spike, lost events, relay down, history, the dashboard itself.</summary>
    private static readonly string[] Promised =
    [
        "CiliumAgentNotReady", "CiliumControllerFailing", "CiliumControllerFlapping", "CiliumEndpointUnreachable", "CiliumNodeUnreachable",
        "CiliumBpfMapPressure", "CiliumBpfMapForecastFull", "CiliumDropSpike", "HubbleLostEvents", "HubbleRelayDown",
        "CiliumDashHistoryNotRecording", "CiliumDashNotPolling",
    ];

    private static readonly string[] Severities = ["critical", "warning"];

    [Fact]
    public async Task Promtool_ShippedRules_CheckPasses()
    {
        var run = await ExternalTool.Promtool.RunAsync(RepoPaths.Root, "check", "rules", AlertingEndToEndTests.ShippedRules);

        Assert.True(run.ExitCode == 0, run.Describe("promtool check rules"));
        Assert.Contains($"SUCCESS: {Promised.Length} rules found", run.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Promtool_TestCopyOfTheRules_CheckPasses()
    {
        var folder = Directory.CreateTempSubdirectory("ciliumdash-rules-").FullName;
        try
        {
            var copy = Path.Combine(folder, "rules.yaml");
            await File.WriteAllTextAsync(copy, AlertingEndToEndTests.TestRules(await File.ReadAllTextAsync(AlertingEndToEndTests.ShippedRules)));

            var run = await ExternalTool.Promtool.RunAsync(folder, "check", "rules", copy);

            Assert.True(run.ExitCode == 0, run.Describe("promtool check rules"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Rules_EveryPromisedAlert_HasSummaryDescriptionAndRunbookOnTheDashboard()
    {
        var rules = YamlDocuments.Parse(File.ReadAllText(AlertingEndToEndTests.ShippedRules)).Single();
        var alerts = rules["groups"]!.AsArray().SelectMany(g => g!["rules"]!.AsArray()).ToDictionary(r => (string)r!["alert"]!);

        Assert.Equal(Promised.Order(), alerts.Keys.Order());
        Assert.All(alerts.Values, rule =>
        {
            var annotations = rule!["annotations"]!;
            Assert.False(string.IsNullOrWhiteSpace((string?)annotations["summary"]));
            Assert.False(string.IsNullOrWhiteSpace((string?)annotations["description"]));
            Assert.StartsWith("{{ $externalLabels.ciliumdash_url }}/", (string?)annotations["runbook_url"], StringComparison.Ordinal);
            Assert.Contains((string?)rule["labels"]!["severity"], Severities);
        });
    }
}
