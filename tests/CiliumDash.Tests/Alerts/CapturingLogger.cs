using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace CiliumDash.Tests.Alerts;

/// <summary>Every log line a component writes, formatted, with its exception, for a test to search.</summary>
internal sealed class CapturingLogger<T> : ILogger<T>
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        var properties = state is IEnumerable<KeyValuePair<string, object?>> kv ? string.Join(' ', kv.Select(p => $"{p.Key}={p.Value}")) : "";
        Lines.Enqueue($"{logLevel} {formatter(state, exception)} {properties} {exception}");
    }
}
