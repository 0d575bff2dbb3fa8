using System.Collections.Concurrent;

namespace CiliumDash.Agents;

/// <summary>The outcome of one metrics read for a node: figures, or why there are none.</summary>
public sealed record MapPressureRead(MapPressure? Value, string? Error)
{
    public NodeSnapshot ApplyTo(NodeSnapshot node) => node with { MapPressure = Value, MapPressureError = Error };
}

/// <summary>
/// Decides when a node's metrics list is due (once per interval: each read is an exec) and turns what came back into
/// figures or a "not available" reason. A failed read is never a node error.
/// </summary>
public sealed class MapPressureReads(TimeSpan interval)
{
    /// <summary>Why nodes have no figures under the readonly RBAC profile (no pods/exec).</summary>
    public const string ReadOnlyReason = "map pressure not available: the readonly profile does not exec into agents to read their metrics list";

    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastRead = new(StringComparer.Ordinal);

    public bool Due(string node, DateTimeOffset now) =>
        !_lastRead.TryGetValue(node, out var last) || now - last >= interval;

    /// <summary>Null when the read did not include metrics (not due, or the whole read failed): keep what the node had.</summary>
    public MapPressureRead? Observe(string node, AgentRead read, DateTimeOffset now)
    {
        if (read.Metrics is null && read.MetricsError is null)
        {
            return null;
        }

        _lastRead[node] = now;
        if (read.MetricsError is { } error)
        {
            return new MapPressureRead(null, $"map pressure not available: {error}");
        }

        var parsed = MapPressureParser.Parse(read.Metrics, now);
        return parsed.Value is { } value ? new MapPressureRead(value, null) : new MapPressureRead(null, $"map pressure not available: {parsed.Error}");
    }
}
