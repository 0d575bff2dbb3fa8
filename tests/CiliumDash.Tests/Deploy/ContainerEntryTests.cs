using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CiliumDash.Simulator.Cluster;
using CiliumDash.Simulator.Hosting;
using CiliumDash.Simulator.Kubernetes;
using CiliumDash.Testing;

namespace CiliumDash.Tests.Deploy;

/// <summary>
/// The dashboard started with exactly the environment the chart's Deployment renders (default values), or the one
/// docker-compose.yml gives the image, against the simulator's Kubernetes and relay stand-ins. Only what must differ off-cluster is overridden: the kubeconfig
/// (in a pod the service account is used), the relay address (the local stand-in) and the listen address (loopback).
/// </summary>
public sealed class ContainerEntryTests : IAsyncLifetime
{
    private readonly string _kubeconfig = Path.Combine(Path.GetTempPath(), $"ciliumdash-entry-{Guid.NewGuid():N}.yaml");
    private SimulatorHost? _simulator;

    public async Task InitializeAsync()
    {
        var cluster = new SimulatedCluster(new SimulatorOptions { Nodes = 3, FlowsPerSecond = 50, Seed = 7 });
        _simulator = await SimulatorHost.StartAsync(cluster, new IPEndPoint(IPAddress.Loopback, 0), new IPEndPoint(IPAddress.Loopback, 0));
        KubeconfigWriter.Write(_kubeconfig, _simulator.KubeUrl);
    }

    public async Task DisposeAsync()
    {
        if (_simulator is not null)
        {
            await _simulator.DisposeAsync();
        }

        File.Delete(_kubeconfig);
    }

    [Fact]
    public async Task ChartEnvironment_AgainstSimulatorStandIns_BecomesReadyAndListsTheNodes()
    {
        var chart = await RenderedChart.RenderAsync(ChartValues.Default);

        await AssertReadyAgainstStandInsAsync(chart.Env);
    }

    /// <summary>
    /// docker-compose.yml's dashboard: its environment on top of the image's (the Dockerfile's ENV lines), so that
    /// `docker compose up` starts, as it did not before (no auth choice for a listener on every interface).
    /// </summary>
    [Fact]
    public async Task ComposeEnvironment_OnTheImagesEnvironment_BecomesReadyAndListsTheNodes()
    {
        var compose = (await ComposeFile.ServicesAsync())["dashboard"]!["environment"]!.AsObject();
        var env = (await DockerfileText.StagesAsync()).Single(s => s.Name == "dashboard").Lines
            .Where(l => l.StartsWith("ENV ", StringComparison.Ordinal))
            .SelectMany(l => l[4..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(kv => kv[0], kv => kv[1], StringComparer.Ordinal);
        foreach (var (name, value) in compose)
        {
            env[name] = (string)value!;
        }

        await AssertReadyAgainstStandInsAsync(env);
    }

    private async Task AssertReadyAgainstStandInsAsync(IReadOnlyDictionary<string, string> env)
    {
        var settings = AppSettings(env);
        Assert.Equal("Kubernetes", settings["CiliumDash:Source"]);
        settings["CiliumDash:Kubernetes:Kubeconfig"] = _kubeconfig;
        settings["CiliumDash:Relay:Address"] = _simulator!.RelayUrl.ToString();

        using var dashboard = new DashboardServer(settings);
        using var client = dashboard.CreateLoopbackClient();

        await Eventually.True(async () => (await client.GetAsync("/readyz")).StatusCode == HttpStatusCode.OK, "/readyz to answer 200", TimeSpan.FromSeconds(30));
        var expected = _simulator.Cluster.Nodes.Select(n => n.Name).Order(StringComparer.Ordinal).ToList();
        // Ready means the sources are connected; the first poll of every agent fills the node list just after.
        await Eventually.True(async () => NodeNames(await client.GetFromJsonAsync<JsonElement>("/api/v1/nodes")).SequenceEqual(expected), $"/api/v1/nodes to list {string.Join(", ", expected)}");
        var cluster = await client.GetFromJsonAsync<JsonElement>("/api/v1/cluster");
        Assert.False(cluster.GetProperty("simulated").GetBoolean());
    }

    /// <summary>
    /// The default install listens on the pod's loopback, where the kubelet's HTTP probes cannot connect: its probes
    /// run bash's /dev/tcp inside the container. Run here, against the dashboard started with the chart's environment
    /// (its port in place of the container's 8080), they pass; against a closed port they fail.
    /// </summary>
    [Fact]
    public async Task ChartLoopbackProbes_AgainstTheRunningDashboard_PassWhenReadyAndFailOnAClosedPort()
    {
        var chart = await RenderedChart.RenderAsync(ChartValues.Default);
        var settings = AppSettings(chart.Env);
        settings["CiliumDash:Kubernetes:Kubeconfig"] = _kubeconfig;
        settings["CiliumDash:Relay:Address"] = _simulator!.RelayUrl.ToString();
        using var dashboard = new DashboardServer(settings);
        using var client = dashboard.CreateLoopbackClient();
        await Eventually.True(async () => (await client.GetAsync("/readyz")).StatusCode == HttpStatusCode.OK, "/readyz to answer 200", TimeSpan.FromSeconds(30));
        int closedPort;
        using (var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            closedPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        foreach (var name in new[] { "livenessProbe", "readinessProbe" })
        {
            var command = chart.DashboardContainer[name]!["exec"]!["command"]!.AsArray().Select(c => (string)c!).ToList();
            Assert.Equal(["bash", "-c"], command[..2]);
            Assert.Contains("/dev/tcp/127.0.0.1/8080", command[2], StringComparison.Ordinal);

            var healthy = await ExternalTool.Bash.RunAsync(RepoPaths.Root, "-c", command[2].Replace("/8080", $"/{dashboard.BaseAddress.Port}", StringComparison.Ordinal));
            var closed = await ExternalTool.Bash.RunAsync(RepoPaths.Root, "-c", command[2].Replace("/8080", $"/{closedPort}", StringComparison.Ordinal));

            Assert.True(healthy.ExitCode == 0, healthy.Describe($"{name} against the dashboard"));
            Assert.True(closed.ExitCode != 0, closed.Describe($"{name} against a closed port"));
        }
    }

    [Fact]
    public void AppSettings_ChartEnvironment_BecomesConfigurationKeys()
    {
        var settings = AppSettings(new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = "http://+:8080",
            ["CiliumDash__Kubernetes__Namespace"] = "cilium",
        });

        Assert.Equal(new Dictionary<string, string?> { ["urls"] = "http://+:8080", ["CiliumDash:Kubernetes:Namespace"] = "cilium" }, settings);
    }

    /// <summary>
    /// CiliumDash__A__B becomes CiliumDash:A:B, as the environment configuration provider reads it. ASPNETCORE_URLS
    /// becomes the app's configured urls, so its start-up checks (anonymous access beyond loopback) see the container's
    /// http://+:8080, while DashboardServer's Kestrel still binds only a free loopback port.
    /// </summary>
    private static Dictionary<string, string?> AppSettings(IReadOnlyDictionary<string, string> env) =>
        env.Where(e => e.Key.StartsWith("CiliumDash__", StringComparison.Ordinal) || e.Key == "ASPNETCORE_URLS")
            .ToDictionary(e => e.Key == "ASPNETCORE_URLS" ? "urls" : e.Key.Replace("__", ":", StringComparison.Ordinal), e => (string?)e.Value, StringComparer.OrdinalIgnoreCase);

    private static IEnumerable<string> NodeNames(JsonElement nodes) =>
        nodes.EnumerateArray().Select(n => n.GetProperty("name").GetString()!).Order(StringComparer.Ordinal);
}
