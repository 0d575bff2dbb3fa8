namespace CiliumDash.Simulator.Documents;

/// <summary>Which controllers fail on a node with the failing-controllers fault, and with what message.</summary>
internal static class ControllerFaults
{
    /// <summary>
    /// Picks 1–3 failing controllers, always including <c>ipcache-inject-labels</c> (the failure captured in
    /// cilium/cilium#22601). Returns controller name → last-failure-msg.
    /// </summary>
    /// <param name="apiServerIp">where the agents reach Kubernetes: with KPR they use k8sServiceHost directly, the
    /// control-plane node in the notes (192.168.31.100:6443), not the kubernetes Service.</param>
    public static Dictionary<string, string> Pick(IReadOnlyList<ControllerSpec> specs, Random random, string apiServerIp)
    {
        var failing = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["ipcache-inject-labels"] = "k8s cache not fully synced",
        };
        var candidates = specs
            .Select(s => (s.Name, Message: MessageFor(s.Name, apiServerIp)))
            .Where(c => c.Message is not null && !failing.ContainsKey(c.Name))
            .ToList();
        var extra = random.Next(0, 3);
        for (var i = 0; i < extra && candidates.Count > 0; i++)
        {
            var pick = random.Next(candidates.Count);
            failing[candidates[pick].Name] = candidates[pick].Message!;
            candidates.RemoveAt(pick);
        }

        return failing;
    }

    private static string? MessageFor(string name, string apiServerIp) => name switch
    {
        _ when name.StartsWith("sync-to-k8s-ciliumendpoint", StringComparison.Ordinal) =>
            $"Get \"https://{apiServerIp}:6443/apis/cilium.io/v2/namespaces/default/ciliumendpoints\": dial tcp {apiServerIp}:6443: i/o timeout",
        _ when name.StartsWith("sync-node-with-ciliumnode", StringComparison.Ordinal) =>
            "Operation cannot be fulfilled on ciliumnodes.cilium.io: the object has been modified; please apply your changes to the latest version and try again",
        _ when name.StartsWith("resolve-identity-", StringComparison.Ordinal) =>
            "unable to resolve identity: context deadline exceeded",
        "sync-lb-maps-with-k8s-services" => "Unable to add backend: cilium_lb4_backends_v2 map is full",
        "dns-garbage-collector-job" => "unable to restore DNS proxy state: open /var/run/cilium/state/ep_config.json: no such file or directory",
        _ => null,
    };
}
