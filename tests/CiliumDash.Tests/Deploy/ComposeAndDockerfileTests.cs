using System.Text.Json.Nodes;

namespace CiliumDash.Tests.Deploy;

/// <summary>
/// docker-compose.yml as Docker Compose reads it (no engine needed for <c>config</c>), and the Dockerfile's entry
/// settings against the chart's (DockerfileBuildStageTests replays its build stage).
/// </summary>
public sealed class ComposeAndDockerfileTests
{
    [Fact]
    public async Task Compose_Config_IsValidWithTheDashboardReadingTheSimulator()
    {
        var services = await ComposeFile.ServicesAsync();

        Assert.Equal(["dashboard", "postgres", "simulator"], services.Select(s => s.Key).Order(StringComparer.Ordinal));
        var dashboard = services["dashboard"]!;
        var simulator = services["simulator"]!;
        var env = dashboard["environment"]!.AsObject().ToDictionary(p => p.Key, p => (string?)p.Value, StringComparer.Ordinal);
        var command = simulator["command"]!.AsArray().Select(a => (string?)a).ToList();
        Assert.Equal("Kubernetes", env["CiliumDash__Source"]);
        Assert.Equal("http://simulator:4245", env["CiliumDash__Relay__Address"]);
        Assert.Equal("http://simulator:6443", command[command.IndexOf("--kubeconfig-server") + 1]);
        Assert.Equal(env["CiliumDash__Kubernetes__Kubeconfig"], command[command.IndexOf("--write-kubeconfig") + 1]);
        Assert.Equal(("simulator", "dashboard"), ((string?)simulator["build"]!["target"], (string?)dashboard["build"]!["target"]));
        Assert.All([dashboard, simulator], s => Assert.Equal("true", (string?)s["read_only"]));
        Assert.Equal("service_healthy", (string?)dashboard["depends_on"]!["simulator"]!["condition"]);
        // The history in the compose network's PostgreSQL, which nothing outside reaches.
        Assert.Equal("PostgreSQL", env["CiliumDash__History__Provider"]);
        Assert.StartsWith("Host=postgres;Port=5432;Database=ciliumdash;", env["CiliumDash__History__ConnectionString"], StringComparison.Ordinal);
        Assert.Equal("service_healthy", (string?)dashboard["depends_on"]!["postgres"]!["condition"]);
        Assert.Null(services["postgres"]!["ports"]);
    }

    [Fact]
    public async Task Dockerfile_DashboardStage_MatchesTheChartsEntrySettings()
    {
        var stages = await DockerfileText.StagesAsync();
        // The image listens on the pod network as the chart does with a sign-in mode (with auth.mode None and no
        // auth.allowAnonymous the chart overrides it with the pod's loopback: ChartExposureTests).
        var chart = await RenderedChart.RenderAsync(set: ["auth.mode=Token", "auth.token.existingSecret=t"]);

        // The last stage is what `docker build .` produces: the dashboard.
        var (name, lines) = stages[^1];
        Assert.Equal("dashboard", name);
        Assert.Contains(lines, l => l.StartsWith("FROM mcr.microsoft.com/dotnet/aspnet:10.0 ", StringComparison.Ordinal));
        Assert.Contains($"ENV ASPNETCORE_URLS={chart.Env["ASPNETCORE_URLS"]}", string.Join(' ', lines), StringComparison.Ordinal);
        Assert.Contains("USER $APP_UID", lines);
        Assert.Contains($"EXPOSE {chart.DashboardContainer["ports"]![0]!["containerPort"]}", lines);
        Assert.Contains("ENTRYPOINT [\"dotnet\", \"CiliumDash.dll\"]", lines);
        Assert.Equal("1654", (string?)chart.Deployment["spec"]!["template"]!["spec"]!["securityContext"]!["runAsUser"]);
        Assert.Contains("USER $APP_UID", stages.Single(s => s.Name == "simulator").Lines);
    }

    [Fact]
    public async Task Dockerfile_BuildStage_CopiesWwwrootWhereTheCsprojLinksIt()
    {
        var build = (await DockerfileText.StagesAsync()).Single(s => s.Name == "build").Lines;

        Assert.Contains("WORKDIR /src", build);
        Assert.Contains("COPY wwwroot/ wwwroot/", build);
        Assert.Contains("COPY src/ src/", build);
        // ../../wwwroot from src/CiliumDash is /src/wwwroot: the csproj's guard target finds it.
        var csproj = await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "src", "CiliumDash", "CiliumDash.csproj"));
        Assert.Contains("'$(MSBuildProjectDirectory)', '..', '..', 'wwwroot'", csproj, StringComparison.Ordinal);
    }
}
