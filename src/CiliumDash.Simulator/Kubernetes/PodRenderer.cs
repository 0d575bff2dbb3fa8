using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CiliumDash.Simulator.Cluster;

namespace CiliumDash.Simulator.Kubernetes;

/// <summary>Renders a <see cref="SimPod"/> as a core/v1 Pod, including the CrashLoopBackOff fault of an agent.</summary>
internal static class PodRenderer
{
    /// <summary>Restarts shown for a crash-looping agent; any non-zero count reads as "it keeps dying".</summary>
    private const int CrashLoopRestarts = 5;

    /// <param name="restart">the agent container's last restart (<see cref="ClusterChanges.RestartAgent"/>); null = never restarted.</param>
    public static byte[] Render(SimPod pod, SimNode node, bool crashLooping, string resourceVersion, DateTimeOffset clusterStart, DateTimeOffset now, AgentRestart? restart = null)
    {
        var created = clusterStart - (pod.OwnerKind == "DaemonSet" ? TimeSpan.FromHours(3) : TimeSpan.FromHours(2) + TimeSpan.FromMinutes(50));
        var started = created + TimeSpan.FromSeconds(20);
        var uid = KubeJson.Uid("Pod", pod.Namespace, pod.Name);
        return KubeJson.Render(w =>
        {
            w.WriteStartObject();
            w.WriteString("kind", "Pod");
            w.WriteString("apiVersion", "v1");
            var owner = pod.OwnerKind is { } kind && pod.OwnerName is { } ownerName ? ("apps/v1", kind, ownerName) : ((string, string, string)?)null;
            KubeJson.WriteMetadata(w, "Pod", pod.Namespace, pod.Name, resourceVersion, created, pod.Labels, owner: owner);

            w.WriteStartObject("spec");
            w.WriteStartArray("containers");
            w.WriteStartObject();
            w.WriteString("name", pod.Container);
            w.WriteString("image", pod.Image);
            w.WriteString("imagePullPolicy", "IfNotPresent");
            w.WriteString("terminationMessagePolicy", "FallbackToLogsOnError");
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteString("restartPolicy", "Always");
            w.WriteString("dnsPolicy", pod.HostNetwork ? "ClusterFirstWithHostNet" : "ClusterFirst");
            w.WriteString("serviceAccountName", pod.WorkloadName);
            w.WriteString("nodeName", pod.NodeName);
            if (pod.HostNetwork)
            {
                w.WriteBoolean("hostNetwork", true);
            }

            w.WriteString("schedulerName", "default-scheduler");
            w.WriteEndObject();

            w.WriteStartObject("status");
            w.WriteString("phase", "Running");
            WriteConditions(w, pod.Container, ready: !crashLooping, created, started, now);
            w.WriteString("hostIP", node.InternalIp);
            WriteIps(w, "hostIPs", node.InternalIp);
            w.WriteString("podIP", pod.Ip);
            WriteIps(w, "podIPs", pod.Ip);
            w.WriteString("startTime", KubeJson.Time(created));
            w.WriteStartArray("containerStatuses");
            WriteContainerStatus(w, pod, uid, crashLooping, restart is { } r && !crashLooping ? r.At : started, now, restart);
            w.WriteEndArray();
            w.WriteString("qosClass", "Burstable");
            w.WriteEndObject();
            w.WriteEndObject();
        });
    }

    private static void WriteContainerStatus(Utf8JsonWriter w, SimPod pod, string uid, bool crashLooping, DateTimeOffset started, DateTimeOffset now, AgentRestart? restart)
    {
        var restarts = (crashLooping ? CrashLoopRestarts : 0) + (restart?.Count ?? 0);
        var containerId = "containerd://" + Hex($"{uid}/{pod.Container}/{restarts}");
        w.WriteStartObject();
        w.WriteString("name", pod.Container);
        w.WriteStartObject("state");
        if (crashLooping)
        {
            w.WriteStartObject("waiting");
            w.WriteString("reason", "CrashLoopBackOff");
            w.WriteString("message", $"back-off 5m0s restarting failed container={pod.Container} pod={pod.Name}_{pod.Namespace}({uid})");
            w.WriteEndObject();
        }
        else
        {
            w.WriteStartObject("running");
            w.WriteString("startedAt", KubeJson.Time(started));
            w.WriteEndObject();
        }

        w.WriteEndObject();
        w.WriteStartObject("lastState");
        if (crashLooping)
        {
            w.WriteStartObject("terminated");
            w.WriteNumber("exitCode", 1);
            w.WriteString("reason", "Error");
            w.WriteString("message", "level=fatal msg=\"Error while creating daemon\" error=\"failed to start the agent's datapath: exit status 1\" subsys=daemon");
            w.WriteString("startedAt", KubeJson.Time(now - TimeSpan.FromSeconds(45)));
            w.WriteString("finishedAt", KubeJson.Time(now - TimeSpan.FromSeconds(15)));
            w.WriteString("containerID", containerId);
            w.WriteEndObject();
        }
        else if (restart is { } r)
        {
            w.WriteStartObject("terminated");
            w.WriteNumber("exitCode", r.ExitCode);
            w.WriteString("reason", r.Reason);
            w.WriteString("startedAt", KubeJson.Time(r.At - TimeSpan.FromMinutes(30)));
            w.WriteString("finishedAt", KubeJson.Time(r.At));
            w.WriteString("containerID", "containerd://" + Hex($"{uid}/{pod.Container}/{restarts - 1}"));
            w.WriteEndObject();
        }

        w.WriteEndObject();
        w.WriteBoolean("ready", !crashLooping);
        w.WriteNumber("restartCount", restarts);
        w.WriteString("image", pod.Image);
        w.WriteString("imageID", $"{pod.Image[..pod.Image.LastIndexOf(':')]}@sha256:{Hex(pod.Image)}");
        w.WriteString("containerID", containerId);
        w.WriteBoolean("started", !crashLooping);
        w.WriteEndObject();
    }

    private static void WriteConditions(Utf8JsonWriter w, string container, bool ready, DateTimeOffset created, DateTimeOffset started, DateTimeOffset now)
    {
        w.WriteStartArray("conditions");
        Condition("PodReadyToStartContainers", true, started);
        Condition("Initialized", true, started);
        Condition("Ready", ready, ready ? started : now);
        Condition("ContainersReady", ready, ready ? started : now);
        Condition("PodScheduled", true, created);
        w.WriteEndArray();

        void Condition(string type, bool status, DateTimeOffset at)
        {
            w.WriteStartObject();
            w.WriteString("type", type);
            w.WriteString("status", status ? "True" : "False");
            w.WriteString("lastTransitionTime", KubeJson.Time(at));
            if (!status)
            {
                w.WriteString("reason", "ContainersNotReady");
                w.WriteString("message", $"containers with unready status: [{container}]");
            }

            w.WriteEndObject();
        }
    }

    private static void WriteIps(Utf8JsonWriter w, string property, string ip)
    {
        w.WriteStartArray(property);
        w.WriteStartObject();
        w.WriteString("ip", ip);
        w.WriteEndObject();
        w.WriteEndArray();
    }

    private static string Hex(string seed) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(seed)));
}
