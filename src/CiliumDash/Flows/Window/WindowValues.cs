namespace CiliumDash.Flows.Window;

/// <summary>
/// A value shared by the rows of a window: an endpoint, an address, a flow's context. <see cref="Slot"/> is its index in
/// its <see cref="InternTable{TKey, TValue}"/>: dense and reused only once no row holds the value, so a scan can cache
/// a filter's answer per value in an array indexed by slot. Immutable once a row points at it.
/// </summary>
internal abstract class Interned
{
    public int Slot { get; set; }
}

/// <summary>One workload of an endpoint (a Deployment, a DaemonSet...).</summary>
internal readonly record struct WorkloadName(string Kind, string Name);

/// <summary>A flow's source or destination endpoint, with its protobuf bytes (kept once per endpoint) for export.</summary>
internal sealed class EndpointInfo : Interned
{
    public required uint Identity { get; init; }

    /// <summary>The agent's endpoint ID; Hubble sets it only for endpoints local to the node that observed the flow.</summary>
    public uint EndpointId { get; init; }

    public required string ClusterName { get; init; }

    public required string Namespace { get; init; }

    public required string PodName { get; init; }

    public required string[] Labels { get; init; }

    public required WorkloadName[] Workloads { get; init; }

    /// <summary>The endpoint message as Hubble sent it (after redaction), merged back into a flow on export.</summary>
    public required byte[] Wire { get; init; }

    /// <summary>The first workload's name, as the table shows it.</summary>
    public string Workload => Workloads.Length > 0 ? Workloads[0].Name : "";

    /// <summary>The first <c>reserved:</c> label (world, host, remote-node...), for endpoints that are not pods.</summary>
    public string? ReservedLabel { get; init; }
}

/// <summary>An interned string that filters look at: an IP address.</summary>
internal sealed class Address : Interned
{
    public required string Text { get; init; }
}

/// <summary>
/// What many flows have in common beyond their endpoints: everything of the message but time, UUID, endpoints, IP, L4
/// and the L7 record (with its summary). Filters read the node, the services, the DNS names and the event type; the
/// bytes keep the rest (verdict, policies, interface...) for export. Few distinct values in a cluster.
/// </summary>
internal sealed class FlowContext : Interned
{
    public required string Node { get; init; }

    /// <summary>Whether the flow had a service message at all (Hubble's service filters skip flows without one).</summary>
    public required bool HasSourceService { get; init; }

    public required string SourceServiceNamespace { get; init; }

    public required string SourceServiceName { get; init; }

    public required bool HasDestinationService { get; init; }

    public required string DestinationServiceNamespace { get; init; }

    public required string DestinationServiceName { get; init; }

    public required string[] SourceNames { get; init; }

    public required string[] DestinationNames { get; init; }

    /// <summary>False when the flow had no event type message.</summary>
    public required bool HasEventType { get; init; }

    public required int EventType { get; init; }

    public required int EventSubType { get; init; }

    /// <summary>Hubble's summary of a flow without an L7 record ("TCP Flags: SYN"); empty for L7 flows.</summary>
    public required string Summary { get; init; }

    /// <summary>The policies Hubble names as allowing or denying the flow (egress/ingress allowed_by and denied_by).</summary>
    public PolicyRef[] Policies { get; init; } = [];

    /// <summary>These fields and the rest of the flows' shared part (verdict, policies, interface...) as protobuf bytes.</summary>
    public required byte[] Wire { get; init; }

    public string SourceService => Service(SourceServiceNamespace, SourceServiceName);

    public string DestinationService => Service(DestinationServiceNamespace, DestinationServiceName);

    private static string Service(string ns, string name) => name.Length == 0 ? "" : $"{ns}/{name}";
}

/// <summary>The L7 record of one flow, as far as filters, the table and the summary need it (the rest is in the bytes).</summary>
internal sealed class L7Info
{
    public required CiliumDash.Protocols.Hubble.Layer7.RecordOneofCase Kind { get; init; }

    public required CiliumDash.Protocols.Hubble.L7FlowType Type { get; init; }

    public required ulong LatencyNs { get; init; }

    public uint HttpCode { get; init; }

    public string HttpMethod { get; init; } = "";

    public string HttpUrl { get; init; } = "";

    public string HttpProtocol { get; init; } = "";

    public string DnsQuery { get; init; } = "";

    public string[] DnsQtypes { get; init; } = [];

    public string[] DnsIps { get; init; } = [];

    public uint DnsRcode { get; init; }

    public uint DnsTtl { get; init; }

    public string DnsObservationSource { get; init; } = "";

    /// <summary>Hubble's summary text, for L7 kinds the dashboard does not word itself (Kafka).</summary>
    public string Summary { get; init; } = "";
}

/// <summary>A network policy a flow names, with the direction and whether it allowed or denied (a few per context).</summary>
internal sealed record PolicyRef(string Name, string Namespace, string Kind, bool Egress, bool Denied);
