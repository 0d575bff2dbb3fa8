namespace CiliumDash.Agents;

/// <summary>A Cilium DaemonSet or Deployment as cilium-cli reads it; <see cref="Exists"/> false = "disabled".</summary>
public sealed record ComponentWorkload(
    string Name,
    string Kind,
    bool Exists,
    int Desired,
    int Ready,
    int Available,
    int Unavailable,
    int Updated,
    bool RolloutStarted,
    IReadOnlyDictionary<string, int> PodPhases,
    IReadOnlyDictionary<string, int> Images);

/// <summary>The Kubernetes side of the cluster summary, read once per poll.</summary>
public sealed record ClusterWorkloads(
    IReadOnlyList<ComponentWorkload> Components,
    int ManagedPods,
    int TotalPods,
    DateTimeOffset ReadAt)
{
    public static readonly ClusterWorkloads Empty = new([], 0, 0, DateTimeOffset.MinValue);
}
