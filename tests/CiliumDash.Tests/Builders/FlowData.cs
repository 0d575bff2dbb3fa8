using CiliumDash.Flows;
using CiliumDash.Protocols.Hubble;
using CiliumDash.Protocols.Hubble.ObserverApi;
using Google.Protobuf.WellKnownTypes;

namespace CiliumDash.Tests.Builders;

/// <summary>Hubble flows for store, filter and page tests: a TCP flow default/frontend → shop/cart:8080 unless told otherwise.</summary>
internal static class FlowData
{
    private static readonly DateTimeOffset Start = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);

    public static Flow Flow(
        int sequence = 0,
        string? uuid = null,
        string node = "fedora",
        string verdict = "FORWARDED",
        string? dropReason = null,
        string sourceNamespace = "default",
        string sourcePod = "frontend-7d4b9c6f5-x2x9k",
        string destinationNamespace = "shop",
        string destinationPod = "cart-5c7d9f8b6-abcde",
        string[]? sourceLabels = null,
        string sourceIp = "10.0.0.10",
        string destinationIp = "10.0.1.20",
        uint destinationPort = 8080,
        string summary = "TCP Flags: SYN",
        DateTimeOffset? time = null,
        Layer7? l7 = null,
        bool udp = false,
        int eventType = 4,
        string[]? destinationNames = null)
    {
        var flow = new Flow
        {
            Time = Timestamp.FromDateTimeOffset(time ?? Start.AddMilliseconds(sequence)),
            Uuid = uuid ?? $"00000000-0000-4000-8000-{sequence:D12}",
            NodeName = node,
            Verdict = System.Enum.GetValues<Verdict>().Single(v => CiliumDash.Flows.FlowMapper.Name(v) == verdict),
            DropReasonDesc = dropReason is null ? DropReason.Unknown : System.Enum.GetValues<DropReason>().Single(v => CiliumDash.Flows.FlowMapper.Name(v) == dropReason),
            IP = new IP { Source = sourceIp, Destination = destinationIp, IpVersion = IPVersion.Ipv4 },
            L4 = udp
                ? new Layer4 { UDP = new UDP { SourcePort = 41234, DestinationPort = destinationPort } }
                : new Layer4 { TCP = new TCP { SourcePort = 41234, DestinationPort = destinationPort, Flags = new TCPFlags { SYN = true } } },
            Source = Endpoint(sourceNamespace, sourcePod, 10004, sourceLabels ?? ["k8s:app=frontend"]),
            Destination = Endpoint(destinationNamespace, destinationPod, 10008, ["k8s:app=cart"]),
            DestinationService = new Service { Namespace = "shop", Name = "cart" },
            Type = l7 is null ? FlowType.L3L4 : FlowType.L7,
            TrafficDirection = TrafficDirection.Egress,
            IsReply = false,
            EventType = new CiliumEventType { Type = eventType },
            L7 = l7,
            Summary = summary,
        };
        flow.DestinationNames.Add(destinationNames ?? []);
        return flow;
    }

    /// <summary>
    /// Takes the flow into the window the way the relay reader does (<see cref="FlowStore.Stage"/> then
    /// <see cref="FlowStore.Commit"/>: redaction, encoding, one change notification). The message is taken apart.
    /// </summary>
    public static void Add(this FlowStore store, Flow flow, string envelopeNode = "", Timestamp? envelopeTime = null)
    {
        store.Stage(new GetFlowsResponse { Flow = flow, NodeName = envelopeNode, Time = envelopeTime });
        store.Commit();
    }

    /// <summary>The record the window shows for this response (ingested alone into a fresh store).</summary>
    public static FlowRecord Record(GetFlowsResponse response, FlowRedactor? redactor = null)
    {
        using var store = new FlowStore(TimeProvider.System, 10, redactor);
        store.Stage(response);
        store.Commit();
        return store.Query(CiliumDash.Flows.Query.FlowQuery.Empty, 0, 1).Rows.Single();
    }

    public static FlowRecord Record(Flow flow, string envelopeNode = "", Timestamp? envelopeTime = null) =>
        Record(new GetFlowsResponse { Flow = flow, NodeName = envelopeNode, Time = envelopeTime });

    public static Layer7 Http(string method = "GET", string url = "http://cart.shop/api/items", uint code = 200) =>
        new() { Type = L7FlowType.Response, LatencyNs = 2_000_000, Http = new HTTP { Method = method, Url = url, Code = code, Protocol = "HTTP/1.1" } };

    public static Layer7 Dns(string query = "cart.shop.svc.cluster.local.") =>
        new() { Type = L7FlowType.Request, Dns = new DNS { Query = query, Qtypes = { "A" } } };

    /// <summary>The workload is the pod name up to its first dash, as for a Deployment's pods.</summary>
    private static Endpoint Endpoint(string ns, string pod, uint identity, string[] labels)
    {
        var e = new Endpoint { Namespace = ns, PodName = pod, Identity = identity };
        e.Labels.Add(labels);
        if (pod.Length > 0)
        {
            e.Workloads.Add(new Workload { Name = pod.Split('-')[0], Kind = "Deployment" });
        }

        return e;
    }
}
