namespace CiliumDash.Findings;

/// <summary>A known cause for findings of one kind that <see cref="Matches"/>: what an experienced engineer checks first.</summary>
public sealed record Hint(string Kind, Func<FindingDraft, bool> Matches, string Text);

/// <summary>
/// The hint table: the first row whose kind and matcher fit a finding gives its hint. Add rows here, specific ones
/// before general ones of the same kind.
/// </summary>
public static class Hints
{
    /// <summary>Why XDP acceleration is off or differs: the node page shows it beside a disabled XDP too.</summary>
    public const string XdpAcceleration =
        "XDP acceleration needs native XDP in the NIC driver. Check the driver with `ethtool -i <device>` and the agent log's XDP message. " +
        "virtio_net (KVM, many clouds) attaches XDP only when the VM gives the NIC enough queue pairs (about twice the vCPUs: the kernel says \"Too few free TX rings available\") " +
        "and the guest offloads are off (\"can't set XDP while host is implementing GRO_HW/CSUM\": `ethtool -K <device> gro off lro off`, or guest_tso4/guest_tso6/guest_csum off in the VM's NIC config). " +
        "The mode is set with loadBalancer.acceleration (Helm) or bpf-lb-acceleration (agent flag).";

    public static readonly IReadOnlyList<Hint> Table =
    [
        new(FindingKinds.EndpointUnreachable, _ => true,
            "The node answers on its host address but its cilium-health endpoint does not, so pod traffic to that node fails while node traffic works. " +
            "Check: (1) BPF host routing on cloud VMs — on EC2 and similar, pod IPs must be routable in the VPC; try bpf.hostLegacyRouting=true (agent flag enable-host-legacy-routing) or verify the routes/ENI setup; " +
            "(2) security groups or firewalls between the nodes must allow TCP 4240 (cilium-health) and ICMP to and from the pod CIDRs, not just the node IPs; " +
            "(3) the health endpoint itself: `kubectl -n kube-system exec <cilium pod on that node> -- cilium-dbg endpoint list` should show reserved:health ready, and `cilium-dbg status --verbose` its controllers (cilium-health-ep)."),
        new(FindingKinds.HostUnreachable, _ => true,
            "Peers reach the health endpoint but not the node's host address: a host firewall (Cilium's host firewall policies or iptables on the node) or a security group is dropping TCP 4240 / ICMP to the node IP. Check `cilium-dbg status` Host firewall and the CiliumClusterwideNetworkPolicies with a nodeSelector."),
        new(FindingKinds.NodeUnreachable, _ => true,
            "Neither the host nor the health endpoint answers: the node is down, partitioned, or its agent is not running. Check `kubectl get node`, the agent pod, and the underlay (routes, MTU, security groups for TCP 4240 and ICMP)."),
        new(FindingKinds.ProbeFailing, d => d.Subject.Path is "endpoint-icmp" or "endpoint-http",
            "Only this pair fails to the health endpoint: look at the path between the two nodes (routes to the peer's pod CIDR, security groups for TCP 4240 and ICMP between pod CIDRs), and at the reporting node's own datapath."),
        new(FindingKinds.ProbeFailing, _ => true,
            "Only this pair fails: check the underlay between the two nodes (routes, MTU, firewalls for TCP 4240 and ICMP); `cilium-health status --probe` on the reporting node re-runs the probes now."),
        new(FindingKinds.RttDegraded, _ => true,
            "RTT well above this path's own baseline: look for a saturated or lossy link, CPU pressure on either node (softirq), or a changed route (`cilium-health status --probe` shows the live values)."),
        new(FindingKinds.MapPressure, d => Map(d, "_ct"),
            "Connection tracking map nearly full: new connections are dropped (drop reason CT_MAP_INSERTION_FAILED). Raise bpf-ct-global-tcp-max / bpf-ct-global-any-max (Helm bpf.ctTcpMax / bpf.ctAnyMax) or the share of memory for dynamic sizing, bpf-map-dynamic-size-ratio (Helm bpf.mapDynamicSizeRatio); check for connection leaks first."),
        new(FindingKinds.MapPressure, d => Map(d, "lb"),
            "Load-balancer map nearly full: new services or backends are not programmed. Raise bpf-lb-map-max (Helm bpf.lbMapMax)."),
        new(FindingKinds.MapPressure, d => Map(d, "snat") || Map(d, "nat"),
            "NAT map nearly full: SNAT of new connections fails. Raise bpf-nat-global-max (Helm bpf.natMax) or bpf-map-dynamic-size-ratio (Helm bpf.mapDynamicSizeRatio); the NAT size may not exceed 2/3 of the CT sizes combined."),
        new(FindingKinds.MapPressure, d => Map(d, "neigh"),
            "Neighbor map nearly full: raise bpf-neigh-global-max (Helm bpf.neighMax) or bpf-map-dynamic-size-ratio."),
        new(FindingKinds.MapPressure, d => Map(d, "policy"),
            "Policy map of an endpoint nearly full: identity × port × protocol entries exceed it and policy updates fail. Raise bpf-policy-map-max (Helm bpf.policyMapMax), or make the policies select fewer identities (fewer unique label sets, CIDR rules instead of many FQDN identities)."),
        new(FindingKinds.MapPressure, _ => true,
            "A full BPF map refuses new entries. The agent flags bpf-ct-global-tcp-max, bpf-ct-global-any-max, bpf-nat-global-max, bpf-neigh-global-max, bpf-policy-map-max and bpf-lb-map-max resize the big maps; bpf-map-dynamic-size-ratio sizes CT/NAT/neighbor maps from memory."),
        new(FindingKinds.MapForecastFull, d => Map(d, "_ct"),
            "At this pace connection tracking fills up: size it before it does. Raise bpf-ct-global-tcp-max / bpf-ct-global-any-max (Helm bpf.ctTcpMax / bpf.ctAnyMax) or bpf-map-dynamic-size-ratio (Helm bpf.mapDynamicSizeRatio); a steady climb without more traffic is a connection leak (`cilium-dbg bpf ct list global | wc -l`)."),
        new(FindingKinds.MapForecastFull, d => Map(d, "snat") || Map(d, "nat"),
            "At this pace the NAT map fills up and SNAT of new connections fails: raise bpf-nat-global-max (Helm bpf.natMax) or bpf-map-dynamic-size-ratio (Helm bpf.mapDynamicSizeRatio)."),
        new(FindingKinds.MapForecastFull, d => Map(d, "lb"),
            "At this pace the load-balancer map fills up and new services or backends are not programmed: raise bpf-lb-map-max (Helm bpf.lbMapMax)."),
        new(FindingKinds.MapForecastFull, d => Map(d, "policy"),
            "At this pace an endpoint's policy map fills up and policy updates fail: raise bpf-policy-map-max (Helm bpf.policyMapMax) or select fewer identities."),
        new(FindingKinds.MapForecastFull, _ => true,
            "At this pace the map fills up: bpf-map-dynamic-size-ratio (Helm bpf.mapDynamicSizeRatio) sizes CT, NAT and neighbor maps from memory; bpf-ct-global-tcp-max, bpf-nat-global-max, bpf-neigh-global-max, bpf-policy-map-max and bpf-lb-map-max size them explicitly."),
        new(FindingKinds.ControllerFailing, d => Controller(d, "ipcache-inject-labels"),
            "Usually the agent's Kubernetes caches have not synced (\"k8s cache not fully synced\"): check the agent can reach the API server (k8sServiceHost/k8sServicePort with kube-proxy replacement) and its RBAC; it clears once the caches sync."),
        new(FindingKinds.ControllerFailing, d => Controller(d, "sync-to-k8s-ciliumendpoint"),
            "The agent cannot write its CiliumEndpoint objects: an i/o timeout points at API server reachability from the node; a conflict (\"the object has been modified\") that keeps repeating points at two writers (agent restarts, duplicate node names)."),
        new(FindingKinds.ControllerFailing, d => Controller(d, "sync-lb-maps-with-k8s-services"),
            "Services cannot be programmed into the BPF load-balancer maps; \"map is full\" means raise bpf-lb-map-max (Helm bpf.lbMapMax)."),
        new(FindingKinds.ControllerFailing, d => Controller(d, "cilium-health-ep"),
            "The node's cilium-health endpoint cannot be created or reached: peers will report its endpoint unreachable. Check `cilium-dbg endpoint list` for reserved:health and the agent log for the health endpoint."),
        new(FindingKinds.ControllerFailing, d => Controller(d, "endpoint-") && Controller(d, "regeneration"),
            "Endpoint regeneration keeps failing: the agent log names the BPF compile or load error (verifier, missing kernel feature); `cilium-dbg endpoint list` shows which endpoint is not ready."),
        new(FindingKinds.ControllerFailing, d => Controller(d, "sync-node-with-ciliumnode"),
            "Conflicts writing the CiliumNode object: transient during operator IPAM updates; if it persists, check the operator and that no two agents use the same node name."),
        new(FindingKinds.Drift, d => d.Subject.Component == "XDP acceleration", XdpAcceleration),
        new(FindingKinds.Drift, d => d.Subject.Component == "Masquerading",
            "Masquerading differs between nodes. The agent reports BPF (eBPF masquerading: iptables is bypassed, which needs kube-proxy replacement and BPF host routing) or IPTables (MASQUERADE rules in the node's iptables). " +
            "In ENI mode pod IPs are VPC addresses: traffic within ipv4NativeRoutingCIDR (the VPC CIDR) is never masqueraded and egressMasqueradeInterfaces (e.g. eth+) limits it to those interfaces. " +
            "A node on IPTables where the others run BPF usually lacks a kernel feature (see its agent log) or runs a different configuration."),
        new(FindingKinds.Drift, d => d.Subject.Component == "Cilium version",
            "Nodes run different Cilium versions: an upgrade is in progress or stuck. `kubectl -n kube-system rollout status ds/cilium` and the agent pods' images tell which."),
        new(FindingKinds.Drift, d => d.Subject.Component == "BPF map sizes",
            "Map sizes differ beyond what dynamic sizing explains: an explicit size (bpf-ct-global-tcp-max, bpf-nat-global-max, bpf-policy-map-max, bpf-lb-map-max …) or a different bpf-map-dynamic-size-ratio is set on some nodes (per-node CiliumNodeConfig or agent flags)."),
        new(FindingKinds.Drift, _ => true,
            "A datapath setting differs from the rest of the cluster: look for a CiliumNodeConfig selecting this node, agent pods not restarted after a config change (`kubectl -n kube-system rollout restart ds/cilium`), or a node whose kernel or NIC lacks the feature."),
        new(FindingKinds.HubbleLostEvents, d => d.Subject.Component == "PERF_EVENT_RING_BUFFER",
            "The datapath's perf ring buffer overflowed before the agent read it: raise monitor aggregation (bpf.monitorAggregation=medium) to send fewer events, or give the agent more CPU."),
        new(FindingKinds.HubbleLostEvents, d => d.Subject.Component == "OBSERVER_EVENTS_QUEUE",
            "Hubble's observer queue was full: raise hubble-event-queue-size (Helm hubble.eventQueueSize) or reduce the event rate."),
        new(FindingKinds.HubbleLostEvents, _ => true,
            "Flows were dropped before a client read them: raise hubble-event-buffer-capacity (Helm hubble.eventBufferCapacity) or filter the stream (CiliumDash:Flows:Filter)."),
        new(FindingKinds.HistoryNotRecording, _ => true,
            "The dashboard's history store does not take writes, so what happens now will be missing from the timeline later; the live view is unaffected and recording resumes by itself. " +
            "SQLite: check free space on the volume of CiliumDash:History:Path (the chart's PersistentVolumeClaim) and that no other process holds the file locked. " +
            "PostgreSQL: check the server is up and reachable from the dashboard pod, the credentials in CiliumDash:History:ConnectionString, and the database's free space."),
        new(FindingKinds.RelayDown, _ => true,
            "Is Hubble Relay enabled and running? `kubectl -n kube-system get deploy hubble-relay`; enable it with `helm upgrade cilium cilium/cilium --reuse-values --set hubble.relay.enabled=true`; with TLS, CiliumDash:Relay:Tls must match the relay's certificates."),
        new(FindingKinds.RelayNodeUnavailable, _ => true,
            "hubble-relay cannot reach that node's Hubble server (port 4244): check the agent on the node is running with Hubble enabled and that TCP 4244 is open between the relay and the node."),
        new(FindingKinds.SourceDown, _ => true,
            "The dashboard cannot read the agents: check its kubeconfig or service account, and that its RBAC allows list pods and create pods/exec in the Cilium namespace."),
        new(FindingKinds.HealthUnreadable, _ => true,
            "cilium-health did not answer: the health endpoint may be restarting; `kubectl -n kube-system exec <cilium pod> -- cilium-health status` shows the error directly."),
        new(FindingKinds.AgentNotOk, d => d.Subject.Component == "Kubernetes",
            "The agent cannot talk to the API server. With kube-proxy replacement the agent cannot use the kubernetes Service to get there: k8sServiceHost / k8sServicePort (Helm) must name an address the node reaches directly; check it from the node with `curl -k https://<host>:<port>/healthz`."),
        new(FindingKinds.AgentNotOk, d => d.Subject.Component == "Kvstore",
            "The agent lost its kvstore (etcd): check the etcd endpoints in the cilium-config ConfigMap, their certificates, and that etcd is healthy; identities and ipcache entries stop syncing meanwhile."),
        new(FindingKinds.AgentNotOk, d => d.Subject.Component == "Health",
            "The agent's own cilium-health subsystem is not Ok: `cilium-health status` on the node and the agent log for the health endpoint say why."),
        new(FindingKinds.AgentNotOk, _ => true,
            "`kubectl -n kube-system exec <cilium pod> -- cilium-dbg status --verbose` shows the failing subsystem with its message; the agent log (`kubectl -n kube-system logs -c cilium-agent <cilium pod>`) has the detail."),
        new(FindingKinds.WorkloadNotReady, _ => true,
            "`kubectl -n kube-system get pods -l k8s-app=cilium -o wide` shows which pods are not ready and on which nodes; `kubectl describe pod` and `kubectl logs --previous` say why (image pulls, init containers, crash loops)."),
        new(FindingKinds.AgentUnreadable, _ => true,
            "The agent pod is not running or its API does not answer: `kubectl -n kube-system describe pod <cilium pod>` and `kubectl -n kube-system logs -c cilium-agent <cilium pod> --previous`."),
    ];

    /// <summary>The first matching row's text, or null when no known cause applies.</summary>
    public static string? For(FindingDraft draft)
    {
        ArgumentNullException.ThrowIfNull(draft);
        foreach (var hint in Table)
        {
            if (hint.Kind == draft.Kind && hint.Matches(draft))
            {
                return hint.Text;
            }
        }

        return null;
    }

    private static bool Map(FindingDraft d, string part) => d.Subject.Map?.Contains(part, StringComparison.OrdinalIgnoreCase) == true;

    private static bool Controller(FindingDraft d, string part) => d.Subject.Controller?.Contains(part, StringComparison.Ordinal) == true;
}
