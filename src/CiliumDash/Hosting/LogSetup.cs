using System.Globalization;
using System.Text;
using CiliumDash.Configuration;
using Serilog;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Compact;
using Serilog.Formatting.Display;

namespace CiliumDash.Hosting;

/// <summary>
/// Where the log goes and in which form. Compact JSON (one event per line, every value JSON-escaped) unless a terminal
/// is attached or <c>CiliumDash:Logging:Format=Text</c> asks for readable lines; in those, every value is escaped so
/// that a request path, a label or a pod name can never start a line of its own (log forging).
/// </summary>
public static class LogSetup
{
    public static LogFormat Resolve(LogFormat configured, bool outputRedirected) =>
        configured == LogFormat.Auto ? (outputRedirected ? LogFormat.Json : LogFormat.Text) : configured;

    public static ITextFormatter Formatter(LogFormat format) =>
        format == LogFormat.Text ? new EscapedTextFormatter() : new CompactJsonFormatter();

    /// <summary>The configured format; an unreadable value falls back to Auto here and is reported by the options validator.</summary>
    public static LogFormat Configured(IConfiguration configuration) =>
        Enum.TryParse<LogFormat>(configuration[$"{CiliumDashOptions.Section}:Logging:Format"], ignoreCase: true, out var format) && Enum.IsDefined(format) ? format : LogFormat.Auto;

    public static LoggerConfiguration WriteToOutput(this LoggerConfiguration log, IConfiguration configuration, IServiceProvider services)
    {
        var formatter = Formatter(Resolve(Configured(configuration), Console.IsOutputRedirected));
        return services.GetService<LogOutput>() is { } output
            ? log.WriteTo.Sink(new WriterSink(formatter, output.Writer))
            : log.WriteTo.Console(formatter);
    }
}

/// <summary>Registered by a host that wants the log lines somewhere else than the console (tests read them).</summary>
public sealed class LogOutput(TextWriter writer)
{
    public TextWriter Writer { get; } = writer;
}

/// <summary>The formatted events into a <see cref="LogOutput"/>'s writer, one event at a time.</summary>
internal sealed class WriterSink(ITextFormatter formatter, TextWriter writer) : Serilog.Core.ILogEventSink
{
    private readonly Lock _gate = new();

    public void Emit(LogEvent logEvent)
    {
        lock (_gate)
        {
            formatter.Format(logEvent, writer);
            writer.Flush();
        }
    }
}

/// <summary>
/// <c>[HH:mm:ss LVL] message</c>, with every property value's control characters escaped (<c>\n</c>, <c>\u001b</c>...)
/// before it is rendered, and an exception's lines indented under its event, so no value can pose as an event.
/// </summary>
public sealed class EscapedTextFormatter : ITextFormatter
{
    private readonly MessageTemplateTextFormatter _line = new("[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj}", CultureInfo.InvariantCulture);

    public void Format(LogEvent logEvent, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        ArgumentNullException.ThrowIfNull(output);
        var escaped = new LogEvent(logEvent.Timestamp, logEvent.Level, null, logEvent.MessageTemplate,
            logEvent.Properties.Select(p => new LogEventProperty(p.Key, Escape(p.Value))), logEvent.TraceId ?? default, logEvent.SpanId ?? default);
        _line.Format(escaped, output);
        output.Write('\n');
        if (logEvent.Exception is { } ex)
        {
            foreach (var line in ex.ToString().Split('\n'))
            {
                output.Write("    ");
                output.Write(EscapeControl(line.TrimEnd('\r')));
                output.Write('\n');
            }
        }
    }

    private static LogEventPropertyValue Escape(LogEventPropertyValue value) => value switch
    {
        ScalarValue { Value: string s } => new ScalarValue(EscapeControl(s)),
        ScalarValue { Value: null or bool or IFormattable } => value,
        ScalarValue scalar => new ScalarValue(EscapeControl(scalar.Value.ToString() ?? "")),
        SequenceValue sequence => new SequenceValue(sequence.Elements.Select(Escape)),
        StructureValue structure => new StructureValue(structure.Properties.Select(p => new LogEventProperty(p.Name, Escape(p.Value))), structure.TypeTag),
        DictionaryValue dictionary => new DictionaryValue(dictionary.Elements.Select(e => new KeyValuePair<ScalarValue, LogEventPropertyValue>((ScalarValue)Escape(e.Key), Escape(e.Value)))),
        _ => value,
    };

    /// <summary>Control characters (line breaks, escape sequences, U+2028/U+2029) as visible escapes.</summary>
    public static string EscapeControl(string text)
    {
        if (!text.Any(IsLineBreaking))
        {
            return text;
        }

        var b = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            _ = c switch
            {
                '\n' => b.Append("\\n"),
                '\r' => b.Append("\\r"),
                '\t' => b.Append("\\t"),
                _ when IsLineBreaking(c) => b.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)),
                _ => b.Append(c),
            };
        }

        return b.ToString();
    }

    private static bool IsLineBreaking(char c) => char.IsControl(c) || c is '\u2028' or '\u2029';
}
