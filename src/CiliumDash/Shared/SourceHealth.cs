namespace CiliumDash.Shared;

public enum SourceState
{
    Connecting,
    Connected,
    Reconnecting,
    Disabled,
}

/// <summary>Every source reports its own health: a dashboard that silently shows stale data is worse than none.</summary>
public sealed record SourceHealth(string Name, string Target, SourceState State, string? LastError, DateTimeOffset? LastSuccess, DateTimeOffset? LastErrorAt)
{
    public static SourceHealth Initial(string name, string target) => new(name, target, SourceState.Connecting, null, null, null);
}
