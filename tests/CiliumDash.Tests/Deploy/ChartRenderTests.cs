using System.Text.Json.Nodes;

namespace CiliumDash.Tests.Deploy;

/// <summary>helm lint, the app settings the chart renders, the Ingress sub-path and the network policies.</summary>
public sealed class ChartRenderTests
{
    // Keys the app knows today; the optional ones (PathBase, Auth, Access, ForwardedHeaders, Relay TLS) must only
    // appear when their feature is switched on, because the app rejects unknown keys at start.
    private static readonly string[] DefaultEnv =
    [
        "ASPNETCORE_URLS",
        "CiliumDash__History__Path",
        "CiliumDash__Kubernetes__AgentSelector",
        "CiliumDash__Kubernetes__Namespace",
        "CiliumDash__Relay__Address",
        "CiliumDash__Source",
    ];

    public static TheoryData<string> ValueSets => ChartValues.All;

    [Theory]
    [MemberData(nameof(ValueSets))]
    public async Task Lint_ValueSet_Passes(string values)
    {
        var args = new List<string> { "lint", RepoPaths.Chart, "--strict" };
        args.AddRange(ChartValues.Files(values).SelectMany(f => new[] { "--values", f }));
        args.AddRange(ChartValues.Sets(values).SelectMany(s => new[] { "--set", s }));

        var output = await ExternalTool.Helm.RunOkAsync(RepoPaths.Root, [.. args]);

        Assert.Contains("0 chart(s) failed", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Template_DefaultValues_SetOnlyTheKeysTheAppKnowsWithSourceKubernetes()
    {
        var chart = await RenderedChart.RenderAsync(ChartValues.Default);
        var names = chart.DashboardContainer["env"]!.AsArray().Select(e => (string)e!["name"]!).Order(StringComparer.Ordinal);

        Assert.Equal(DefaultEnv, names);
        Assert.Equal("Kubernetes", chart.Env["CiliumDash__Source"]);
        Assert.Equal("http://127.0.0.1:8080", chart.Env["ASPNETCORE_URLS"]);
        Assert.Empty(chart.OfKind("Ingress"));
        Assert.Empty(chart.OfKind("NetworkPolicy"));
        Assert.Empty(chart.OfKind("CiliumNetworkPolicy"));
    }

    [Theory]
    [InlineData(ChartValues.ReadOnly, "true")]
    [InlineData(ChartValues.Default, null)]
    public async Task Template_RbacProfile_TellsTheAppOnlyWhenReadOnly(string values, string? expected)
    {
        var chart = await RenderedChart.RenderAsync(values);

        Assert.Equal(expected, chart.Env.GetValueOrDefault("CiliumDash__Access__ReadOnlyProfile"));
    }

    [Theory]
    [InlineData("/ciliumdash", "/ciliumdash")]
    [InlineData("/tools/cilium/", "/tools/cilium")]
    [InlineData("/", null)]
    public async Task Template_IngressPath_EqualsTheAppsPathBase(string path, string? pathBase)
    {
        var chart = await RenderedChart.RenderAsync(set: ["ingress.enabled=true", $"ingress.path={path}", "auth.allowAnonymous=true"]);
        var paths = chart.Single("Ingress")["spec"]!["rules"]!.AsArray().SelectMany(r => r!["http"]!["paths"]!.AsArray()).ToList();

        Assert.Equal(pathBase, chart.Env.GetValueOrDefault("CiliumDash__PathBase"));
        var rule = Assert.Single(paths)!;
        Assert.Equal(pathBase ?? "/", (string?)rule["path"]);
        Assert.Equal("Prefix", (string?)rule["pathType"]);
        Assert.Equal($"{pathBase}/healthz", (string?)chart.DashboardContainer["livenessProbe"]!["httpGet"]!["path"]);
        Assert.Equal($"{pathBase}/readyz", (string?)chart.DashboardContainer["readinessProbe"]!["httpGet"]!["path"]);
    }

    [Fact]
    public async Task Template_AllEnabledIngress_HasHostTlsClassAndAnnotations()
    {
        var chart = await RenderedChart.RenderAsync(ChartValues.AllEnabled);
        var ingress = chart.Single("Ingress");

        Assert.Equal("nginx", (string?)ingress["spec"]!["ingressClassName"]);
        Assert.Equal("3600", (string?)ingress["metadata"]!["annotations"]!["nginx.ingress.kubernetes.io/proxy-read-timeout"]);
        var tls = Assert.Single(ingress["spec"]!["tls"]!.AsArray())!;
        Assert.Equal(("ops-example-com-tls", "ops.example.com"), ((string?)tls["secretName"], (string?)tls["hosts"]![0]));
        Assert.Equal("ops.example.com", (string?)ingress["spec"]!["rules"]![0]!["host"]);
        Assert.Equal("10.0.0.0/8", chart.Env["CiliumDash__ForwardedHeaders__KnownProxies"]);
    }

    [Fact]
    public async Task Template_NetworkPolicy_AllowsOnlyIngressControllerApiServerRelayAndDns()
    {
        var policy = (await RenderedChart.RenderAsync(ChartValues.AllEnabled)).Single("NetworkPolicy")["spec"]!;

        // The ingress controller, and Prometheus for the ServiceMonitor, on the app's port only.
        Assert.Equal(
            ["ingress-nginx/app.kubernetes.io/name=ingress-nginx 8080", "monitoring/app.kubernetes.io/name=prometheus 8080"],
            policy["ingress"]!.AsArray().Select(IngressSummary));
        Assert.Equal(
            ["192.0.2.10/32 443,6443", "k8s-app=hubble-relay 4245", "k8s-app=kube-dns 53,53"],
            policy["egress"]!.AsArray().Select(EgressSummary));
    }

    [Fact]
    public async Task Template_NetworkPolicyWithoutIngress_AllowsNoIngress()
    {
        var chart = await RenderedChart.RenderAsync(set: ["networkPolicy.enabled=true", "networkPolicy.kubernetesApi.cidrs={192.0.2.10/32}"]);
        var policy = chart.Single("NetworkPolicy")["spec"]!;

        Assert.Contains("Ingress", policy["policyTypes"]!.AsArray().Select(t => (string?)t));
        Assert.True(policy["ingress"] is null || policy["ingress"]!.AsArray().Count == 0);
    }

    [Fact]
    public async Task Template_CiliumNetworkPolicy_EgressOnlyToApiServerRelayAndDns()
    {
        var policy = (await RenderedChart.RenderAsync(ChartValues.AllEnabled)).Single("CiliumNetworkPolicy");
        var egress = policy["spec"]!["egress"]!.AsArray();

        Assert.Equal("cilium.io/v2", (string?)policy["apiVersion"]);
        Assert.Equal(3, egress.Count);
        Assert.Equal(["kube-apiserver"], egress[0]!["toEntities"]!.AsArray().Select(e => (string?)e));
        Assert.Equal("hubble-relay", (string?)egress[1]!["toEndpoints"]![0]!["matchLabels"]!["k8s-app"]);
        Assert.Equal("4245", (string?)egress[1]!["toPorts"]![0]!["ports"]![0]!["port"]);
        Assert.Equal("kube-dns", (string?)egress[2]!["toEndpoints"]![0]!["matchLabels"]!["k8s-app"]);
        var ingress = policy["spec"]!["ingress"]!.AsArray();
        Assert.Equal(
            ["ingress-nginx", "monitoring"],
            ingress.Select(i => (string?)i!["fromEndpoints"]![0]!["matchLabels"]!["io.cilium.k8s.namespace.labels.kubernetes.io/metadata.name"]));
        Assert.Equal(["ingress-nginx", "prometheus"], ingress.Select(i => (string?)i!["fromEndpoints"]![0]!["matchLabels"]!["app.kubernetes.io/name"]));
        Assert.All(ingress, i => Assert.Equal("8080", (string?)i!["toPorts"]![0]!["ports"]![0]!["port"]));
    }

    [Theory]
    [InlineData("rbac.profile=admin", "rbac.profile must be exec or readonly")]
    [InlineData("auth.mode=Basic", "auth.mode must be None, Token, OpenIdConnect or ProxyHeader")]
    [InlineData("auth.mode=Token", "auth.token.existingSecret")]
    [InlineData("auth.mode=OpenIdConnect", "auth.openIdConnect.authority")]
    [InlineData("auth.mode=ProxyHeader", "auth.proxyHeader.trustedProxies")]
    [InlineData("relay.tls.enabled=true", "relay.tls.existingSecret")]
    [InlineData("networkPolicy.enabled=true", "networkPolicy.kubernetesApi.cidrs")]
    [InlineData("ingress.enabled=true,ingress.path=ciliumdash,auth.allowAnonymous=true", "ingress.path must start with '/'")]
    [InlineData("metrics.scrapeToken.existingSecret=s,metrics.scrapeToken.create=true", "metrics.scrapeToken: set either .existingSecret")]
    [InlineData("metrics.serviceMonitor.enabled=true", "metrics.serviceMonitor.enabled with auth.mode=None")]
    [InlineData("metrics.serviceMonitor.enabled=true,auth.mode=Token,auth.token.existingSecret=t", "needs metrics.scrapeToken.existingSecret")]
    public async Task Template_IncompleteValues_FailsNamingTheValue(string set, string message)
    {
        var run = await ExternalTool.Helm.RunAsync(RepoPaths.Root, RenderedChart.TemplateArgs(null, [set]));

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains(message, run.StandardError, StringComparison.Ordinal);
    }

    private static string IngressSummary(JsonNode? rule)
    {
        var from = Assert.Single(rule!["from"]!.AsArray())!;
        var ns = (string?)from["namespaceSelector"]!["matchLabels"]!["kubernetes.io/metadata.name"];
        var pods = string.Join(',', from["podSelector"]!["matchLabels"]!.AsObject().Select(l => $"{l.Key}={l.Value}"));
        return $"{ns}/{pods} {string.Join(',', rule["ports"]!.AsArray().Select(p => (string?)p!["port"]))}";
    }

    private static string EgressSummary(JsonNode? rule)
    {
        var to = rule!["to"]![0]!;
        var target = to["ipBlock"]?["cidr"] is { } cidr
            ? (string)cidr!
            : string.Join(',', to["podSelector"]!["matchLabels"]!.AsObject().Select(l => $"{l.Key}={l.Value}"));
        return $"{target} {string.Join(',', rule["ports"]!.AsArray().Select(p => (string?)p!["port"]))}";
    }
}
