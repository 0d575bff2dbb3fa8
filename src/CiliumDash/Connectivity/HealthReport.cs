namespace CiliumDash.Connectivity;

/// <summary>One node's <c>cilium-health status -o json</c>: what it measured towards every node (itself included).</summary>
public sealed record HealthReport(string? LocalNode, DateTimeOffset? Timestamp, string? ProbeInterval, IReadOnlyList<PeerHealth> Peers)
{
    /// <summary>As cilium-dbg prints it: peers with no failing path, over all peers.</summary>
    public int Reachable => Peers.Count(p => p.Reachable);
}

/// <summary>Probes from one node to one peer: its host address(es) and its health endpoint address(es).</summary>
public sealed record PeerHealth(string Name, PathHealth? Host, PathHealth? Endpoint, IReadOnlyList<PathHealth> SecondaryHosts, IReadOnlyList<PathHealth> SecondaryEndpoints)
{
    /// <summary>Cilium's rule: every probed address answers ICMP and HTTP; unknown (not probed yet) is not a failure.</summary>
    public bool Reachable =>
        Host is { Failed: false } && Endpoint is { Failed: false } && !SecondaryHosts.Any(p => p.Failed) && !SecondaryEndpoints.Any(p => p.Failed);
}

/// <summary>One probed address; a null probe means not measured yet.</summary>
public sealed record PathHealth(string? Ip, ProbeResult? Icmp, ProbeResult? Http)
{
    public bool Failed => Icmp is { Ok: false } || Http is { Ok: false };
}

/// <summary>A probe: latency in nanoseconds on success, the agent's error text on failure.</summary>
public sealed record ProbeResult(long? LatencyNs, string? Error, DateTimeOffset? LastProbed)
{
    public bool Ok => string.IsNullOrEmpty(Error);
}
