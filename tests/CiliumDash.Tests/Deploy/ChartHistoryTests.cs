using System.Text.Json.Nodes;

namespace CiliumDash.Tests.Deploy;

/// <summary>The chart's history storage: a volume for the SQLite file, or an external PostgreSQL from a Secret.</summary>
public sealed class ChartHistoryTests
{
    [Fact]
    public async Task Template_Default_SqliteOnAnEmptyDirMountedWhereThePathPoints()
    {
        var chart = await RenderedChart.RenderAsync();

        Assert.Equal("/var/lib/ciliumdash/history", chart.Env["CiliumDash__History__Path"]);
        Assert.Equal("/var/lib/ciliumdash/history", (string?)Mount(chart)["mountPath"]);
        Assert.Equal("5Gi", (string?)Volume(chart)["emptyDir"]!["sizeLimit"]);
        Assert.Empty(chart.OfKind("PersistentVolumeClaim"));
    }

    [Fact]
    public async Task Template_Persistence_ClaimKeptOnUninstallAndMounted()
    {
        var chart = await RenderedChart.RenderAsync(set: ["history.persistence.enabled=true", "history.persistence.size=20Gi"]);

        var claim = chart.Single("PersistentVolumeClaim");
        Assert.Equal($"{RenderedChart.Release}-ciliumdash-history", (string?)claim["metadata"]!["name"]);
        Assert.Equal("keep", (string?)claim["metadata"]!["annotations"]!["helm.sh/resource-policy"]);
        Assert.Equal("20Gi", (string?)claim["spec"]!["resources"]!["requests"]!["storage"]);
        Assert.Equal((string?)claim["metadata"]!["name"], (string?)Volume(chart)["persistentVolumeClaim"]!["claimName"]);
    }

    [Fact]
    public async Task Template_PostgreSql_ConnectionStringFromTheSecretAndNoVolume()
    {
        var chart = await RenderedChart.RenderAsync(set: ["history.provider=PostgreSQL", "history.postgresql.existingSecret=ciliumdash-pg"]);

        Assert.Equal("PostgreSQL", chart.Env["CiliumDash__History__Provider"]);
        Assert.False(chart.Env.ContainsKey("CiliumDash__History__Path"));
        var connection = chart.DashboardContainer["env"]!.AsArray().Single(e => (string?)e!["name"] == "CiliumDash__History__ConnectionString")!;
        Assert.Equal(("ciliumdash-pg", "connectionString"), ((string?)connection["valueFrom"]!["secretKeyRef"]!["name"], (string?)connection["valueFrom"]!["secretKeyRef"]!["key"]));
        Assert.Null(chart.Deployment["spec"]!["template"]!["spec"]!["volumes"]);
    }

    [Theory]
    [InlineData("history.provider=PostgreSQL", "history.provider=PostgreSQL needs history.postgresql.existingSecret")]
    [InlineData("history.provider=MySQL", "history.provider must be Sqlite or PostgreSQL")]
    public async Task Template_BadHistoryValues_FailsNamingTheValue(string set, string message)
    {
        var run = await ExternalTool.Helm.RunAsync(RepoPaths.Root, RenderedChart.TemplateArgs(null, [set]));

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains(message, run.StandardError, StringComparison.Ordinal);
    }

    private static JsonNode Mount(RenderedChart chart) =>
        chart.DashboardContainer["volumeMounts"]!.AsArray().Single(m => (string?)m!["name"] == "history")!;

    private static JsonNode Volume(RenderedChart chart) =>
        chart.Deployment["spec"]!["template"]!["spec"]!["volumes"]!.AsArray().Single(v => (string?)v!["name"] == "history")!;
}
