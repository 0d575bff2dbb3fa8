using System.Text.Json;
using CiliumDash.Protocols.Hubble;
using CiliumDash.Protocols.Hubble.ObserverApi;
using Google.Protobuf;

namespace CiliumDash.Simulator.Relay;

/// <summary>A flows.jsonl line that could not be read; the message names the line.</summary>
public sealed class FlowJsonLineException(string message, Exception? inner = null) : FormatException(message, inner);

/// <summary>
/// Reads <c>hubble observe -o json</c> output: one <c>GetFlowsResponse</c> per line (<c>{"flow":…,"node_name":…}</c>,
/// also lost_events/node_status lines), or the pre-0.11 CLI's bare <c>Flow</c> object per line. Unknown fields are
/// skipped so captures from newer Hubble versions still load. Blank lines are skipped.
/// </summary>
public static class FlowJsonLines
{
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));

    private static readonly HashSet<string> EnvelopeKeys = new(StringComparer.Ordinal)
    {
        "flow", "lost_events", "lostEvents", "node_status", "nodeStatus", "agent_event", "agentEvent", "debug_event", "debugEvent",
    };

    /// <summary>One line as a response, or null for a blank line.</summary>
    public static GetFlowsResponse? ParseLine(string line, int lineNumber)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (string.IsNullOrWhiteSpace(line))
        {
            return null;
        }

        bool wrapped;
        try
        {
            using var doc = JsonDocument.Parse(line);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new FlowJsonLineException($"Line {lineNumber}: expected a JSON object, found {doc.RootElement.ValueKind}.");
            }

            wrapped = doc.RootElement.EnumerateObject().Any(p => EnvelopeKeys.Contains(p.Name));
        }
        catch (JsonException e)
        {
            throw new FlowJsonLineException($"Line {lineNumber}: not valid JSON ({e.Message})", e);
        }

        try
        {
            if (wrapped)
            {
                return Parser.Parse<GetFlowsResponse>(line);
            }

            // The old CLI printed the Flow itself; wrap it the way relay would have sent it.
            var flow = Parser.Parse<Flow>(line);
            return new GetFlowsResponse { Flow = flow, NodeName = flow.NodeName, Time = flow.Time };
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new FlowJsonLineException($"Line {lineNumber}: not a Hubble flow ({e.Message})", e);
        }
        catch (InvalidJsonException e)
        {
            throw new FlowJsonLineException($"Line {lineNumber}: not a Hubble flow ({e.Message})", e);
        }
    }

    /// <summary>Every non-blank line of a reader, in order; stops at the first malformed line with its number.</summary>
    public static IEnumerable<GetFlowsResponse> Read(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            if (ParseLine(line, number) is { } response)
            {
                yield return response;
            }
        }
    }
}
