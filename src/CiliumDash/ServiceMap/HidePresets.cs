namespace CiliumDash.ServiceMap;

/// <summary>
/// The "noise" presets of the map's hide list: peers most maps are better without when looking for an application's
/// traffic. A preset is data (name, what it hides, which peers); <c>hide=</c> also takes any node id.
/// </summary>
public static class HidePresets
{
    public static readonly IReadOnlyList<HidePreset> All =
    [
        new("kube-dns", "cluster DNS (CoreDNS / kube-dns in kube-system)", p => p.Namespace == "kube-system"
            && (p.Name is "coredns" or "kube-dns" || p.Labels.GetValueOrDefault("k8s-app") == "kube-dns")),
        new("prometheus", "Prometheus and its exporters (scrape traffic)", p => p.Name.Contains("prometheus", StringComparison.OrdinalIgnoreCase)
            || p.Labels.GetValueOrDefault("app.kubernetes.io/name", "").StartsWith("prometheus", StringComparison.OrdinalIgnoreCase)
            || p.Labels.GetValueOrDefault("app") == "prometheus"),
        new("health", "cilium-health probes (reserved:health)", p => p.Id == "reserved:health"),
        new("host", "the nodes themselves (reserved:host, reserved:remote-node)", p => p.Id is "reserved:host" or "reserved:remote-node"),
        new("kube-apiserver", "the Kubernetes API server", p => p.Id == "reserved:kube-apiserver"),
        new("world", "everything outside the cluster (world, DNS names, CIDRs)", p => p.Id == "reserved:world" || p.Kind == MapNodeKinds.External),
        new("kube-system", "every workload in kube-system", p => p.Namespace == "kube-system"),
    ];

    public static HidePreset? Find(string name) => All.FirstOrDefault(p => p.Name == name);

    /// <summary>Whether the hide list removes this peer: a preset that matches it, its id, or its namespace's node id.</summary>
    public static bool Hides(IReadOnlySet<string> hide, MapPeer peer)
    {
        if (hide.Count == 0)
        {
            return false;
        }

        if (hide.Contains(peer.Id) || (peer.Namespace.Length > 0 && hide.Contains(MapProjection.NamespaceId(peer.Namespace))))
        {
            return true;
        }

        foreach (var preset in All)
        {
            if (hide.Contains(preset.Name) && preset.Matches(peer))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>One preset of <see cref="HidePresets"/>.</summary>
public sealed record HidePreset(string Name, string Description, Func<MapPeer, bool> Matches);
