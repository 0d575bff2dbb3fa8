using CiliumDash.Flows.Window;
using CiliumDash.Protocols.Hubble;
using CiliumDash.Protocols.Hubble.Filters;
using Google.Protobuf.Collections;
using V = CiliumDash.Protocols.Hubble.Filters.FlowFilterValues;

namespace CiliumDash.Flows.Query;

/// <summary>One field condition of a filter, over a row (all of a filter's checks must hold).</summary>
internal abstract class RowCheck
{
    public abstract bool Test(in FlowRow row, ScanMemo? memo);

    protected static bool Remember(ScanMemo? memo, int index, int slot, bool answer) => memo?.Remember(index, slot, answer) ?? answer;
}

/// <summary>
/// Compiles one Hubble <see cref="FlowFilter"/> into row checks, field by field, with the value semantics of
/// <see cref="FlowFilterValues"/>. A field the row does not carry is refused, so every filter the query language
/// accepts is answered from the row. Cheap inline checks come first, then the cached ones, then L7 patterns.
/// </summary>
internal static class RowChecks
{
    /// <summary>Names of the <see cref="FlowFilter"/> fields the row answers (the rest are refused).</summary>
    public static readonly IReadOnlySet<string> HandledFields = new HashSet<string>(
    [
        "verdict", "drop_reason_desc", "traffic_direction", "ip_version", "reply", "source_port", "destination_port",
        "protocol", "tcp_flags", "uuid", "source_pod", "source_label", "source_workload", "source_identity",
        "source_cluster_name", "destination_pod", "destination_label", "destination_workload", "destination_identity",
        "destination_cluster_name", "source_ip", "destination_ip", "source_service", "destination_service",
        "source_fqdn", "destination_fqdn", "event_type", "node_name", "http_status_code", "http_method", "http_path",
        "http_url", "dns_query",
    ], StringComparer.Ordinal);

    public static RowCheck[] Compile(FlowFilter filter, List<MemoKind> memos)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var inline = new List<RowCheck>();
        var cached = new List<RowCheck>();
        var l7 = new List<RowCheck>();

        AddScalar(inline, filter.Verdict, ScalarField.Verdict, v => (int)v);
        AddScalar(inline, filter.DropReasonDesc, ScalarField.DropReason, v => (int)v);
        AddScalar(inline, filter.TrafficDirection, ScalarField.Direction, v => (int)v);
        AddScalar(inline, filter.IpVersion, ScalarField.IpVersion, v => (int)v);
        AddScalar(inline, filter.Reply, ScalarField.Reply, v => v ? 2 : 1);
        if (filter.SourcePort.Count > 0)
        {
            inline.Add(new PortCheck(V.Ports(filter.SourcePort, "source_port"), source: true));
        }

        if (filter.DestinationPort.Count > 0)
        {
            inline.Add(new PortCheck(V.Ports(filter.DestinationPort, "destination_port"), source: false));
        }

        if (filter.Protocol.Count > 0)
        {
            inline.Add(new ProtocolCheck(V.Protocols(filter.Protocol)));
        }

        if (filter.TcpFlags.Count > 0)
        {
            var p = V.TcpFlags(filter.TcpFlags);
            inline.Add(new Inline((in FlowRow r) => p(r.TcpFlags)));
        }

        if (filter.Uuid.Count > 0)
        {
            inline.Add(new UuidCheck(V.Strings(filter.Uuid, "uuid", s => s)));
        }

        AddEndpoint(cached, memos, source: true, filter.SourcePod, filter.SourceLabel, filter.SourceWorkload, filter.SourceIdentity, filter.SourceClusterName);
        AddEndpoint(cached, memos, source: false, filter.DestinationPod, filter.DestinationLabel, filter.DestinationWorkload, filter.DestinationIdentity, filter.DestinationClusterName);
        AddAddress(cached, memos, filter.SourceIp, "source_ip", source: true);
        AddAddress(cached, memos, filter.DestinationIp, "destination_ip", source: false);
        AddContext(cached, memos, filter);

        AddL7(l7, filter.HttpStatusCode, v => { var p = V.StatusCodes(v); return i => i.Kind == Layer7.RecordOneofCase.Http && p(i.HttpCode); });
        AddL7(l7, filter.HttpMethod, v =>
        {
            var set = V.Strings(v, "http_method", s => s.ToUpperInvariant());
            return i => i.Kind == Layer7.RecordOneofCase.Http && set.Contains(i.HttpMethod.ToUpperInvariant());
        });
        AddL7(l7, filter.HttpPath, v => { var p = V.Regexes(v, "http_path"); return i => i.Kind == Layer7.RecordOneofCase.Http && p(V.UrlPath(i.HttpUrl)); });
        AddL7(l7, filter.HttpUrl, v => { var p = V.Regexes(v, "http_url"); return i => i.Kind == Layer7.RecordOneofCase.Http && p(i.HttpUrl); });
        AddL7(l7, filter.DnsQuery, v => { var p = V.Regexes(v, "dns_query"); return i => i.Kind == Layer7.RecordOneofCase.Dns && p(i.DnsQuery); });

        RefuseOthers(filter);
        return [.. inline, .. cached, .. l7];
    }

    private static void RefuseOthers(FlowFilter filter)
    {
        foreach (var field in FlowFilter.Descriptor.Fields.InFieldNumberOrder())
        {
            var value = field.Accessor.GetValue(filter);
            var set = value is System.Collections.ICollection c ? c.Count > 0 : value is not null;
            if (set && !HandledFields.Contains(field.Name))
            {
                throw new FlowFilterException($"Filter field {field.Name} is not supported by the live window.");
            }
        }
    }

    private static void AddScalar<T>(List<RowCheck> into, RepeatedField<T> values, ScalarField field, Func<T, int> number)
    {
        if (values.Count == 0)
        {
            return;
        }

        var numbers = values.Select(number).Where(n => n >= 0).ToArray();
        var allowed = new bool[numbers.Length == 0 ? 1 : numbers.Max() + 1];
        foreach (var n in numbers)
        {
            allowed[n] = true;
        }

        into.Add(new ScalarCheck(field, allowed));
    }

    private static void AddEndpoint(
        List<RowCheck> into, List<MemoKind> memos, bool source, RepeatedField<string> pods, RepeatedField<string> labels,
        RepeatedField<Workload> workloads, RepeatedField<uint> identities, RepeatedField<string> clusters)
    {
        var side = source ? "source" : "destination";
        var parts = new List<Func<EndpointInfo, bool>>();
        var whenAbsent = true;
        if (pods.Count > 0)
        {
            var p = V.Names(pods, side + "_pod");
            parts.Add(e => p(e.Namespace, e.PodName));
            whenAbsent = false;
        }

        if (labels.Count > 0)
        {
            var p = V.Labels(labels, side + "_label");
            parts.Add(e => p(e.Labels));
            whenAbsent = false;
        }

        if (workloads.Count > 0)
        {
            var p = V.Workloads(workloads);
            parts.Add(e => e.Workloads.Any(w => p(w.Kind, w.Name)));
            whenAbsent = false;
        }

        if (identities.Count > 0)
        {
            var set = identities.ToHashSet();
            parts.Add(e => set.Contains(e.Identity));
            whenAbsent &= set.Contains(0);
        }

        if (clusters.Count > 0)
        {
            var set = V.Strings(clusters, side + "_cluster_name", s => s);
            parts.Add(e => set.Contains(e.ClusterName));
            whenAbsent &= set.Contains("");
        }

        if (parts.Count == 0)
        {
            return;
        }

        memos.Add(MemoKind.Endpoint);
        var all = parts.ToArray();
        into.Add(new EndpointCheck(source, e => all.All(p => p(e)), whenAbsent, memos.Count - 1));
    }

    private static void AddAddress(List<RowCheck> into, List<MemoKind> memos, RepeatedField<string> values, string field, bool source)
    {
        if (values.Count == 0)
        {
            return;
        }

        memos.Add(MemoKind.Address);
        into.Add(new AddressCheck(source, V.Ips(values, field), memos.Count - 1));
    }

    private static void AddContext(List<RowCheck> into, List<MemoKind> memos, FlowFilter filter)
    {
        var parts = new List<Func<FlowContext, bool>>();
        if (filter.SourceService.Count > 0)
        {
            var p = V.Names(filter.SourceService, "source_service");
            parts.Add(c => c.HasSourceService && p(c.SourceServiceNamespace, c.SourceServiceName));
        }

        if (filter.DestinationService.Count > 0)
        {
            var p = V.Names(filter.DestinationService, "destination_service");
            parts.Add(c => c.HasDestinationService && p(c.DestinationServiceNamespace, c.DestinationServiceName));
        }

        if (filter.SourceFqdn.Count > 0)
        {
            var p = V.Fqdns(filter.SourceFqdn, "source_fqdn");
            parts.Add(c => p(c.SourceNames));
        }

        if (filter.DestinationFqdn.Count > 0)
        {
            var p = V.Fqdns(filter.DestinationFqdn, "destination_fqdn");
            parts.Add(c => p(c.DestinationNames));
        }

        if (filter.EventType.Count > 0)
        {
            var p = V.EventTypes(filter.EventType);
            parts.Add(c => c.HasEventType && p(c.EventType, c.EventSubType));
        }

        if (filter.NodeName.Count > 0)
        {
            var p = V.NodeNames(filter.NodeName);
            parts.Add(c => p(c.Node));
        }

        if (parts.Count == 0)
        {
            return;
        }

        memos.Add(MemoKind.Context);
        var all = parts.ToArray();
        into.Add(new ContextCheck(c => all.All(p => p(c)), memos.Count - 1));
    }

    private static void AddL7<T>(List<RowCheck> into, RepeatedField<T> values, Func<RepeatedField<T>, Func<L7Info, bool>> build)
    {
        if (values.Count > 0)
        {
            var p = build(values);
            into.Add(new Inline((in FlowRow r) => r.L7 is { } l7 && p(l7)));
        }
    }
}

internal enum ScalarField
{
    Verdict,
    DropReason,
    Direction,
    IpVersion,
    Reply,
}

/// <summary>An enum (or tri-state) number of the row in a set, as a lookup table.</summary>
internal sealed class ScalarCheck(ScalarField field, bool[] allowed) : RowCheck
{
    public override bool Test(in FlowRow row, ScanMemo? memo)
    {
        int v = field switch
        {
            ScalarField.Verdict => row.Verdict,
            ScalarField.DropReason => row.DropReason,
            ScalarField.Direction => row.Direction,
            ScalarField.IpVersion => row.IpVersion,
            _ => row.Reply,
        };
        return (uint)v < (uint)allowed.Length && allowed[v];
    }
}

/// <summary>A port of a TCP, UDP or SCTP flow in a set (a bitmap over all 65,536 ports).</summary>
internal sealed class PortCheck : RowCheck
{
    private readonly ulong[] _bits = new ulong[1024];
    private readonly bool _source;

    public PortCheck(HashSet<uint> ports, bool source)
    {
        _source = source;
        foreach (var p in ports)
        {
            _bits[p >> 6] |= 1UL << (int)(p & 63);
        }
    }

    public override bool Test(in FlowRow row, ScanMemo? memo)
    {
        if (row.L4Case is not (Layer4.ProtocolOneofCase.TCP or Layer4.ProtocolOneofCase.UDP or Layer4.ProtocolOneofCase.SCTP))
        {
            return false;
        }

        var p = _source ? row.SourcePort : row.DestinationPort;
        return (_bits[p >> 6] & (1UL << (p & 63))) != 0;
    }
}

/// <summary>The protocol names over the row's L4 and L7 kinds, tabulated once (both kinds take a handful of values).</summary>
internal sealed class ProtocolCheck(Func<Layer4.ProtocolOneofCase, Layer7.RecordOneofCase, bool> match) : RowCheck
{
    private static readonly Layer7.RecordOneofCase[] L7Kinds = Enum.GetValues<Layer7.RecordOneofCase>();

    private readonly bool[,] _table = Tabulate(match);

    public override bool Test(in FlowRow row, ScanMemo? memo)
    {
        var l7 = Array.IndexOf(L7Kinds, row.L7Case);
        return row.L4 < _table.GetLength(0) && l7 >= 0 ? _table[row.L4, l7] : match(row.L4Case, row.L7Case);
    }

    private static bool[,] Tabulate(Func<Layer4.ProtocolOneofCase, Layer7.RecordOneofCase, bool> match)
    {
        var l4Kinds = Enum.GetValues<Layer4.ProtocolOneofCase>();
        var table = new bool[l4Kinds.Max(k => (int)k) + 1, L7Kinds.Length];
        for (var i = 0; i < table.GetLength(0); i++)
        {
            for (var j = 0; j < L7Kinds.Length; j++)
            {
                table[i, j] = match((Layer4.ProtocolOneofCase)i, L7Kinds[j]);
            }
        }

        return table;
    }
}

/// <summary>The flow's UUID text in a set; canonical GUIDs compare as numbers.</summary>
internal sealed class UuidCheck(HashSet<string> texts) : RowCheck
{
    private readonly HashSet<Guid> _guids = texts.Select(t => Guid.TryParse(t, out var g) && g.ToString() == t ? g : (Guid?)null)
        .OfType<Guid>().ToHashSet();

    public override bool Test(in FlowRow row, ScanMemo? memo) => row.UuidText is { } text ? texts.Contains(text) : _guids.Contains(row.Uuid);
}

internal delegate bool RowTest(in FlowRow row);

/// <summary>A condition on inline fields that needs no table (TCP flags, L7 fields).</summary>
internal sealed class Inline(RowTest test) : RowCheck
{
    public override bool Test(in FlowRow row, ScanMemo? memo) => test(row);
}

/// <summary>The conditions of one filter on one endpoint, answered once per endpoint and scan.</summary>
internal sealed class EndpointCheck(bool source, Func<EndpointInfo, bool> test, bool whenAbsent, int memo) : RowCheck
{
    public override bool Test(in FlowRow row, ScanMemo? m)
    {
        var e = source ? row.Source : row.Destination;
        if (e is null)
        {
            return whenAbsent;
        }

        var cached = m?.Answer(memo, e.Slot) ?? 0;
        return cached != 0 ? cached == 2 : Remember(m, memo, e.Slot, test(e));
    }
}

/// <summary>An IP filter, answered once per address and scan; a flow without that address never matches.</summary>
internal sealed class AddressCheck(bool source, Func<string, bool> test, int memo) : RowCheck
{
    public override bool Test(in FlowRow row, ScanMemo? m)
    {
        var a = source ? row.SourceIp : row.DestinationIp;
        if (a is null)
        {
            return false;
        }

        var cached = m?.Answer(memo, a.Slot) ?? 0;
        return cached != 0 ? cached == 2 : Remember(m, memo, a.Slot, test(a.Text));
    }
}

/// <summary>The conditions of one filter on the flow's context (services, DNS names, event type, node), once per context and scan.</summary>
internal sealed class ContextCheck(Func<FlowContext, bool> test, int memo) : RowCheck
{
    public override bool Test(in FlowRow row, ScanMemo? m)
    {
        var c = row.Context;
        var cached = m?.Answer(memo, c.Slot) ?? 0;
        return cached != 0 ? cached == 2 : Remember(m, memo, c.Slot, test(c));
    }
}
