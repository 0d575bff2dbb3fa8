using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cel;
using CiliumDash.Protocols.Agent;

namespace CiliumDash.Tests.Deploy;

/// <summary>
/// The exec profile's ValidatingAdmissionPolicy, rendered by helm and its CEL evaluated by a CEL implementation (the
/// NuGet package Cel, telus-oss/cel-net) against exec requests as the API server admits them: a CONNECT of
/// pods/exec whose <c>object</c> is the PodExecOptions (JSON field names, unset fields absent) and whose
/// <c>request</c> carries the user and namespace. Admission as Kubernetes applies a policy: a request is not
/// matched when any matchCondition is false; a matched request is denied when any validation is false.
/// </summary>
public sealed partial class ExecAdmissionPolicyTests
{
    private const string DashboardUser = $"system:serviceaccount:{RenderedChart.ReleaseNamespace}:dash-ciliumdash";

    private static readonly CelEnvironment Cel = new(null, null);

    public static TheoryData<string> DashboardCommands => new(UsedCommands().Select(c => string.Join(' ', c)));

    /// <summary>Every command the dashboard's code execs (src/CiliumDash names them from AgentCommands) passes.</summary>
    [Theory]
    [MemberData(nameof(DashboardCommands))]
    public async Task Policy_EachCommandTheDashboardRuns_IsAdmitted(string command)
    {
        var policy = await PolicyAsync();

        Assert.Equal(Decision.Admitted, Admit(policy, DashboardUser, "kube-system", ExecOptions(command.Split(' '))));
    }

    [Theory]
    [InlineData("other command", """{"command":["sh"],"container":"cilium-agent","stdout":true,"stderr":true}""")]
    [InlineData("a shell with a cilium command", """{"command":["sh","-c","cilium-dbg status -o json"],"container":"cilium-agent","stdout":true}""")]
    [InlineData("extra argument", """{"command":["cilium-dbg","status","-o","json","--all-controllers"],"container":"cilium-agent","stdout":true}""")]
    [InlineData("missing argument", """{"command":["cilium-dbg","status"],"container":"cilium-agent","stdout":true}""")]
    [InlineData("the whole line as one argument", """{"command":["cilium-dbg status -o json"],"container":"cilium-agent","stdout":true}""")]
    [InlineData("the probe the dashboard never runs", """{"command":["cilium-health","status","--probe","-o","json"],"container":"cilium-agent","stdout":true}""")]
    [InlineData("a write command", """{"command":["cilium-dbg","endpoint","config","1","Debug=true"],"container":"cilium-agent","stdout":true}""")]
    [InlineData("other container", """{"command":["cilium-dbg","status","-o","json"],"container":"cilium-envoy","stdout":true}""")]
    [InlineData("no container (the pod's default)", """{"command":["cilium-dbg","status","-o","json"],"stdout":true}""")]
    [InlineData("stdin", """{"command":["cilium-dbg","status","-o","json"],"container":"cilium-agent","stdin":true,"stdout":true}""")]
    [InlineData("tty", """{"command":["cilium-dbg","status","-o","json"],"container":"cilium-agent","tty":true,"stdout":true}""")]
    public async Task Policy_AnythingElseByTheDashboard_IsDenied(string why, string options)
    {
        var policy = await PolicyAsync();

        Assert.True(Admit(policy, DashboardUser, "kube-system", ExecOptions(options)) == Decision.Denied, why);
    }

    [Fact]
    public async Task Policy_TheDashboardsCommandInAnotherNamespace_IsDenied()
    {
        var policy = await PolicyAsync();

        Assert.Equal(Decision.Denied, Admit(policy, DashboardUser, "default", ExecOptions(AgentCommands.Status)));
    }

    [Theory]
    [InlineData("kubernetes-admin")]
    [InlineData("system:serviceaccount:monitoring:other")]
    [InlineData("system:serviceaccount:kube-system:dash-ciliumdash")]
    public async Task Policy_OtherUsers_AreNotMatched(string user)
    {
        var policy = await PolicyAsync();

        Assert.Equal(Decision.NotMatched, Admit(policy, user, "kube-system", ExecOptions("""{"command":["sh"],"container":"cilium-envoy","stdin":true,"tty":true}""")));
    }

    [Fact]
    public async Task Policy_MatchesOnlyExecConnectsAndIsBoundToDeny()
    {
        var chart = await RenderedChart.RenderAsync(ChartValues.Default);
        var policy = chart.Single("ValidatingAdmissionPolicy");
        var binding = chart.Single("ValidatingAdmissionPolicyBinding");

        Assert.Equal("admissionregistration.k8s.io/v1", (string?)policy["apiVersion"]);
        Assert.Equal("Fail", (string?)policy["spec"]!["failurePolicy"]);
        var rule = Assert.Single(policy["spec"]!["matchConstraints"]!["resourceRules"]!.AsArray())!;
        Assert.Equal([""], Strings(rule["apiGroups"]));
        Assert.Equal(["v1"], Strings(rule["apiVersions"]));
        Assert.Equal(["CONNECT"], Strings(rule["operations"]));
        Assert.Equal(["pods/exec"], Strings(rule["resources"]));
        Assert.Equal("admissionregistration.k8s.io/v1", (string?)binding["apiVersion"]);
        Assert.Equal((string?)policy["metadata"]!["name"], (string?)binding["spec"]!["policyName"]);
        Assert.Equal(["Deny"], Strings(binding["spec"]!["validationActions"]));
        Assert.Null(binding["spec"]!["matchResources"]);
    }

    [Fact]
    public async Task Policy_FollowsTheCiliumNamespaceAndTheServiceAccount()
    {
        var policy = Policy.From(await RenderedChart.RenderAsync(set: ["cilium.namespace=cilium", "serviceAccount.name=dash-sa"]));

        Assert.Equal(Decision.Admitted, Admit(policy, $"system:serviceaccount:{RenderedChart.ReleaseNamespace}:dash-sa", "cilium", ExecOptions(AgentCommands.HealthStatus)));
        Assert.Equal(Decision.Denied, Admit(policy, $"system:serviceaccount:{RenderedChart.ReleaseNamespace}:dash-sa", "kube-system", ExecOptions(AgentCommands.HealthStatus)));
        Assert.Equal(Decision.NotMatched, Admit(policy, DashboardUser, "cilium", ExecOptions(["sh"])));
    }

    [Theory]
    [InlineData(ChartValues.ReadOnly)]
    [InlineData(ChartValues.AllEnabled)]
    public async Task Template_ReadOnlyProfile_NeedsNoPolicy(string values)
    {
        var chart = await RenderedChart.RenderAsync(values);

        Assert.Empty(chart.OfKind("ValidatingAdmissionPolicy"));
        Assert.Empty(chart.OfKind("ValidatingAdmissionPolicyBinding"));
    }

    [Fact]
    public async Task Template_ExecPolicyOff_RendersNone()
    {
        var chart = await RenderedChart.RenderAsync(set: ["rbac.execPolicy.enabled=false"]);

        Assert.Empty(chart.OfKind("ValidatingAdmissionPolicy"));
        Assert.NotEmpty(chart.OfKind("Role"));
    }

    [Fact]
    public async Task Template_ExecPolicyBeforeKubernetes130_FailsNamingTheValue()
    {
        var args = RenderedChart.TemplateArgs(null, null).Concat(["--kube-version", "1.29.0"]).ToArray();

        var run = await ExternalTool.Helm.RunAsync(RepoPaths.Root, args);

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("rbac.execPolicy.enabled needs Kubernetes 1.30 or later", run.StandardError, StringComparison.Ordinal);
    }

    /// <summary>The argv lists of AgentCommands that src/CiliumDash refers to: what the dashboard can exec.</summary>
    private static List<IReadOnlyList<string>> UsedCommands()
    {
        var source = string.Join('\n', Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, "src", "CiliumDash"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(File.ReadAllText));
        var used = AgentCommandReference().Matches(source).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        var commands = typeof(AgentCommands).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(IReadOnlyList<string>) && used.Contains(f.Name))
            .Select(f => (IReadOnlyList<string>)f.GetValue(null)!)
            .ToList();
        Assert.True(commands.Count >= 5, $"found only {commands.Count} AgentCommands used in src/CiliumDash");
        return commands;
    }

    private static async Task<Policy> PolicyAsync() => Policy.From(await RenderedChart.RenderAsync(ChartValues.Default));

    private static JsonObject ExecOptions(IEnumerable<string> command) =>
        ExecOptions(new JsonObject
        {
            ["command"] = new JsonArray(command.Select(c => (JsonNode?)c).ToArray()),
            ["container"] = AgentCommands.AgentContainer,
            ["stdout"] = true,
            ["stderr"] = true,
        }.ToJsonString());

    /// <summary>A PodExecOptions as admission sees it: apiVersion and kind added; false and empty fields absent (omitempty).</summary>
    private static JsonObject ExecOptions(string json)
    {
        var options = JsonNode.Parse(json)!.AsObject();
        options["kind"] = "PodExecOptions";
        options["apiVersion"] = "v1";
        return options;
    }

    private enum Decision
    {
        NotMatched,
        Admitted,
        Denied,
    }

    private static Decision Admit(Policy policy, string user, string ns, JsonObject options)
    {
        var variables = new Dictionary<string, object?>
        {
            ["object"] = ToCel(options),
            ["oldObject"] = null,
            ["request"] = ToCel(new JsonObject
            {
                ["operation"] = "CONNECT",
                ["namespace"] = ns,
                ["name"] = "cilium-x7k2p",
                ["subResource"] = "exec",
                ["resource"] = new JsonObject { ["group"] = "", ["version"] = "v1", ["resource"] = "pods" },
                ["kind"] = new JsonObject { ["group"] = "", ["version"] = "v1", ["kind"] = "PodExecOptions" },
                ["userInfo"] = new JsonObject { ["username"] = user, ["groups"] = new JsonArray("system:serviceaccounts", "system:authenticated") },
            }),
        };
        if (policy.MatchConditions.Any(e => !Evaluate(e, variables)))
        {
            return Decision.NotMatched;
        }

        return policy.Validations.All(e => Evaluate(e, variables)) ? Decision.Admitted : Decision.Denied;
    }

    /// <summary>One CEL expression; a result that is not a bool (or an evaluation error) fails the test, as it would fail the request.</summary>
    private static bool Evaluate(string expression, Dictionary<string, object?> variables) =>
        Cel.Compile(expression).Invoke(variables) is bool result ? result : throw new InvalidOperationException($"{expression} did not evaluate to a bool");

    private static object? ToCel(JsonNode? node) => node switch
    {
        null => null,
        JsonObject o => o.ToDictionary(p => p.Key, p => ToCel(p.Value), StringComparer.Ordinal),
        JsonArray a => a.Select(ToCel).ToList(),
        JsonValue v when v.TryGetValue<bool>(out var b) => b,
        JsonValue v when v.TryGetValue<long>(out var l) => l,
        JsonValue v => v.GetValue<string>(),
        _ => throw new ArgumentOutOfRangeException(nameof(node), node.GetValueKind(), "unexpected JSON node"),
    };

    private static List<string> Strings(JsonNode? array) => array?.AsArray().Select(n => (string)n!).ToList() ?? [];

    [GeneratedRegex(@"AgentCommands\.(\w+)")]
    private static partial Regex AgentCommandReference();

    private sealed record Policy(IReadOnlyList<string> MatchConditions, IReadOnlyList<string> Validations)
    {
        public static Policy From(RenderedChart chart)
        {
            var spec = chart.Single("ValidatingAdmissionPolicy")["spec"]!;
            var conditions = spec["matchConditions"]!.AsArray().Select(c => (string)c!["expression"]!).ToList();
            var validations = spec["validations"]!.AsArray().Select(v => (string)v!["expression"]!).ToList();
            Assert.NotEmpty(conditions);
            Assert.NotEmpty(validations);
            return new Policy(conditions, validations);
        }
    }
}
