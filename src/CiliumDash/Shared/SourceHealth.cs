namespace CiliumDash.Shared;

public enum SourceState
{
    Connecting,
    Connected,
    Reconnecting,
    Disabled,

    /// <summary>The source's loop has ended on an error it cannot recover from; <see cref="SourceHealth.LastError"/> says why. Never retried.</summary>
    Failed,
}

/// <summary>Every source reports its own health: a dashboard that silently shows stale data is worse than none.</summary>
public sealed record SourceHealth(string Name, string Target, SourceState State, string? LastError, DateTimeOffset? LastSuccess, DateTimeOffset? LastErrorAt)
{
    public static SourceHealth Initial(string name, string target) => new(name, target, SourceState.Connecting, null, null, null);

    /// <summary>The loop ended: the reason stays visible (UI, /readyz, /metrics) until the process restarts.</summary>
    public SourceHealth Failed(string reason, DateTimeOffset at) => this with { State = SourceState.Failed, LastError = reason, LastErrorAt = at };
}
