using Google.Protobuf.Collections;
using V = CiliumDash.Protocols.Hubble.Filters.FlowFilterValues;

namespace CiliumDash.Protocols.Hubble.Filters;

/// <summary>A filter value the matcher cannot use; the message names the field and the value.</summary>
public sealed class FlowFilterException(string message) : ArgumentException(message);

/// <summary>
/// Hubble's flow filter semantics as compiled predicates over protobuf <see cref="Flow"/> messages (the relay
/// stand-in's). A flow passes a request when any whitelist filter matches (or there is none) and no blacklist filter
/// matches; inside one filter every set field must match (AND) and the values of one field are alternatives (OR). What
/// each field means is <see cref="FlowFilterValues"/>', shared with the dashboard's window.
/// </summary>
public static class FlowFilterMatcher
{
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
        void Add<T>(RepeatedField<T> values, Func<RepeatedField<T>, Func<Flow, bool>> build)
        {
            if (values.Count > 0)
            {
                parts.Add(build(values));
            }
        }

        Add(filter.Uuid, v => Contains(V.Strings(v, "uuid", s => s), f => f.Uuid));
        Add(filter.SourceIp, v => Ip(V.Ips(v, "source_ip"), f => f.IP?.Source));
        Add(filter.SourceIpXlated, v => Ip(V.Ips(v, "source_ip_xlated"), f => f.IP?.SourceXlated));
        Add(filter.DestinationIp, v => Ip(V.Ips(v, "destination_ip"), f => f.IP?.Destination));
        Add(filter.SourcePod, v => Name(V.Names(v, "source_pod"), f => f.Source is { } e ? (e.Namespace, e.PodName) : null));
        Add(filter.DestinationPod, v => Name(V.Names(v, "destination_pod"), f => f.Destination is { } e ? (e.Namespace, e.PodName) : null));
        Add(filter.SourceService, v => Name(V.Names(v, "source_service"), f => f.SourceService is { } s ? (s.Namespace, s.Name) : null));
        Add(filter.DestinationService, v => Name(V.Names(v, "destination_service"), f => f.DestinationService is { } s ? (s.Namespace, s.Name) : null));
        Add(filter.SourceLabel, v => Endpoint(V.Labels(v, "source_label"), f => f.Source, e => e.Labels));
        Add(filter.DestinationLabel, v => Endpoint(V.Labels(v, "destination_label"), f => f.Destination, e => e.Labels));
        Add(filter.SourceFqdn, v => { var p = V.Fqdns(v, "source_fqdn"); return f => p(f.SourceNames); });
        Add(filter.DestinationFqdn, v => { var p = V.Fqdns(v, "destination_fqdn"); return f => p(f.DestinationNames); });
        Add(filter.SourceWorkload, v => Workloads(V.Workloads(v), f => f.Source));
        Add(filter.DestinationWorkload, v => Workloads(V.Workloads(v), f => f.Destination));
        Add(filter.SourceIdentity, v => Set(v, f => f.Source?.Identity ?? 0));
        Add(filter.DestinationIdentity, v => Set(v, f => f.Destination?.Identity ?? 0));
        Add(filter.SourceClusterName, v => Contains(V.Strings(v, "source_cluster_name", s => s), f => f.Source?.ClusterName ?? ""));
        Add(filter.DestinationClusterName, v => Contains(V.Strings(v, "destination_cluster_name", s => s), f => f.Destination?.ClusterName ?? ""));
        Add(filter.TrafficDirection, v => Set(v, f => f.TrafficDirection));
        Add(filter.Verdict, v => Set(v, f => f.Verdict));
        Add(filter.DropReasonDesc, v => Set(v, f => f.DropReasonDesc));
        Add(filter.IpVersion, v => Set(v, f => f.IP?.IpVersion ?? IPVersion.IpNotUsed));
        Add(filter.Encrypted, v => Set(v, f => f.IP?.Encrypted ?? false));
        // A flow whose is_reply is unknown matches neither true nor false, as in Hubble.
        Add(filter.Reply, v => { var set = v.ToHashSet(); return f => f.IsReply is { } r && set.Contains(r); });
        Add(filter.Interface, v =>
        {
            var wanted = v.ToArray();
            return f => f.Interface is { } i && wanted.Any(x => (x.Index == 0 || x.Index == i.Index) && (x.Name.Length == 0 || x.Name == i.Name));
        });
        Add(filter.EventType, v => { var p = V.EventTypes(v); return f => f.EventType is { } t && p(t.Type, t.SubType); });
        Add(filter.SourcePort, v => Port(V.Ports(v, "source_port"), source: true));
        Add(filter.DestinationPort, v => Port(V.Ports(v, "destination_port"), source: false));
        Add(filter.Protocol, v =>
        {
            var p = V.Protocols(v);
            return f => p(f.L4?.ProtocolCase ?? Layer4.ProtocolOneofCase.None, f.L7?.RecordCase ?? Layer7.RecordOneofCase.None);
        });
        Add(filter.TcpFlags, v => { var p = V.TcpFlags(v); return f => f.L4?.TCP?.Flags is { } have && p(V.TcpFlagBits(have)); });
        Add(filter.HttpStatusCode, v => { var p = V.StatusCodes(v); return f => f.L7?.Http is { } h && p(h.Code); });
        Add(filter.HttpMethod, v =>
        {
            var set = V.Strings(v, "http_method", s => s.ToUpperInvariant());
            return f => f.L7?.Http is { } h && set.Contains(h.Method.ToUpperInvariant());
        });
        Add(filter.HttpPath, v => Text(V.Regexes(v, "http_path"), f => f.L7?.Http is { } h ? V.UrlPath(h.Url) : null));
        Add(filter.HttpUrl, v => Text(V.Regexes(v, "http_url"), f => f.L7?.Http?.Url));
        Add(filter.DnsQuery, v => Text(V.Regexes(v, "dns_query"), f => f.L7?.Dns?.Query));
        Add(filter.NodeName, v => { var p = V.NodeNames(v); return f => p(f.NodeName ?? ""); });
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

    private static Func<Flow, bool> Set<T>(RepeatedField<T> values, Func<Flow, T> get)
    {
        var set = values.ToHashSet();
        return f => set.Contains(get(f));
    }

    private static Func<Flow, bool> Contains(HashSet<string> set, Func<Flow, string> get) => f => set.Contains(get(f));

    private static Func<Flow, bool> Ip(Func<string, bool> match, Func<Flow, string?> get) => f => get(f) is { } s && match(s);

    private static Func<Flow, bool> Text(Func<string, bool> match, Func<Flow, string?> get) => f => get(f) is { } s && match(s);

    private static Func<Flow, bool> Name(Func<string, string, bool> match, Func<Flow, (string Ns, string Name)?> get) =>
        f => get(f) is { } id && match(id.Ns, id.Name);

    private static Func<Flow, bool> Endpoint(Func<IReadOnlyList<string>, bool> match, Func<Flow, Endpoint?> get, Func<Endpoint, IReadOnlyList<string>> part) =>
        f => get(f) is { } e && match(part(e));

    private static Func<Flow, bool> Workloads(Func<string, string, bool> match, Func<Flow, Endpoint?> get) =>
        f => get(f) is { } e && e.Workloads.Any(w => match(w.Kind, w.Name));

    private static Func<Flow, bool> Port(HashSet<uint> set, bool source) => f =>
    {
        var l4 = f.L4;
        uint? port = l4?.ProtocolCase switch
        {
            Layer4.ProtocolOneofCase.TCP => source ? l4.TCP.SourcePort : l4.TCP.DestinationPort,
            Layer4.ProtocolOneofCase.UDP => source ? l4.UDP.SourcePort : l4.UDP.DestinationPort,
            Layer4.ProtocolOneofCase.SCTP => source ? l4.SCTP.SourcePort : l4.SCTP.DestinationPort,
            _ => null,
        };
        return port is { } p && set.Contains(p);
    };
}
