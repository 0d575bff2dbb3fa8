using System.Text.Json;
using CiliumDash.Simulator.Cluster;

namespace CiliumDash.Simulator.Kubernetes;

/// <summary>Renders Cilium's apps/v1 DaemonSet and Deployments with status counts derived from the faults.</summary>
internal static class WorkloadRenderer
{
    private const long Generation = 1;

    /// <param name="notReady">how many of the workload's pods are not ready (crash-looping agents).</param>
    public static byte[] Render(SimWorkload workload, string image, string? replicaSet, int notReady, string resourceVersion, DateTimeOffset created) => KubeJson.Render(w =>
    {
        var isDaemonSet = workload.Kind == "DaemonSet";
        var ready = Math.Max(0, workload.Desired - notReady);
        w.WriteStartObject();
        w.WriteString("kind", workload.Kind);
        w.WriteString("apiVersion", "apps/v1");
        var labels = new Dictionary<string, string>(workload.Selector, StringComparer.Ordinal) { ["app.kubernetes.io/part-of"] = "cilium" };
        KubeJson.WriteMetadata(w, workload.Kind, workload.Namespace, workload.Name, resourceVersion, created, labels, Generation);

        w.WriteStartObject("spec");
        if (!isDaemonSet)
        {
            w.WriteNumber("replicas", workload.Desired);
        }

        w.WriteStartObject("selector");
        KubeJson.WriteStringMap(w, "matchLabels", workload.Selector);
        w.WriteEndObject();
        w.WriteStartObject("template");
        w.WriteStartObject("metadata");
        KubeJson.WriteStringMap(w, "labels", workload.Selector);
        w.WriteEndObject();
        w.WriteStartObject("spec");
        w.WriteStartArray("containers");
        w.WriteStartObject();
        w.WriteString("name", isDaemonSet ? "cilium-agent" : workload.Name);
        w.WriteString("image", image);
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteStartObject(isDaemonSet ? "updateStrategy" : "strategy");
        w.WriteString("type", "RollingUpdate");
        w.WriteEndObject();
        w.WriteEndObject();

        w.WriteStartObject("status");
        if (isDaemonSet)
        {
            w.WriteNumber("currentNumberScheduled", workload.Desired);
            w.WriteNumber("numberMisscheduled", 0);
            w.WriteNumber("desiredNumberScheduled", workload.Desired);
            w.WriteNumber("numberReady", ready);
            w.WriteNumber("observedGeneration", Generation);
            w.WriteNumber("updatedNumberScheduled", workload.Desired);
            NonZero(w, "numberAvailable", ready);
            NonZero(w, "numberUnavailable", workload.Desired - ready);
        }
        else
        {
            w.WriteNumber("observedGeneration", Generation);
            w.WriteNumber("replicas", workload.Desired);
            w.WriteNumber("updatedReplicas", workload.Desired);
            NonZero(w, "readyReplicas", ready);
            NonZero(w, "availableReplicas", ready);
            NonZero(w, "unavailableReplicas", workload.Desired - ready);
            WriteDeploymentConditions(w, replicaSet ?? workload.Name, available: ready > 0, created);
        }

        w.WriteEndObject();
        w.WriteEndObject();
    });

    /// <summary>The API server omits these (omitempty) when zero.</summary>
    private static void NonZero(Utf8JsonWriter w, string property, int value)
    {
        if (value != 0)
        {
            w.WriteNumber(property, value);
        }
    }

    private static void WriteDeploymentConditions(Utf8JsonWriter w, string replicaSet, bool available, DateTimeOffset created)
    {
        var at = KubeJson.Time(created);
        w.WriteStartArray("conditions");
        w.WriteStartObject();
        w.WriteString("type", "Available");
        w.WriteString("status", available ? "True" : "False");
        w.WriteString("lastUpdateTime", at);
        w.WriteString("lastTransitionTime", at);
        w.WriteString("reason", available ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable");
        w.WriteString("message", available ? "Deployment has minimum availability." : "Deployment does not have minimum availability.");
        w.WriteEndObject();
        w.WriteStartObject();
        w.WriteString("type", "Progressing");
        w.WriteString("status", "True");
        w.WriteString("lastUpdateTime", at);
        w.WriteString("lastTransitionTime", at);
        w.WriteString("reason", "NewReplicaSetAvailable");
        w.WriteString("message", $"ReplicaSet \"{replicaSet}\" has successfully progressed.");
        w.WriteEndObject();
        w.WriteEndArray();
    }
}
