namespace CiliumDash.Metrics;

/// <summary>
/// The caps that keep <c>/metrics</c> bounded at any cluster size; docs/metrics.md derives each metric's worst case
/// from these, and a test at 1,000 nodes checks the total.
/// </summary>
public static class SeriesBounds
{
    /// <summary>The cluster size the documented worst cases are computed for.</summary>
    public const int ReferenceNodes = 1000;

    /// <summary><c>ciliumdash_finding</c>: the worst findings first; the rest are counted in <c>ciliumdash_finding_series_omitted</c>.</summary>
    public const int Findings = 2000;

    /// <summary><c>ciliumdash_controller_*</c>: failing controllers per node (a node rarely fails more than a few).</summary>
    public const int ControllersPerNode = 5;

    /// <summary><c>ciliumdash_bpf_map_fill_ratio</c>: the fullest maps per node, only those at or over <see cref="MapFillFloor"/>.</summary>
    public const int MapsPerNode = 5;

    /// <summary>Maps under half full are Cilium's own <c>cilium_bpf_map_pressure</c>'s business, not an alert's.</summary>
    public const double MapFillFloor = 0.5;

    /// <summary><c>ciliumdash_drop_rate</c>: (reason, source namespace, destination namespace) triples.</summary>
    public const int DropTriples = 20;

    /// <summary>The span of recent flows the drop rate is computed over.</summary>
    public static readonly TimeSpan DropSpan = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The OpenTelemetry SDK's per-metric limit of distinct label sets. It keeps every label set it ever saw for
    /// cumulative export (a node that left still holds its slot), so this is set well above the per-scrape bounds to
    /// leave room for churn before new series would be folded into an overflow series.
    /// </summary>
    public const int SdkCardinalityLimit = 50_000;
}
