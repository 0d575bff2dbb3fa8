using System.Globalization;
using CiliumDash.Protocols.Hubble;

namespace CiliumDash.Flows.Query;

/// <summary>A value a flag cannot take; the message names the flag and the value.</summary>
public sealed class FlowQueryException(string message) : ArgumentException(message);

/// <summary>
/// How one hubble CLI filter flag fills Hubble's <see cref="FlowFilter"/>: an "either direction" flag (<c>pod</c>)
/// sets the source field of the left filter and the destination field of the right one, <c>from-</c>/<c>to-</c> set
/// one side of both, and direction-less flags (<c>verdict</c>) set the same field of both — as <c>hubble observe</c>
/// builds its request, so a URL and a command line mean the same flows.
/// </summary>
internal sealed record FlowQueryFlag(string Name, Action<FlowFilter, string> Left, Action<FlowFilter, string> Right, string Help);

internal static class FlowQueryFlags
{
    /// <summary>Cilium's monitor message types and trace sub-types by the names <c>hubble observe --type</c> takes.</summary>
    private static readonly Dictionary<string, int> EventTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["drop"] = 1, ["debug"] = 2, ["capture"] = 3, ["trace"] = 4, ["policy-verdict"] = 5, ["recorder"] = 6, ["trace-sock"] = 7, ["l7"] = 129,
    };

    private static readonly Dictionary<string, int> TraceSubTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["to-endpoint"] = 0, ["to-proxy"] = 1, ["to-host"] = 2, ["to-stack"] = 3, ["to-overlay"] = 4, ["from-endpoint"] = 5,
        ["from-proxy"] = 6, ["from-host"] = 7, ["from-stack"] = 8, ["from-overlay"] = 9, ["from-network"] = 10, ["to-network"] = 11,
    };

    public static readonly IReadOnlyDictionary<string, FlowQueryFlag> All = Build().ToDictionary(f => f.Name, StringComparer.Ordinal);

    private static IEnumerable<FlowQueryFlag> Build()
    {
        foreach (var f in Directional("ip", (f, v) => f.SourceIp.Add(v), (f, v) => f.DestinationIp.Add(v), "IP address or CIDR")) { yield return f; }
        foreach (var f in Directional("pod", (f, v) => f.SourcePod.Add(v), (f, v) => f.DestinationPod.Add(v), "[namespace/]pod-name-prefix (no namespace = default, as in hubble)")) { yield return f; }
        foreach (var f in Directional("namespace", (f, v) => f.SourcePod.Add(Namespace(v)), (f, v) => f.DestinationPod.Add(Namespace(v)), "namespace")) { yield return f; }
        foreach (var f in Directional("label", (f, v) => f.SourceLabel.Add(v), (f, v) => f.DestinationLabel.Add(v), "label selector, e.g. k8s:app=cart")) { yield return f; }
        foreach (var f in Directional("workload", (f, v) => f.SourceWorkload.Add(Workload(v)), (f, v) => f.DestinationWorkload.Add(Workload(v)), "[kind/]name")) { yield return f; }
        foreach (var f in Directional("identity", (f, v) => f.SourceIdentity.Add(Identity(v)), (f, v) => f.DestinationIdentity.Add(Identity(v)), "security identity number")) { yield return f; }
        foreach (var f in Directional("service", (f, v) => f.SourceService.Add(v), (f, v) => f.DestinationService.Add(v), "[namespace/]service-name-prefix (no namespace = default)")) { yield return f; }
        foreach (var f in Directional("fqdn", (f, v) => f.SourceFqdn.Add(v), (f, v) => f.DestinationFqdn.Add(v), "DNS name, * wildcards")) { yield return f; }
        foreach (var f in Directional("port", (f, v) => f.SourcePort.Add(v), (f, v) => f.DestinationPort.Add(v), "port number")) { yield return f; }
        yield return Both("uuid", (f, v) => f.Uuid.Add(v), "flow UUID");
        yield return Both("protocol", (f, v) => f.Protocol.Add(v), "tcp, udp, sctp, icmp, icmpv4, icmpv6, http, dns, kafka");
        yield return Both("verdict", (f, v) => f.Verdict.Add(Enum<Verdict>(v, "verdict")), "FORWARDED, DROPPED, AUDIT, REDIRECTED, ERROR, TRACED, TRANSLATED");
        yield return Both("drop-reason-desc", (f, v) => f.DropReasonDesc.Add(Enum<DropReason>(v, "drop-reason-desc")), "drop reason, e.g. POLICY_DENIED");
        yield return Both("traffic-direction", (f, v) => f.TrafficDirection.Add(Enum<TrafficDirection>(v, "traffic-direction")), "ingress or egress");
        yield return Both("type", (f, v) => f.EventType.Add(EventType(v)), "trace, drop, l7, policy-verdict, capture, debug, trace-sock, or type:sub-type");
        yield return Both("node-name", (f, v) => f.NodeName.Add(v), "node name, * wildcards");
        yield return Both("http-status", (f, v) => f.HttpStatusCode.Add(v), "3-digit code or prefix+, e.g. 404, 5+");
        yield return Both("http-method", (f, v) => f.HttpMethod.Add(v), "GET, POST, ...");
        yield return Both("http-path", (f, v) => f.HttpPath.Add(v), "regular expression on the URL path");
        yield return Both("http-url", (f, v) => f.HttpUrl.Add(v), "regular expression on the URL");
        yield return Both("dns-query", (f, v) => f.DnsQuery.Add(v), "regular expression on the DNS query");
        yield return Both("tcp-flags", (f, v) => f.TcpFlags.Add(TcpFlags(v)), "comma-separated SYN, ACK, FIN, RST, PSH, URG, ECE, CWR, NS");
        yield return Both("ip-version", (f, v) => f.IpVersion.Add(IpVersion(v)), "v4 or v6");
        yield return Both("reply", (f, v) => f.Reply.Add(Bool(v, "reply")), "true or false");
    }

    private static IEnumerable<FlowQueryFlag> Directional(string name, Action<FlowFilter, string> source, Action<FlowFilter, string> destination, string help)
    {
        yield return new FlowQueryFlag(name, source, destination, help);
        yield return new FlowQueryFlag("from-" + name, source, source, help);
        yield return new FlowQueryFlag("to-" + name, destination, destination, help);
    }

    private static FlowQueryFlag Both(string name, Action<FlowFilter, string> set, string help) => new(name, set, set, help);

    private static FlowQueryException Bad(string flag, string value, string expected) => new($"{flag}=\"{value}\": expected {expected}.");

    private static string Namespace(string v) =>
        v.Contains('/', StringComparison.Ordinal) ? throw Bad("namespace", v, "a namespace name without /") : v + "/";

    private static Workload Workload(string v)
    {
        var slash = v.IndexOf('/', StringComparison.Ordinal);
        var w = slash < 0 ? new Workload { Name = v } : new Workload { Kind = v[..slash], Name = v[(slash + 1)..] };
        return w.Name.Length == 0 ? throw Bad("workload", v, "[kind/]name") : w;
    }

    private static uint Identity(string v) =>
        uint.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : throw Bad("identity", v, "a security identity number");

    private static T Enum<T>(string v, string flag)
        where T : struct, System.Enum
    {
        foreach (var value in System.Enum.GetValues<T>())
        {
            if (string.Equals(FlowMapper.Name(value), v, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        throw Bad(flag, v, "one of " + string.Join(", ", System.Enum.GetValues<T>().Select(FlowMapper.Name).Where(n => !n.EndsWith("UNKNOWN", StringComparison.Ordinal))));
    }

    private static EventTypeFilter EventType(string v)
    {
        var colon = v.IndexOf(':', StringComparison.Ordinal);
        var typeText = colon < 0 ? v : v[..colon];
        var type = EventTypes.TryGetValue(typeText, out var t) ? t
            : int.TryParse(typeText, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n
            : throw Bad("type", v, "trace, drop, l7, policy-verdict, capture, debug, trace-sock or a number, optionally :sub-type");
        if (colon < 0)
        {
            return new EventTypeFilter { Type = type };
        }

        var subText = v[(colon + 1)..];
        var sub = TraceSubTypes.TryGetValue(subText, out var s) && type == 4 ? s
            : int.TryParse(subText, NumberStyles.None, CultureInfo.InvariantCulture, out var m) ? m
            : throw Bad("type", v, "a sub-type such as trace:to-endpoint or a number");
        return new EventTypeFilter { Type = type, MatchSubType = true, SubType = sub };
    }

    private static TCPFlags TcpFlags(string v)
    {
        var flags = new TCPFlags();
        foreach (var part in v.Split(',', StringSplitOptions.TrimEntries))
        {
            switch (part.ToUpperInvariant())
            {
                case "SYN": flags.SYN = true; break;
                case "ACK": flags.ACK = true; break;
                case "FIN": flags.FIN = true; break;
                case "RST": flags.RST = true; break;
                case "PSH": flags.PSH = true; break;
                case "URG": flags.URG = true; break;
                case "ECE": flags.ECE = true; break;
                case "CWR": flags.CWR = true; break;
                case "NS": flags.NS = true; break;
                default: throw Bad("tcp-flags", v, "comma-separated SYN, ACK, FIN, RST, PSH, URG, ECE, CWR, NS");
            }
        }

        return flags;
    }

    private static IPVersion IpVersion(string v) => v.ToLowerInvariant() switch
    {
        "v4" or "ipv4" or "4" => IPVersion.Ipv4,
        "v6" or "ipv6" or "6" => IPVersion.Ipv6,
        _ => throw Bad("ip-version", v, "v4 or v6"),
    };

    private static bool Bool(string v, string flag) => v.ToLowerInvariant() switch
    {
        "true" => true,
        "false" => false,
        _ => throw Bad(flag, v, "true or false"),
    };
}
