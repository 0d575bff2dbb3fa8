using k8s;

namespace CiliumDash.Shared;

/// <summary>Where the sources connect: a real cluster from configuration, or the in-process simulator once it listens.</summary>
public sealed record ClusterEndpoints(KubernetesClientConfiguration? Kubernetes, string? RelayAddress, bool Simulated, string Description)
{
    /// <summary>A recorded cluster served back: its times are the capture's, not now.</summary>
    public bool Replay { get; init; }
}

/// <summary>
/// Hands the connection to the sources when it is known. With the simulator the ports are ephemeral, so sources wait
/// for it instead of reading configuration directly.
/// </summary>
public sealed class ClusterConnection
{
    private readonly TaskCompletionSource<ClusterEndpoints> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ClusterEndpoints? Current => _ready.Task.IsCompletedSuccessfully ? _ready.Task.Result : null;

    public void Set(ClusterEndpoints info) => _ready.TrySetResult(info);

    public void Fail(Exception error) => _ready.TrySetException(error);

    public Task<ClusterEndpoints> WaitAsync(CancellationToken ct) => _ready.Task.WaitAsync(ct);
}
