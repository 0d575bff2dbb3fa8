using System.Text.Json.Nodes;

namespace CiliumDash.Tests.Deploy;

/// <summary>Pod Security "restricted" and least-privilege RBAC, asserted on what <c>helm template</c> renders.</summary>
public sealed class ChartSecurityTests
{
    private static readonly string[] NamespacedReads =
    [
        "Role kube-system apps/daemonsets: get,list,watch",
        "Role kube-system apps/deployments: get,list,watch",
        "Role kube-system core/pods: get,list,watch",
        "Role kube-system discovery.k8s.io/endpointslices: get,list,watch",
    ];

    // Policies and nodes: the cluster events watch (timeline, history) lists and watches them, cluster-wide.
    private static readonly string[] ClusterReads =
    [
        "ClusterRole cilium.io/ciliumendpoints: get,list,watch",
        "ClusterRole cilium.io/ciliumnodes: get,list,watch",
        "ClusterRole cilium.io/ciliumnetworkpolicies: get,list,watch",
        "ClusterRole cilium.io/ciliumclusterwidenetworkpolicies: get,list,watch",
        "ClusterRole networking.k8s.io/networkpolicies: get,list,watch",
        "ClusterRole core/nodes: get,list,watch",
    ];

    // WebSocket exec is an HTTP GET ("get"); Kubernetes 1.35+ also checks "create". See templates/_helpers.tpl.
    private const string ExecRule = "Role kube-system core/pods/exec: create,get";

    public static TheoryData<string> ValueSets => ChartValues.All;

    [Theory]
    [MemberData(nameof(ValueSets))]
    public async Task Template_EveryContainer_HasRestrictedSecurityContext(string values)
    {
        var chart = await RenderedChart.RenderAsync(values);
        var pods = chart.Manifests.Where(m => m["spec"]?["template"]?["spec"] is not null).Select(m => m["spec"]!["template"]!["spec"]!).ToList();
        Assert.NotEmpty(pods);
        foreach (var pod in pods)
        {
            var podContext = pod["securityContext"];
            var containers = (pod["containers"]?.AsArray() ?? []).Concat(pod["initContainers"]?.AsArray() ?? []).ToList();
            Assert.NotEmpty(containers);
            foreach (var container in containers)
            {
                var name = (string?)container!["name"];
                var context = container["securityContext"];
                Assert.True(context is not null, $"{name}: no securityContext");
                Assert.True(Effective(context, podContext, "runAsNonRoot") == "true", $"{name}: runAsNonRoot is not true");
                Assert.True((string?)context!["allowPrivilegeEscalation"] == "false", $"{name}: allowPrivilegeEscalation is not false");
                Assert.True((string?)context["readOnlyRootFilesystem"] == "true", $"{name}: readOnlyRootFilesystem is not true");
                Assert.Equal(["ALL"], Strings(context["capabilities"]?["drop"]));
                Assert.Empty(Strings(context["capabilities"]?["add"]));
                Assert.True((string?)context["privileged"] is null or "false", $"{name}: privileged");
                var seccomp = context["seccompProfile"]?["type"] ?? podContext?["seccompProfile"]?["type"];
                Assert.True((string?)seccomp == "RuntimeDefault", $"{name}: seccomp profile is {seccomp}, not RuntimeDefault");
            }
        }
    }

    [Theory]
    [InlineData(ChartValues.Default, true)]
    [InlineData(ChartValues.ReadOnly, false)]
    [InlineData(ChartValues.AllEnabled, false)]
    [InlineData(ChartValues.AllEnabledExec, true)]
    public async Task Template_RbacRules_EqualTheProfilesGoldenList(string values, bool execProfile)
    {
        var chart = await RenderedChart.RenderAsync(values);
        string[] expected = [.. ClusterReads, .. NamespacedReads, .. execProfile ? [ExecRule] : Array.Empty<string>()];

        Assert.Equal(expected.Order(StringComparer.Ordinal), Rules(chart).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(ValueSets))]
    public async Task Template_Rbac_GrantsNoSecretsNoWildcardsAndNoWrites(string values)
    {
        var chart = await RenderedChart.RenderAsync(values);
        var roles = chart.OfKind("Role").Concat(chart.OfKind("ClusterRole")).ToList();
        Assert.NotEmpty(roles);
        foreach (var role in roles)
        {
            foreach (var rule in role["rules"]!.AsArray())
            {
                var groups = Strings(rule!["apiGroups"]);
                var resources = Strings(rule["resources"]);
                var verbs = Strings(rule["verbs"]);
                Assert.DoesNotContain("*", groups.Concat(resources).Concat(verbs));
                Assert.Null(rule["nonResourceURLs"]);
                Assert.Null(rule["resourceNames"]);
                Assert.DoesNotContain(resources, r => r.StartsWith("secrets", StringComparison.Ordinal));
                var allowed = resources.SequenceEqual(["pods/exec"]) && (string?)role["kind"] == "Role" ? new[] { "get", "create" } : ["get", "list", "watch"];
                Assert.All(verbs, v => Assert.Contains(v, allowed));
            }
        }

        Assert.Empty(chart.OfKind("Secret"));
    }

    [Theory]
    [MemberData(nameof(ValueSets))]
    public async Task Template_Bindings_BindOnlyTheChartsServiceAccount(string values)
    {
        var chart = await RenderedChart.RenderAsync(values);
        var account = (string)chart.Deployment["spec"]!["template"]!["spec"]!["serviceAccountName"]!;
        var bindings = chart.OfKind("RoleBinding").Concat(chart.OfKind("ClusterRoleBinding")).ToList();

        Assert.Equal(2, bindings.Count);
        Assert.Equal("kube-system", (string?)chart.Single("RoleBinding")["metadata"]!["namespace"]);
        Assert.All(bindings, b =>
        {
            var subject = Assert.Single(b["subjects"]!.AsArray())!;
            Assert.Equal(("ServiceAccount", account, RenderedChart.ReleaseNamespace), ((string?)subject["kind"], (string?)subject["name"], (string?)subject["namespace"]));
            Assert.Equal(((string?)b["kind"])!.Replace("Binding", "", StringComparison.Ordinal), (string?)b["roleRef"]!["kind"]);
        });
    }

    [Theory]
    [InlineData(ChartValues.AllEnabled)]
    [InlineData(ChartValues.AllEnabledExec)]
    public async Task Template_AuthAndTlsSecrets_ComeOnlyFromSecretReferences(string values)
    {
        var chart = await RenderedChart.RenderAsync(values);
        var env = chart.DashboardContainer["env"]!.AsArray();
        var secretVars = env.Where(e => ((string)e!["name"]!).Contains("Secret", StringComparison.Ordinal) || ((string)e!["name"]!).EndsWith("Token", StringComparison.Ordinal)).ToList();

        Assert.NotEmpty(secretVars);
        Assert.Contains(secretVars, e => (string?)e!["name"] == "CiliumDash__Metrics__ScrapeToken");
        Assert.All(secretVars, e =>
        {
            Assert.Null(e!["value"]);
            Assert.NotNull(e["valueFrom"]?["secretKeyRef"]?["name"]);
        });
        var tls = Assert.Single(chart.Deployment["spec"]!["template"]!["spec"]!["volumes"]!.AsArray(), v => (string?)v!["name"] == "relay-tls")!;
        Assert.Equal("hubble-relay-client-certs", (string?)tls["secret"]!["secretName"]);
    }

    [Fact]
    public async Task Template_TokenMode_ReadsTheTokenFromTheExistingSecret()
    {
        var chart = await RenderedChart.RenderAsync(set: ["auth.mode=Token", "auth.token.existingSecret=dash-token", "auth.token.key=t"]);
        var token = Assert.Single(chart.DashboardContainer["env"]!.AsArray(), e => (string?)e!["name"] == "CiliumDash__Auth__Token")!;

        Assert.Null(token["value"]);
        Assert.Equal(("dash-token", "t"), ((string?)token["valueFrom"]!["secretKeyRef"]!["name"], (string?)token["valueFrom"]!["secretKeyRef"]!["key"]));
        Assert.Equal("Token", chart.Env["CiliumDash__Auth__Mode"]);
    }

    private static IEnumerable<string> Rules(RenderedChart chart) =>
        from role in chart.OfKind("Role").Concat(chart.OfKind("ClusterRole"))
        from rule in role["rules"]!.AsArray()
        from apiGroup in Strings(rule!["apiGroups"])
        from resource in Strings(rule["resources"])
        let scope = (string?)role["kind"] == "Role" ? $"Role {role["metadata"]!["namespace"]}" : "ClusterRole"
        select $"{scope} {(apiGroup.Length == 0 ? "core" : apiGroup)}/{resource}: {string.Join(',', Strings(rule["verbs"]).Order(StringComparer.Ordinal))}";

    private static string? Effective(JsonNode? container, JsonNode? pod, string key) => (string?)(container?[key] ?? pod?[key]);

    private static List<string> Strings(JsonNode? array) => array?.AsArray().Select(n => (string)n!).ToList() ?? [];
}
