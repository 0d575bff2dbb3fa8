namespace CiliumDash.Embeds;

/// <summary>The embeddable panels: <c>/embed/{panel}</c> pages and <c>/embed/{panel}.svg</c> images.</summary>
public static class EmbedPanels
{
    public const string Cluster = "cluster";
    public const string Node = "node";
    public const string Controllers = "controllers";
    public const string BpfMaps = "bpf-maps";
    public const string Connectivity = "connectivity";
    public const string Flows = "flows";
    public const string DropReasons = "drop-reasons";

    /// <summary>The service map (its own page and SVG route; the namespace filter scopes it like the flow panels).</summary>
    public const string Map = "map";

    public static readonly IReadOnlyList<string> All = [Cluster, Node, Controllers, BpfMaps, Connectivity, Flows, DropReasons, Map];

    public static bool IsKnown(string? panel) => panel is not null && All.Contains(panel, StringComparer.Ordinal);

    /// <summary>Panels that show flows: a signed link's namespace filter is its access scope (see <see cref="EmbedAccess"/>).</summary>
    public static bool ShowsFlows(string panel) => panel is Flows or DropReasons or Map;

    public static string Unknown(string? panel) => $"there is no embed panel '{panel}'; panels: {string.Join(", ", All)}";

    /// <summary>The panel of an <c>/embed/{panel}</c> or <c>/embed/{panel}.svg</c> path, or null.</summary>
    public static string? FromPath(PathString path)
    {
        if (!path.StartsWithSegments("/embed", StringComparison.Ordinal, out var rest) || !rest.HasValue)
        {
            return null;
        }

        var name = rest.Value![1..];
        if (name.EndsWith(".svg", StringComparison.Ordinal))
        {
            name = name[..^4];
        }

        return IsKnown(name) ? name : null;
    }
}
