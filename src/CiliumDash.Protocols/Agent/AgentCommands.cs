namespace CiliumDash.Protocols.Agent;

/// <summary>
/// The fixed, read-only command lines the dashboard execs in a cilium-agent container — never anything a user typed.
/// The simulator answers exactly these.
/// </summary>
public static class AgentCommands
{
    public const string AgentContainer = "cilium-agent";

    /// <summary>Cilium 1.15+ binary name.</summary>
    public static readonly IReadOnlyList<string> Status = ["cilium-dbg", "status", "-o", "json"];

    /// <summary>The pre-1.15 name, still present in current images (cilium-cli execs it).</summary>
    public static readonly IReadOnlyList<string> StatusLegacy = ["cilium", "status", "-o", "json"];

    /// <summary>The agent's Prometheus metrics as JSON (name, labels, value); read for <c>cilium_bpf_map_pressure</c>.</summary>
    public static readonly IReadOnlyList<string> Metrics = ["cilium-dbg", "metrics", "list", "-o", "json"];

    /// <summary>The pre-1.15 name of <see cref="Metrics"/>.</summary>
    public static readonly IReadOnlyList<string> MetricsLegacy = ["cilium", "metrics", "list", "-o", "json"];

    /// <summary>Last periodic probe round (cheap): GET /v1beta/status.</summary>
    public static readonly IReadOnlyList<string> HealthStatus = ["cilium-health", "status", "-o", "json"];

    /// <summary>A synchronous probe of every node: PUT /v1beta/status/probe (slow; not polled by default).</summary>
    public static readonly IReadOnlyList<string> HealthProbe = ["cilium-health", "status", "--probe", "-o", "json"];
}
