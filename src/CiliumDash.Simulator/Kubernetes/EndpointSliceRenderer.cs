using CiliumDash.Simulator.Cluster;

namespace CiliumDash.Simulator.Kubernetes;

/// <summary>
/// The discovery.k8s.io/v1 EndpointSlice of hubble-relay's Service, as the EndpointSlice controller writes it: the relay
/// pod's address, Ready unless the relay-down fault says the relay is restarting.
/// </summary>
internal static class EndpointSliceRenderer
{
    public const string RelayService = "hubble-relay";

    public static byte[] Render(SimPod relay, bool ready, string name, string resourceVersion, DateTimeOffset created) => KubeJson.Render(w =>
    {
        w.WriteStartObject();
        w.WriteString("kind", "EndpointSlice");
        w.WriteString("apiVersion", "discovery.k8s.io/v1");
        var labels = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["kubernetes.io/service-name"] = RelayService,
            ["endpointslice.kubernetes.io/managed-by"] = "endpointslice-controller.k8s.io",
        };
        KubeJson.WriteMetadata(w, "EndpointSlice", relay.Namespace, name, resourceVersion, created, labels, owner: ("v1", "Service", RelayService));
        w.WriteString("addressType", "IPv4");
        w.WriteStartArray("endpoints");
        w.WriteStartObject();
        w.WriteStartArray("addresses");
        w.WriteStringValue(relay.Ip);
        w.WriteEndArray();
        w.WriteStartObject("conditions");
        w.WriteBoolean("ready", ready);
        w.WriteBoolean("serving", ready);
        w.WriteBoolean("terminating", !ready);
        w.WriteEndObject();
        w.WriteString("nodeName", relay.NodeName);
        w.WriteStartObject("targetRef");
        w.WriteString("kind", "Pod");
        w.WriteString("namespace", relay.Namespace);
        w.WriteString("name", relay.Name);
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteStartArray("ports");
        w.WriteStartObject();
        w.WriteString("name", "grpc");
        w.WriteNumber("port", 4245);
        w.WriteString("protocol", "TCP");
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();
    });
}
