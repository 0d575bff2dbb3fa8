namespace CiliumDash.Simulator.Cluster;

/// <summary>One Kubernetes node running a Cilium agent.</summary>
/// <param name="Index">0-based position; node 0 is the control plane ("fedora" in the notes).</param>
/// <param name="PodCidr">The node's cluster-pool allocation, e.g. 10.0.0.0/24.</param>
/// <param name="RouterIp">cilium_host address (IPAM owner "router").</param>
/// <param name="HealthIp">health endpoint address (IPAM owner "health").</param>
/// <param name="AgentPodName">the cilium DaemonSet pod on this node, e.g. cilium-7xk2p.</param>
public sealed record SimNode(
    int Index,
    string Name,
    string InternalIp,
    string PodCidr,
    string RouterIp,
    string HealthIp,
    string AgentPodName,
    string Device,
    int Cpus,
    string KernelVersion);

/// <summary>A pod in the simulated cluster (agents, Cilium components and ordinary workloads).</summary>
/// <param name="OwnerKind">DaemonSet, ReplicaSet, StatefulSet or null.</param>
/// <param name="Image">image of the main container; the Cilium pods' container name is in <paramref name="Container"/>.</param>
/// <param name="EndpointId">Cilium endpoint id for pods Cilium manages (has a CiliumEndpoint); 0 otherwise.</param>
/// <param name="Identity">security identity of a managed pod.</param>
public sealed record SimPod(
    string Namespace,
    string Name,
    string NodeName,
    string Ip,
    IReadOnlyDictionary<string, string> Labels,
    string? OwnerKind,
    string? OwnerName,
    string Container,
    string Image,
    bool HostNetwork,
    int EndpointId,
    uint Identity)
{
    public bool ManagedByCilium => EndpointId > 0;

    /// <summary>The workload name Hubble reports (Deployment name for ReplicaSet pods).</summary>
    public string WorkloadName => OwnerKind == "ReplicaSet" && OwnerName is { } rs && rs.LastIndexOf('-') is > 0 and var i
        ? rs[..i]
        : OwnerName ?? Name;

    public string WorkloadKind => OwnerKind switch
    {
        "ReplicaSet" => "Deployment",
        null => "Pod",
        var kind => kind,
    };
}

/// <summary>A DaemonSet or Deployment of Cilium's (cilium, cilium-operator, hubble-relay, hubble-ui).</summary>
public sealed record SimWorkload(string Kind, string Name, string Namespace, int Desired, IReadOnlyDictionary<string, string> Selector);
