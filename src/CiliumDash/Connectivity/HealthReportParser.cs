using System.Text.Json;
using CiliumDash.Agents;

namespace CiliumDash.Connectivity;

/// <summary>
/// Reads <c>cilium-health status -o json</c> (1.12 to 1.19): <c>health-endpoint</c> with the deprecated flat
/// <c>endpoint</c> as fallback, secondary addresses, latencies in ns, 1.18's <c>lastProbed</c>/<c>probeInterval</c>.
/// </summary>
public static class HealthReportParser
{
    public static ParseResult<HealthReport> Parse(ReadOnlyMemory<byte> utf8)
    {
        if (utf8.Length > AgentStatusParser.MaxDocumentBytes * 4)
        {
            return ParseResult<HealthReport>.Fail($"health document is {utf8.Length:N0} bytes, over the {AgentStatusParser.MaxDocumentBytes * 4:N0}-byte limit");
        }

        if (JsonSection.InvalidUtf8Offset(utf8.Span) is { } bad)
        {
            return ParseResult<HealthReport>.Fail($"health document is not valid UTF-8: byte 0x{utf8.Span[bad]:X2} at offset {bad:N0}");
        }

        try
        {
            using var document = JsonDocument.Parse(utf8, new JsonDocumentOptions { MaxDepth = 64 });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return ParseResult<HealthReport>.Fail("health JSON at $: expected an object");
            }

            var warnings = new List<string>();
            var root = new JsonSection(document.RootElement, "$", warnings);
            var peers = root.Objects("nodes").Select(Peer).ToList();
            return ParseResult<HealthReport>.Ok(new HealthReport(root.Object("local")?.String("name"), root.Time("timestamp"), root.String("probeInterval"), peers));
        }
        catch (InvalidOperationException ex)
        {
            // An escaped lone surrogate (\ud800) passes the syntax check and fails only when the string is read.
            return ParseResult<HealthReport>.Fail($"health JSON has text that is not valid Unicode: {AgentStatusParser.FirstSentence(ex.Message)}");
        }
        catch (JsonException ex)
        {
            return ParseResult<HealthReport>.Fail($"malformed health JSON at {ex.Path ?? "$"} (line {(ex.LineNumber ?? 0) + 1}, byte {ex.BytePositionInLine ?? 0}): {AgentStatusParser.FirstSentence(ex.Message)}");
        }
    }

    private static PeerHealth Peer(JsonSection node)
    {
        var host = node.Object("host");
        var endpoint = node.Object("health-endpoint");
        return new PeerHealth(
            node.String("name") ?? "(unnamed)",
            Path(host?.Object("primary-address")),
            Path(endpoint?.Object("primary-address")) ?? Path(node.Object("endpoint")),
            host?.Objects("secondary-addresses").Select(p => Path(p)!).ToList() ?? [],
            endpoint?.Objects("secondary-addresses").Select(p => Path(p)!).ToList() ?? []);
    }

    private static PathHealth? Path(JsonSection? path) =>
        path is { } p ? new PathHealth(p.String("ip"), Probe(p.Object("icmp")), Probe(p.Object("http"))) : null;

    private static ProbeResult? Probe(JsonSection? probe) =>
        probe is { } p ? new ProbeResult(p.Long("latency"), p.String("status"), p.Time("lastProbed")) : null;
}
