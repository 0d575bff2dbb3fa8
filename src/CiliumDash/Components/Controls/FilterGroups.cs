using CiliumDash.Flows.Query;

namespace CiliumDash.Components.Controls;

/// <summary>Values seen in the window, offered as suggestions for the filter value of the flag they fit.</summary>
public sealed record FilterSuggestions(
    IReadOnlyList<string> Namespaces,
    IReadOnlyList<string> Pods,
    IReadOnlyList<string> Nodes,
    IReadOnlyList<string> Verdicts,
    IReadOnlyList<string> DropReasons,
    IReadOnlyList<string> Protocols)
{
    public static FilterSuggestions None { get; } = new([], [], [], [], [], []);

    /// <summary>The values to offer for <paramref name="flag"/> (with or without its from-/to-/not- prefix).</summary>
    public IReadOnlyList<string> For(string flag) => FilterGroups.Base(flag) switch
    {
        "namespace" => Namespaces,
        "pod" => Pods,
        "node-name" => Nodes,
        "verdict" => Verdicts,
        "drop-reason-desc" => DropReasons,
        "protocol" => Protocols,
        "traffic-direction" => ["ingress", "egress"],
        "type" => ["trace", "drop", "l7", "policy-verdict", "trace-sock", "capture", "debug"],
        "ip-version" => ["v4", "v6"],
        "reply" => ["true", "false"],
        "http-status" => ["200", "2+", "4+", "404", "5+"],
        "http-method" => ["GET", "POST", "PUT", "DELETE", "PATCH"],
        _ => [],
    };
}

/// <summary>
/// The flow filter flags grouped as <c>hubble observe --help</c> groups them (endpoints, traffic, L7, node). Which flags
/// exist and what they mean stays in <see cref="FlowQuery.Flags"/>; this only orders them for the picker.
/// </summary>
public static class FilterGroups
{
    private static readonly string[] Endpoint = ["namespace", "pod", "label", "workload", "service", "ip", "fqdn", "identity"];
    private static readonly string[] Traffic = ["verdict", "drop-reason-desc", "protocol", "port", "type", "traffic-direction", "tcp-flags", "ip-version", "reply", "uuid"];
    private static readonly string[] L7 = ["http-status", "http-method", "http-path", "http-url", "dns-query"];
    private static readonly string[] Node = ["node-name"];

    /// <summary>Group name and its flags (with help), every flag of <see cref="FlowQuery.Flags"/> exactly once.</summary>
    public static IReadOnlyList<(string Group, IReadOnlyList<(string Flag, string Help)> Flags)> All { get; } = Build();

    /// <summary>The flag without its direction: <c>to-pod</c> → <c>pod</c>.</summary>
    public static string Base(string flag)
    {
        ArgumentNullException.ThrowIfNull(flag);
        var f = flag.StartsWith("not-", StringComparison.Ordinal) ? flag[4..] : flag;
        return f.StartsWith("from-", StringComparison.Ordinal) ? f[5..] : f.StartsWith("to-", StringComparison.Ordinal) ? f[3..] : f;
    }

    private static List<(string, IReadOnlyList<(string, string)>)> Build()
    {
        var flags = FlowQuery.Flags.ToDictionary(f => f.Flag, f => f.Help, StringComparer.Ordinal);
        var groups = new List<(string, IReadOnlyList<(string, string)>)>();
        var placed = new HashSet<string>(StringComparer.Ordinal);
        void Add(string name, IEnumerable<string> bases)
        {
            var items = new List<(string, string)>();
            foreach (var b in bases)
            {
                foreach (var f in new[] { b, "from-" + b, "to-" + b })
                {
                    if (flags.TryGetValue(f, out var help) && placed.Add(f))
                    {
                        var side = f.StartsWith("from-", StringComparison.Ordinal) ? "source " : f.StartsWith("to-", StringComparison.Ordinal) ? "destination " : "";
                        items.Add((f, side + help));
                    }
                }
            }

            if (items.Count > 0)
            {
                groups.Add((name, items));
            }
        }

        Add("Endpoints (either side, from, to)", Endpoint);
        Add("Traffic", Traffic);
        Add("L7", L7);
        Add("Node", Node);
        // A flag added to the query language later still shows, in a group of its own.
        Add("Other", flags.Keys.Where(f => !placed.Contains(f)).OrderBy(f => f, StringComparer.Ordinal));
        return groups;
    }
}
