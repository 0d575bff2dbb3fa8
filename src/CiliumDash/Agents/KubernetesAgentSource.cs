using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using CiliumDash.Configuration;
using CiliumDash.Protocols.Agent;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace CiliumDash.Agents;

/// <summary>
/// Reads agents the way cilium-cli does: lists the agent pods and Cilium's workloads, then execs the fixed status
/// commands in every running cilium-agent container. Owns <paramref name="client"/>: disposing the source disposes it.
/// </summary>
public sealed class KubernetesAgentSource(IKubernetes client, KubernetesOptions options, string target) : IAgentSource, IDisposable
{
    private static readonly (string Name, string Kind, string Selector)[] Components =
    [
        ("cilium", "DaemonSet", "k8s-app=cilium"),
        ("cilium-operator", "Deployment", "name=cilium-operator"),
        ("hubble-relay", "Deployment", "k8s-app=hubble-relay"),
        ("hubble-ui", "Deployment", "k8s-app=hubble-ui"),
        ("clustermesh-apiserver", "Deployment", "k8s-app=clustermesh-apiserver"),
    ];

    private readonly AgentExec _exec = new(client);

    /// <summary>Pods whose image has only the pre-1.15 <c>cilium</c> binary; remembered so each poll needs one exec.</summary>
    private readonly ConcurrentDictionary<string, bool> _legacyBinary = new(StringComparer.Ordinal);

    public string Target { get; } = target;

    public void Dispose() => client.Dispose();

    public async Task<AgentDiscovery> DiscoverAsync(CancellationToken ct)
    {
        var ns = options.Namespace;
        var agentPods = await client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: options.AgentSelector, cancellationToken: ct);
        var memory = await NodeMemoryAsync(ct);
        var agents = agentPods.Items
            .Where(p => !string.IsNullOrEmpty(p.Spec?.NodeName))
            .Select(p => new AgentTarget(p.Spec.NodeName, p.Metadata.Name, ContainerState(p)) { MemoryBytes = memory.GetValueOrDefault(p.Spec.NodeName) })
            .ToList();

        var components = new List<ComponentWorkload>();
        foreach (var (name, kind, selector) in Components)
        {
            components.Add(await ReadComponentAsync(ns, name, kind, selector, ct));
        }

        var allPods = await client.CoreV1.ListPodForAllNamespacesAsync(cancellationToken: ct);
        var total = allPods.Items.Count(p => p.Spec?.HostNetwork != true && p.Status?.Phase is "Running" or "Pending");
        var managed = await CountCiliumEndpointsAsync(ct);
        return new AgentDiscovery(agents, new ClusterWorkloads(components, managed, total, DateTimeOffset.UtcNow));
    }

    public async Task<AgentRead> ReadAsync(AgentTarget agent, CancellationToken ct)
    {
        byte[]? status = null;
        string? statusError = null;
        try
        {
            status = await ExecStatusAsync(agent.PodName, ct);
        }
        catch (AgentExecException ex)
        {
            statusError = ex.Message;
        }

        if (statusError is not null && await ContainerIfStoppedAsync(agent, ct) is { } stopped)
        {
            // The container stopped since discovery: say why, as a read at the next discovery would, and try nothing more.
            var reason = AgentTarget.NotRunningReason(stopped);
            return new AgentRead(null, reason, null, reason, Container: stopped);
        }

        byte[]? health = null;
        string? healthError = null;
        try
        {
            var output = await _exec.RunAsync(options.Namespace, agent.PodName, AgentCommands.AgentContainer, AgentCommands.HealthStatus,
                AgentStatusParser.MaxDocumentBytes * 4, ct);
            if (output.ExitCode == 0)
            {
                health = output.Stdout;
            }
            else
            {
                healthError = Failed(AgentCommands.HealthStatus, output);
            }
        }
        catch (AgentExecException ex)
        {
            healthError = ex.Message;
        }

        var (metrics, metricsError) = agent.WithMetrics ? await ReadMetricsAsync(agent.PodName, ct) : (null, null);
        return new AgentRead(status, statusError, health, healthError, metrics, metricsError);
    }

    /// <summary>
    /// Each node's memory (<c>status.capacity.memory</c>), which dynamic BPF map sizing follows. Nodes that cannot be
    /// listed (no RBAC for them) only mean the sizes are judged without the memory, never a failed discovery.
    /// </summary>
    private async Task<Dictionary<string, long?>> NodeMemoryAsync(CancellationToken ct)
    {
        try
        {
            var nodes = await client.CoreV1.ListNodeAsync(cancellationToken: ct);
            return nodes.Items
                .Where(n => n.Metadata?.Name is not null)
                .GroupBy(n => n.Metadata.Name, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => Bytes(g.First().Status?.Capacity), StringComparer.Ordinal);
        }
        catch (Exception ex) when (ex is HttpOperationException or HttpRequestException or IOException or JsonException)
        {
            return new Dictionary<string, long?>(StringComparer.Ordinal);
        }
    }

    private static long? Bytes(IDictionary<string, ResourceQuantity>? capacity)
    {
        if (capacity is null || !capacity.TryGetValue("memory", out var quantity) || quantity is null)
        {
            return null;
        }

        try
        {
            var bytes = quantity.ToInt64();
            return bytes > 0 ? bytes : null;
        }
        catch (Exception ex) when (ex is FormatException or OverflowException or ArgumentException)
        {
            return null;   // a malformed quantity: judged without the memory
        }
    }

    /// <summary>The agent container's state when it is no longer running; null when it runs or the pod cannot be read.</summary>
    private async Task<AgentContainerState?> ContainerIfStoppedAsync(AgentTarget agent, CancellationToken ct)
    {
        try
        {
            var pod = await client.CoreV1.ReadNamespacedPodAsync(agent.PodName, options.Namespace, cancellationToken: ct);
            return ContainerState(pod) is { Running: false } state ? state : null;
        }
        catch (Exception ex) when (ex is HttpOperationException or HttpRequestException or IOException)
        {
            return null;   // the exec's own error stands
        }
    }

    /// <summary>The metrics list; any failure only means "map pressure not available" for this node, never a node error.</summary>
    private async Task<(byte[]? Metrics, string? Error)> ReadMetricsAsync(string pod, CancellationToken ct)
    {
        var command = _legacyBinary.ContainsKey(pod) ? AgentCommands.MetricsLegacy : AgentCommands.Metrics;
        try
        {
            ExecOutput output;
            try
            {
                output = await _exec.RunAsync(options.Namespace, pod, AgentCommands.AgentContainer, command, MapPressureParser.MaxDocumentBytes, ct);
            }
            catch (AgentExecException ex) when (ex.BinaryMissing && command == AgentCommands.Metrics)
            {
                _legacyBinary[pod] = true;
                command = AgentCommands.MetricsLegacy;
                output = await _exec.RunAsync(options.Namespace, pod, AgentCommands.AgentContainer, command, MapPressureParser.MaxDocumentBytes, ct);
            }

            return output.ExitCode == 0 ? (output.Stdout, null) : (null, Failed(command, output));
        }
        catch (AgentExecException ex)
        {
            return (null, ex.Message);
        }
    }

    private async Task<byte[]> ExecStatusAsync(string pod, CancellationToken ct)
    {
        var command = _legacyBinary.ContainsKey(pod) ? AgentCommands.StatusLegacy : AgentCommands.Status;
        ExecOutput output;
        try
        {
            output = await _exec.RunAsync(options.Namespace, pod, AgentCommands.AgentContainer, command, AgentStatusParser.MaxDocumentBytes, ct);
        }
        catch (AgentExecException ex) when (ex.BinaryMissing && command == AgentCommands.Status)
        {
            // Agents before 1.15 ship the binary under its old name.
            _legacyBinary[pod] = true;
            command = AgentCommands.StatusLegacy;
            output = await _exec.RunAsync(options.Namespace, pod, AgentCommands.AgentContainer, command, AgentStatusParser.MaxDocumentBytes, ct);
        }

        return output.ExitCode == 0 ? output.Stdout : throw new AgentExecException(Failed(command, output));
    }

    private static string Failed(IReadOnlyList<string> command, ExecOutput output) =>
        $"'{string.Join(' ', command)}' exited with code {output.ExitCode}" + (output.Stderr.Length > 0 ? $": {output.Stderr.Split('\n')[0]}" : "");

    private async Task<ComponentWorkload> ReadComponentAsync(string ns, string name, string kind, string selector, CancellationToken ct)
    {
        int desired, ready, available, unavailable, updated;
        bool rolloutStarted;
        try
        {
            if (kind == "DaemonSet")
            {
                var ds = await client.AppsV1.ReadNamespacedDaemonSetAsync(name, ns, cancellationToken: ct);
                var s = ds.Status;
                (desired, ready, available, unavailable, updated) = (s?.DesiredNumberScheduled ?? 0, s?.NumberReady ?? 0, s?.NumberAvailable ?? 0, s?.NumberUnavailable ?? 0, s?.UpdatedNumberScheduled ?? 0);
                rolloutStarted = s?.ObservedGeneration is null || s.ObservedGeneration == ds.Metadata.Generation;
            }
            else
            {
                var d = await client.AppsV1.ReadNamespacedDeploymentAsync(name, ns, cancellationToken: ct);
                var s = d.Status;
                (desired, ready, available, unavailable, updated) = (d.Spec?.Replicas ?? s?.Replicas ?? 0, s?.ReadyReplicas ?? 0, s?.AvailableReplicas ?? 0, s?.UnavailableReplicas ?? 0, s?.UpdatedReplicas ?? 0);
                rolloutStarted = s?.ObservedGeneration is null || s.ObservedGeneration == d.Metadata.Generation;
            }
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return new ComponentWorkload(name, kind, false, 0, 0, 0, 0, 0, true, new Dictionary<string, int>(), new Dictionary<string, int>());
        }

        var pods = await client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: selector, cancellationToken: ct);
        var phases = pods.Items.GroupBy(p => p.Status?.Phase ?? "Unknown").ToDictionary(g => g.Key, g => g.Count());
        var images = pods.Items.SelectMany(p => p.Spec?.Containers ?? []).GroupBy(c => c.Image ?? "").ToDictionary(g => g.Key, g => g.Count());
        return new ComponentWorkload(name, kind, true, desired, ready, available, unavailable, updated, rolloutStarted, phases, images);
    }

    private async Task<int> CountCiliumEndpointsAsync(CancellationToken ct)
    {
        try
        {
            var list = await client.CustomObjects.ListClusterCustomObjectAsync("cilium.io", "v2", "ciliumendpoints", cancellationToken: ct);
            return list is JsonElement { ValueKind: JsonValueKind.Object } e && e.TryGetProperty("items", out var items) ? items.GetArrayLength() : 0;
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return 0;   // as cilium-cli: no CiliumEndpoint CRD means no managed pods counted
        }
    }

    private static AgentContainerState ContainerState(V1Pod pod)
    {
        var cs = pod.Status?.ContainerStatuses?.FirstOrDefault(c => c.Name == AgentCommands.AgentContainer);
        var phase = pod.Status?.Phase ?? "Unknown";
        if (cs is null)
        {
            return new AgentContainerState(phase, false, false, phase == "Pending" ? "Pending" : null, null, null, 0);
        }

        var terminated = cs.LastState?.Terminated ?? cs.State?.Terminated;
        return new AgentContainerState(phase, cs.State?.Running is not null, cs.Ready, cs.State?.Waiting?.Reason ?? cs.State?.Terminated?.Reason,
            terminated?.ExitCode, cs.State?.Waiting?.Message ?? terminated?.Message, cs.RestartCount);
    }
}
