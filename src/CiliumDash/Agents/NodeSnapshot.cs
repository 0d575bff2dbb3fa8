using CiliumDash.Connectivity;

namespace CiliumDash.Agents;

/// <summary>The agent pod's container as Kubernetes reports it; a container that is not running gets no exec.</summary>
public sealed record AgentContainerState(string PodPhase, bool Running, bool Ready, string? WaitingReason, int? LastExitCode, string? Message, int RestartCount);

/// <summary>
/// What the dashboard knows about one node. <see cref="Status"/> and <see cref="Health"/> are the last good reads
/// (the probe matrix itself lives in <see cref="ConnectivityStore"/>);
/// when the latest read failed, <see cref="Error"/> says why and the data is shown as stale.
/// </summary>
public sealed record NodeSnapshot(
    string Name,
    string? AgentPod,
    AgentContainerState? Container,
    AgentStatus? Status,
    HealthSummary? Health,
    DateTimeOffset? LastUpdated,
    DateTimeOffset? LastAttempt,
    string? Error,
    string? HealthError)
{
    /// <summary>The last metrics read's BPF map fill levels; null when not read yet or not available.</summary>
    public MapPressure? MapPressure { get; init; }

    /// <summary>Why <see cref="MapPressure"/> is missing ("map pressure not available: …"); null when read or not tried yet.</summary>
    public string? MapPressureError { get; init; }

    /// <summary>The node's memory (the Kubernetes Node's <c>status.capacity.memory</c>); null when not known.</summary>
    public long? MemoryBytes { get; init; }

    public bool Stale => Error is not null && Status is not null;

    /// <summary>The agent's own verdict as it spells it (Ok, Warning, Failure), or Unknown when never read.</summary>
    public string State => Status?.Cilium?.State ?? "Unknown";

    public int FailingControllers => Status?.Controllers?.Count(c => c.Failing) ?? 0;
}
