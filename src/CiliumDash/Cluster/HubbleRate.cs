using System.Globalization;
using System.Text.RegularExpressions;
using CiliumDash.Contract;

namespace CiliumDash.Cluster;

/// <summary>
/// The "Flows/s" of <c>cilium status</c>'s Hubble line: the flows the node's observer has seen since it started,
/// divided by its uptime (the agent reports both; it does not report the rate itself).
/// </summary>
public static partial class HubbleRate
{
    public static double? FlowsPerSecond(HubbleDto? hubble) =>
        hubble is { SeenFlows: { } seen, Uptime: { } uptime } && Seconds(uptime) is > 0 and var s ? seen / s : null;

    /// <summary>A Go duration (<c>1h2m3.5s</c>, <c>350ms</c>) in seconds; null when it is not one.</summary>
    public static double? Seconds(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!Duration().IsMatch(text))
        {
            return null;
        }

        var total = 0.0;
        foreach (Match m in Part().Matches(text))
        {
            var value = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            total += value * m.Groups[2].Value switch
            {
                "h" => 3600,
                "m" => 60,
                "s" => 1,
                "ms" => 1e-3,
                "us" or "µs" or "μs" => 1e-6,
                _ => 1e-9,
            };
        }

        return total;
    }

    [GeneratedRegex(@"^(\d+(\.\d+)?(h|m|s|ms|us|µs|μs|ns))+$")]
    private static partial Regex Duration();

    [GeneratedRegex(@"(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|μs|ns)")]
    private static partial Regex Part();
}
