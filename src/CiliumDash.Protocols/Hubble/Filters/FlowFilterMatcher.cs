using System.Net;
using System.Text.RegularExpressions;
using CiliumDash.Protocols.Hubble;
using Google.Protobuf.Collections;

namespace CiliumDash.Protocols.Hubble.Filters;

/// <summary>A filter value the matcher cannot use; the message names the field and the value.</summary>
public sealed class FlowFilterException(string message) : ArgumentException(message);

/// <summary>
/// Hubble's flow filter semantics as compiled predicates. A flow passes a request when any whitelist filter matches
/// (or there is none) and no blacklist filter matches; inside one filter every set field must match (AND) and the
/// values of one field are alternatives (OR). Depends only on the protobuf types, so the dashboard can reuse it.
/// </summary>
public static partial class FlowFilterMatcher
{
    /// <summary>
    /// Regular expressions run without backtracking (linear in the input), so this is only a backstop; it is generous
    /// because a busy machine can stall a first match (lazy automaton construction) well past 100 ms.
    /// </summary>
    public static readonly TimeSpan RegexTimeout = TimeSpan.FromSeconds(2);

    public const int MaxPatternLength = 1024;

    /// <summary>Where Hubble looks for a pod or service named without a namespace.</summary>
    public const string DefaultNamespace = "default";

    public static Func<Flow, bool> Compile(IEnumerable<FlowFilter> whitelist, IEnumerable<FlowFilter> blacklist)
    {
        ArgumentNullException.ThrowIfNull(whitelist);
        ArgumentNullException.ThrowIfNull(blacklist);
        var allow = whitelist.Select(Compile).ToArray();
        var deny = blacklist.Select(Compile).ToArray();
        return flow => (allow.Length == 0 || Any(allow, flow)) && !Any(deny, flow);
    }

    /// <summary>One filter as a predicate; throws <see cref="FlowFilterException"/> for malformed or unsupported values.</summary>
    public static Func<Flow, bool> Compile(FlowFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var parts = new List<Func<Flow, bool>>();
        void Add(Func<Flow, bool>? p)
        {
            if (p is not null)
            {
                parts.Add(p);
            }
        }

        Add(Strings(filter.Uuid, "uuid", v => v, (f, set) => set.Contains(f.Uuid)));
        Add(Ips(filter.SourceIp, "source_ip", f => f.IP?.Source));
        Add(Ips(filter.SourceIpXlated, "source_ip_xlated", f => f.IP?.SourceXlated));
        Add(Ips(filter.DestinationIp, "destination_ip", f => f.IP?.Destination));
        Add(Names(filter.SourcePod, "source_pod", f => f.Source is { } e ? (e.Namespace, e.PodName) : null));
        Add(Names(filter.DestinationPod, "destination_pod", f => f.Destination is { } e ? (e.Namespace, e.PodName) : null));
        Add(Names(filter.SourceService, "source_service", f => f.SourceService is { } s ? (s.Namespace, s.Name) : null));
        Add(Names(filter.DestinationService, "destination_service", f => f.DestinationService is { } s ? (s.Namespace, s.Name) : null));
        Add(Labels(filter.SourceLabel, "source_label", f => f.Source?.Labels));
        Add(Labels(filter.DestinationLabel, "destination_label", f => f.Destination?.Labels));
        Add(Fqdns(filter.SourceFqdn, "source_fqdn", f => f.SourceNames));
        Add(Fqdns(filter.DestinationFqdn, "destination_fqdn", f => f.DestinationNames));
        Add(Workloads(filter.SourceWorkload, f => f.Source));
        Add(Workloads(filter.DestinationWorkload, f => f.Destination));
        Add(Set(filter.SourceIdentity, f => f.Source?.Identity ?? 0));
        Add(Set(filter.DestinationIdentity, f => f.Destination?.Identity ?? 0));
        Add(Strings(filter.SourceClusterName, "source_cluster_name", v => v, (f, set) => set.Contains(f.Source?.ClusterName ?? "")));
        Add(Strings(filter.DestinationClusterName, "destination_cluster_name", v => v, (f, set) => set.Contains(f.Destination?.ClusterName ?? "")));
        Add(Set(filter.TrafficDirection, f => f.TrafficDirection));
        Add(Set(filter.Verdict, f => f.Verdict));
        Add(Set(filter.DropReasonDesc, f => f.DropReasonDesc));
        Add(Set(filter.IpVersion, f => f.IP?.IpVersion ?? IPVersion.IpNotUsed));
        Add(Set(filter.Encrypted, f => f.IP?.Encrypted ?? false));
        Add(filter.Reply.Count == 0 ? null : Reply(filter.Reply));
        Add(Interfaces(filter.Interface));
        Add(EventTypes(filter.EventType));
        Add(Ports(filter.SourcePort, "source_port", source: true));
        Add(Ports(filter.DestinationPort, "destination_port", source: false));
        Add(Protocols(filter.Protocol));
        Add(TcpFlags(filter.TcpFlags));
        Add(StatusCodes(filter.HttpStatusCode));
        Add(Strings(filter.HttpMethod, "http_method", v => v.ToUpperInvariant(),
            (f, set) => f.L7?.Http is { } h && set.Contains(h.Method.ToUpperInvariant())));
        Add(Regexes(filter.HttpPath, "http_path", f => f.L7?.Http is { } h ? UrlPath(h.Url) : null));
        Add(Regexes(filter.HttpUrl, "http_url", f => f.L7?.Http?.Url));
        Add(Regexes(filter.DnsQuery, "dns_query", f => f.L7?.Dns?.Query));
        Add(NodeNames(filter.NodeName));
        Unsupported(filter.HttpHeader.Count, "http_header");
        Unsupported(filter.NodeLabels.Count, "node_labels");
        Unsupported(filter.TraceId.Count, "trace_id");
        Unsupported(filter.IpTraceId.Count, "ip_trace_id");
        Unsupported(filter.Experimental?.CelExpression.Count ?? 0, "experimental.cel_expression");

        var all = parts.ToArray();
        return flow =>
        {
            foreach (var p in all)
            {
                if (!p(flow))
                {
                    return false;
                }
            }

            return true;
        };
    }

    private static bool Any(Func<Flow, bool>[] predicates, Flow flow)
    {
        foreach (var p in predicates)
        {
            if (p(flow))
            {
                return true;
            }
        }

        return false;
    }

    private static void Unsupported(int count, string field)
    {
        if (count > 0)
        {
            throw new FlowFilterException($"Filter field {field} is not supported by this server.");
        }
    }

    private static FlowFilterException Invalid(string field, string value, string why) =>
        new($"Invalid {field} filter \"{value}\": {why}.");

    private static Func<Flow, bool>? Set<T>(RepeatedField<T> values, Func<Flow, T> get)
    {
        if (values.Count == 0)
        {
            return null;
        }

        var set = values.ToHashSet();
        return f => set.Contains(get(f));
    }

    private static Func<Flow, bool>? Strings(RepeatedField<string> values, string field, Func<string, string> normalise,
        Func<Flow, HashSet<string>, bool> match)
    {
        if (values.Count == 0)
        {
            return null;
        }

        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var v in values)
        {
            if (string.IsNullOrWhiteSpace(v))
            {
                throw Invalid(field, v, "empty value");
            }

            set.Add(normalise(v.Trim()));
        }

        return f => match(f, set);
    }

    private static Func<Flow, bool> Reply(RepeatedField<bool> values)
    {
        var set = values.ToHashSet();
        // A flow whose is_reply is unknown matches neither true nor false, as in Hubble.
        return f => f.IsReply is { } r && set.Contains(r);
    }

    private static Func<Flow, bool>? Ips(RepeatedField<string> values, string field, Func<Flow, string?> get)
    {
        if (values.Count == 0)
        {
            return null;
        }

        var exact = new HashSet<string>(StringComparer.Ordinal);
        var networks = new List<(byte[] Prefix, int Bits)>();
        foreach (var v in values)
        {
            var slash = v.IndexOf('/');
            if (slash < 0)
            {
                exact.Add(IPAddress.TryParse(v, out var ip) ? ip.ToString() : throw Invalid(field, v, "not an IP address or CIDR"));
                continue;
            }

            if (!IPAddress.TryParse(v.AsSpan(0, slash), out var net) || !int.TryParse(v.AsSpan(slash + 1), out var bits)
                || bits < 0 || bits > net.GetAddressBytes().Length * 8)
            {
                throw Invalid(field, v, "not an IP address or CIDR");
            }

            networks.Add((net.GetAddressBytes(), bits));
        }

        return f => get(f) is { Length: > 0 } s && (exact.Contains(s) || InAny(networks, s));
    }

    private static bool InAny(List<(byte[] Prefix, int Bits)> networks, string address)
    {
        if (networks.Count == 0 || !IPAddress.TryParse(address, out var ip))
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[16];
        if (!ip.TryWriteBytes(bytes, out var length))
        {
            return false;
        }

        foreach (var (prefix, bits) in networks)
        {
            if (prefix.Length == length && PrefixEquals(prefix, bytes[..length], bits))
            {
                return true;
            }
        }

        return false;
    }

    private static bool PrefixEquals(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, int bits)
    {
        var full = bits / 8;
        if (!a[..full].SequenceEqual(b[..full]))
        {
            return false;
        }

        var rest = bits % 8;
        if (rest == 0)
        {
            return true;
        }

        var mask = (byte)(0xFF << (8 - rest));
        return (a[full] & mask) == (b[full] & mask);
    }

    /// <summary>
    /// As Hubble's server reads pod and service filters: <c>ns/</c> = everything in a namespace, <c>ns/prefix</c> = names
    /// starting with prefix in it, a bare <c>prefix</c> = the same in the <c>default</c> namespace, and <c>/prefix</c> =
    /// names without a namespace. The same filter goes to the relay, so the live window must agree with it.
    /// </summary>
    private static Func<Flow, bool>? Names(RepeatedField<string> values, string field, Func<Flow, (string Ns, string Name)?> get)
    {
        if (values.Count == 0)
        {
            return null;
        }

        var parsed = values.Select(v =>
        {
            if (string.IsNullOrWhiteSpace(v) || v == "/")
            {
                throw Invalid(field, v, "expected namespace/, namespace/name-prefix or /name-prefix");
            }

            var slash = v.IndexOf('/');
            return slash < 0 ? (DefaultNamespace, v) : (v[..slash], v[(slash + 1)..]);
        }).ToArray();
        return f =>
        {
            if (get(f) is not { } id)
            {
                return false;
            }

            foreach (var (ns, prefix) in parsed)
            {
                if (ns == id.Ns && (id.Ns.Length > 0 || id.Name.Length > 0) && id.Name.StartsWith(prefix, StringComparison.Ordinal))
                {
                    return true;
                }
            }

            return false;
        };
    }
}
