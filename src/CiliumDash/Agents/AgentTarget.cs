
namespace CiliumDash.Agents;

/// <summary>An agent to read: its node, its pod and whether its container runs.</summary>
/// <param name="WithMetrics">also read the agent's metrics list (the poller sets it once per metrics interval).</param>
public sealed record AgentTarget(string NodeName, string PodName, AgentContainerState Container, bool WithMetrics = false)
{
    /// <summary>The node's memory from its Kubernetes Node object (dynamic map sizing follows it); null when not known.</summary>
    public long? MemoryBytes { get; init; }

    /// <summary>Why a container that is not running gets no exec, as the node's error says it.</summary>
    public static string NotRunningReason(AgentContainerState container)
    {
        ArgumentNullException.ThrowIfNull(container);
        return container.WaitingReason is { } w
            ? $"container cilium-agent is in {w}" + (container.LastExitCode is { } code ? $", exited with code {code}" : "")
            : $"container cilium-agent is not running (pod phase {container.PodPhase})";
    }
}

/// <summary>One discovery round: the agents to read and the Kubernetes side of the summary.</summary>
public sealed record AgentDiscovery(IReadOnlyList<AgentTarget> Agents, ClusterWorkloads Workloads);

/// <summary>Raw documents read from one agent; errors say what went wrong for that node only.</summary>
/// <param name="Metrics">the metrics list when it was asked for and read; <paramref name="MetricsError"/> says why not.</param>
/// <param name="Container">the container's state read again after an exec failed (it may have stopped since discovery).</param>
public sealed record AgentRead(byte[]? Status, string? StatusError, byte[]? Health, string? HealthError, byte[]? Metrics = null, string? MetricsError = null,
    AgentContainerState? Container = null);

/// <summary>Where agent documents come from: exec through Kubernetes, or the local agent's unix sockets.</summary>
public interface IAgentSource
{
    string Target { get; }

    Task<AgentDiscovery> DiscoverAsync(CancellationToken ct);

    Task<AgentRead> ReadAsync(AgentTarget agent, CancellationToken ct);
}
