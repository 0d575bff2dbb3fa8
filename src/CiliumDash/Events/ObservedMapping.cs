using k8s;
using k8s.Models;

namespace CiliumDash.Events;

/// <summary>Kubernetes objects to <see cref="Observed"/>, at the edge: nothing past here sees a Kubernetes type.</summary>
public static class ObservedMapping
{
    public const string AgentContainer = "cilium-agent";

    public static Observed? Node(V1Node n) =>
        n?.Metadata?.Name is { } name ? new Observed(name, null, name, "", At: n.Metadata.CreationTimestamp is { } c ? Utc(c) : null) : null;

    public static Observed? AgentPod(V1Pod p)
    {
        if (p?.Metadata?.Name is not { } name)
        {
            return null;
        }

        var container = p.Status?.ContainerStatuses?.FirstOrDefault(c => c.Name == AgentContainer) ?? p.Status?.ContainerStatuses?.FirstOrDefault();
        var last = container?.LastState?.Terminated;
        var detail = last is null
            ? "restarted"
            : $"{(string.IsNullOrEmpty(last.Reason) ? "terminated" : last.Reason)} (exit code {last.ExitCode})";
        return new Observed(name, p.Metadata.NamespaceProperty, p.Spec?.NodeName, "", Restarts: container?.RestartCount ?? 0, Detail: detail,
            At: last?.FinishedAt is { } f ? Utc(f) : null);
    }

    public static Observed? DaemonSet(V1DaemonSet d)
    {
        if (d?.Metadata?.Name is not { } name)
        {
            return null;
        }

        var containers = d.Spec?.Template?.Spec?.Containers;
        var image = (containers?.FirstOrDefault(c => c.Name == AgentContainer) ?? containers?.FirstOrDefault())?.Image ?? "";
        return new Observed(name, d.Metadata.NamespaceProperty, null, image, Version: VersionOf(image));
    }

    public static Observed? NetworkPolicy(V1NetworkPolicy p)
    {
        if (p?.Metadata?.Name is not { } name)
        {
            return null;
        }

        System.Text.Json.JsonElement? spec = null;
        if (p.Spec is not null)
        {
            using var doc = System.Text.Json.JsonDocument.Parse(KubernetesJson.Serialize(p.Spec));
            spec = doc.RootElement.Clone();
        }

        return new Observed(name, p.Metadata.NamespaceProperty, null, SpecFingerprint.Of(spec), Detail: "NetworkPolicy",
            At: p.Metadata.CreationTimestamp is { } c ? Utc(c) : null);
    }

    public static Observed? CiliumPolicy(CiliumPolicyObject p)
    {
        if (p?.Metadata?.Name is not { } name)
        {
            return null;
        }

        var kind = string.IsNullOrEmpty(p.Kind)
            ? (p.Metadata.NamespaceProperty is null ? "CiliumClusterwideNetworkPolicy" : "CiliumNetworkPolicy")
            : p.Kind;
        return new Observed(name, p.Metadata.NamespaceProperty, null, SpecFingerprint.Of(p.Spec, p.Specs), Detail: kind,
            At: p.Metadata.CreationTimestamp is { } c ? Utc(c) : null);
    }

    /// <summary><c>quay.io/cilium/cilium:v1.18.0@sha256:…</c> → <c>v1.18.0</c>; the whole reference when it has no tag.</summary>
    public static string VersionOf(string image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var reference = image.Split('@')[0];
        var slash = reference.LastIndexOf('/');
        var colon = reference.LastIndexOf(':');
        return colon > slash && colon < reference.Length - 1 ? reference[(colon + 1)..] : image;
    }

    private static DateTimeOffset Utc(DateTime t) => new(DateTime.SpecifyKind(t, DateTimeKind.Utc));
}
