using CiliumDash.Flows.Window;
using CiliumDash.Protocols.Hubble;
using CiliumDash.Protocols.Hubble.ObserverApi;

namespace CiliumDash.Flows;

/// <summary>
/// Hubble's words for what the dashboard shows: enum names as Hubble spells them on the wire, its summary of L7
/// records, and the records of lost events and node status events. Flows themselves are mapped once, at ingest, into
/// the window's rows (<see cref="FlowRowCodec"/>).
/// </summary>
public static class FlowMapper
{
    /// <summary>IANA's descriptions of the common DNS rcodes, as Hubble prints them ("RCode: Non-Existent Domain").</summary>
    private static readonly Dictionary<uint, string> RcodeNames = new()
    {
        [1] = "Format Error",
        [2] = "Server Failure",
        [3] = "Non-Existent Domain",
        [4] = "Not Implemented",
        [5] = "Query Refused",
    };

    public static LostEventRecord MapLost(LostEvent lost, GetFlowsResponse envelope)
    {
        ArgumentNullException.ThrowIfNull(lost);
        ArgumentNullException.ThrowIfNull(envelope);
        return new(envelope.Time?.ToDateTimeOffset() ?? DateTimeOffset.MinValue, envelope.NodeName, Name(lost.Source), lost.NumEventsLost);
    }

    public static NodeStatusRecord MapNodeStatus(CiliumDash.Protocols.Hubble.RelayApi.NodeStatusEvent status, GetFlowsResponse envelope)
    {
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(envelope);
        return new(envelope.Time?.ToDateTimeOffset() ?? DateTimeOffset.MinValue, Name(status.StateChange), status.NodeNames.ToArray(), status.Message);
    }

    /// <summary>Enum name as Hubble spells it on the wire (FORWARDED, not Forwarded).</summary>
    public static string Name<T>(T value)
        where T : struct, System.Enum
    {
        var descriptor = EnumNames<T>.Lookup;
        var number = Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture);
        return descriptor.TryGetValue(number, out var name) ? name : $"unknown ({number})";
    }

    /// <summary>Hubble's one-line summary of an L7 record ("HTTP/1.1 200 2ms (GET http://…)", "DNS Answer …").</summary>
    internal static string Summary(L7Info l7)
    {
        switch (l7.Kind)
        {
            case Layer7.RecordOneofCase.Http:
                return l7.HttpCode == 0
                    ? $"{l7.HttpProtocol} {l7.HttpMethod} {l7.HttpUrl}"
                    : $"{l7.HttpProtocol} {l7.HttpCode} {l7.LatencyNs / 1_000_000}ms ({l7.HttpMethod} {l7.HttpUrl})";
            case Layer7.RecordOneofCase.Dns:
                var types = string.Join(',', l7.DnsQtypes);
                if (l7.Type != L7FlowType.Response)
                {
                    return $"DNS Query {l7.DnsQuery} {types}";
                }

                // Hubble's wording: the rcode instead of the answer when the lookup failed; "Proxy" only for proxy observations.
                var answer = l7.DnsRcode == 0
                    ? $"\"{string.Join(',', l7.DnsIps)}\""
                    : $"RCode: {RcodeNames.GetValueOrDefault(l7.DnsRcode, l7.DnsRcode.ToString(System.Globalization.CultureInfo.InvariantCulture))}";
                var observed = l7.DnsObservationSource == "proxy" ? "Proxy" : "Query";
                return $"DNS Answer {answer} TTL: {l7.DnsTtl} ({observed} {l7.DnsQuery} {types})";
            default:
                return l7.Summary;
        }
    }

    private static class EnumNames<T>
        where T : struct, System.Enum
    {
        // Hubble's wire names come from the [OriginalName] attribute protoc puts on each C# enum member.
        public static readonly Dictionary<int, string> Lookup = typeof(T).GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
            .ToDictionary(
                f => Convert.ToInt32(f.GetValue(null), System.Globalization.CultureInfo.InvariantCulture),
                f => f.GetCustomAttributes(typeof(Google.Protobuf.Reflection.OriginalNameAttribute), false).OfType<Google.Protobuf.Reflection.OriginalNameAttribute>().FirstOrDefault()?.Name ?? f.Name);
    }
}
