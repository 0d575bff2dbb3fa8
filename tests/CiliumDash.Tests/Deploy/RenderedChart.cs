using System.Text.Json.Nodes;

namespace CiliumDash.Tests.Deploy;

/// <summary>The manifests <c>helm template</c> renders for deploy/helm/ciliumdash with the given values.</summary>
internal sealed class RenderedChart
{
    public const string Release = "dash";
    public const string ReleaseNamespace = "monitoring";

    private RenderedChart(IReadOnlyList<JsonObject> manifests) => Manifests = manifests;

    public IReadOnlyList<JsonObject> Manifests { get; }

    public JsonObject Deployment => Single("Deployment");

    public JsonObject DashboardContainer => (JsonObject)Deployment["spec"]!["template"]!["spec"]!["containers"]!.AsArray().Single(c => (string?)c!["name"] == "ciliumdash")!;

    /// <summary>The dashboard container's plain env values (secret references excluded), by name.</summary>
    public IReadOnlyDictionary<string, string> Env =>
        DashboardContainer["env"]!.AsArray()
            .Where(e => e!["value"] is not null)
            .ToDictionary(e => (string)e!["name"]!, e => (string)e!["value"]!, StringComparer.Ordinal);

    /// <summary>Renders with values files (paths) and --set pairs; fails with helm's own message when helm fails.</summary>
    public static async Task<RenderedChart> RenderAsync(IEnumerable<string>? valuesFiles = null, IEnumerable<string>? set = null) =>
        new(YamlDocuments.Parse(await ExternalTool.Helm.RunOkAsync(RepoPaths.Root, TemplateArgs(valuesFiles, set))));

    /// <summary>The named values of <see cref="ChartValues"/>.</summary>
    public static Task<RenderedChart> RenderAsync(string values) => RenderAsync(ChartValues.Files(values), ChartValues.Sets(values));

    public static string[] TemplateArgs(IEnumerable<string>? valuesFiles, IEnumerable<string>? set)
    {
        var args = new List<string> { "template", Release, RepoPaths.Chart, "--namespace", ReleaseNamespace };
        foreach (var file in valuesFiles ?? [])
        {
            args.AddRange(["--values", file]);
        }

        foreach (var pair in set ?? [])
        {
            args.AddRange(["--set", pair]);
        }

        return [.. args];
    }

    public IEnumerable<JsonObject> OfKind(string kind) => Manifests.Where(m => (string?)m["kind"] == kind);

    public JsonObject Single(string kind)
    {
        var found = OfKind(kind).ToList();
        Assert.True(found.Count == 1, $"expected one {kind}, rendered {found.Count}");
        return found[0];
    }
}

/// <summary>The value sets the chart tests render: the defaults, each RBAC profile, and every optional part on.</summary>
internal static class ChartValues
{
    public const string Default = "default";
    public const string ReadOnly = "readonly";
    public const string AllEnabled = "all-enabled";
    public const string AllEnabledExec = "all-enabled-exec";

    public static TheoryData<string> All => new() { Default, ReadOnly, AllEnabled, AllEnabledExec };

    public static IEnumerable<string> Files(string values) => values switch
    {
        Default or ReadOnly => [],
        AllEnabled or AllEnabledExec => [RepoPaths.AllEnabledValues],
        _ => throw new ArgumentOutOfRangeException(nameof(values), values, "unknown value set"),
    };

    public static IEnumerable<string> Sets(string values) => values switch
    {
        ReadOnly => ["rbac.profile=readonly"],
        AllEnabledExec => ["rbac.profile=exec"],
        _ => [],
    };
}
