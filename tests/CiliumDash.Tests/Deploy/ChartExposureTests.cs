using System.Text.Json.Nodes;

namespace CiliumDash.Tests.Deploy;

/// <summary>
/// No anonymous dashboard by default: with auth.mode None the chart renders no AllowAnonymous, the app listens on its
/// pod's loopback only (kubectl port-forward reaches it, the pod network does not), and an Ingress or a NodePort /
/// LoadBalancer Service fails the render unless a sign-in mode is chosen or auth.allowAnonymous=true says so.
/// </summary>
public sealed class ChartExposureTests
{
    [Fact]
    public async Task Template_DefaultValues_LoopbackOnlyNoAnonymousConsentClusterIpOnly()
    {
        var chart = await RenderedChart.RenderAsync(ChartValues.Default);

        Assert.Equal("http://127.0.0.1:8080", chart.Env["ASPNETCORE_URLS"]);
        Assert.False(chart.Env.ContainsKey("CiliumDash__Auth__AllowAnonymous"));
        Assert.False(chart.Env.ContainsKey("CiliumDash__Auth__Mode"));
        Assert.Equal("ClusterIP", (string?)chart.Single("Service")["spec"]!["type"]);
        Assert.Empty(chart.OfKind("Ingress"));
        // The kubelet cannot reach a loopback listener: both probes run inside the container.
        foreach (var probe in new[] { "livenessProbe", "readinessProbe" })
        {
            Assert.Null(chart.DashboardContainer[probe]!["httpGet"]);
            Assert.Equal("bash", (string?)chart.DashboardContainer[probe]!["exec"]!["command"]![0]);
        }
    }

    [Theory]
    [InlineData("ingress.enabled=true", "ingress.enabled=true with auth.mode=None")]
    [InlineData("service.type=NodePort", "service.type=NodePort with auth.mode=None")]
    [InlineData("service.type=LoadBalancer", "service.type=LoadBalancer with auth.mode=None")]
    [InlineData("ingress.enabled=true,auth.allowAnonymous=false", "ingress.enabled=true with auth.mode=None")]
    public async Task Template_ExposedWithoutSignIn_FailsNamingTheValuesToSet(string set, string message)
    {
        var run = await ExternalTool.Helm.RunAsync(RepoPaths.Root, RenderedChart.TemplateArgs(null, [set]));

        Assert.True(run.ExitCode != 0, run.Describe($"helm template --set {set}"));
        Assert.Contains(message, run.StandardError, StringComparison.Ordinal);
        Assert.Contains("set auth.mode to Token, OpenIdConnect or ProxyHeader", run.StandardError, StringComparison.Ordinal);
        Assert.Contains("auth.allowAnonymous=true", run.StandardError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ingress.enabled=true,auth.allowAnonymous=true", "true")]
    [InlineData("service.type=LoadBalancer,auth.allowAnonymous=true", "true")]
    [InlineData("auth.allowAnonymous=true", "true")]
    [InlineData("ingress.enabled=true,service.type=NodePort,auth.mode=Token,auth.token.existingSecret=dash-token", null)]
    public async Task Template_SignInOrExplicitConsent_ListensOnThePodNetwork(string set, string? allowAnonymous)
    {
        var chart = await RenderedChart.RenderAsync(set: [set]);

        Assert.Equal("http://+:8080", chart.Env["ASPNETCORE_URLS"]);
        Assert.Equal(allowAnonymous, chart.Env.GetValueOrDefault("CiliumDash__Auth__AllowAnonymous"));
        Assert.Equal("http", (string?)chart.DashboardContainer["readinessProbe"]!["httpGet"]!["port"]);
    }

    [Fact]
    public async Task Notes_DefaultInstall_SayItIsLoopbackOnlyAndHowToPortForward()
    {
        var notes = await NotesAsync();

        Assert.Contains("listens on its pod's loopback only", notes, StringComparison.Ordinal);
        Assert.Contains($"kubectl -n {RenderedChart.ReleaseNamespace} port-forward svc/{RenderedChart.Release}-ciliumdash 8080:80", notes, StringComparison.Ordinal);
        Assert.DoesNotContain("WARNING", notes, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Notes_AnonymousIngress_WarnsThatAnyoneSeesTheCluster()
    {
        var notes = await NotesAsync("ingress.enabled=true", "auth.allowAnonymous=true");

        Assert.Contains("WARNING: auth.allowAnonymous=true: anyone who reaches the dashboard (through the Ingress ciliumdash.example.com) sees the cluster with no sign-in.", notes, StringComparison.Ordinal);
    }

    /// <summary>NOTES.txt as `helm install` prints it (a client-side dry run needs no cluster).</summary>
    private static async Task<string> NotesAsync(params string[] set)
    {
        var args = new List<string> { "install", RenderedChart.Release, RepoPaths.Chart, "--namespace", RenderedChart.ReleaseNamespace, "--dry-run=client" };
        args.AddRange(set.SelectMany(s => new[] { "--set", s }));
        var output = await ExternalTool.Helm.RunOkAsync(RepoPaths.Root, [.. args]);
        var start = output.IndexOf("NOTES:", StringComparison.Ordinal);
        Assert.True(start >= 0, output);
        return output[start..];
    }
}
