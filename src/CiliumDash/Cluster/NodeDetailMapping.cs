using CiliumDash.Agents;
using CiliumDash.Contract;

namespace CiliumDash.Cluster;

/// <summary>
/// The agent model (<see cref="AgentStatus"/>, internal and free to change) mapped to the contract's
/// <see cref="NodeDetailDto"/>: renaming a C# property of the agent model cannot rename a REST field.
/// </summary>
internal static class NodeDetailMapping
{
    /// <param name="execDisabled">the readonly profile: the dashboard does not exec into agents, so map pressure is never read.</param>
    public static NodeDetailDto Map(NodeSnapshot n, IEnumerable<(string Text, bool Severe)> problems, bool execDisabled)
    {
        var s = n.Status;
        var pressure = Pressure(n.MapPressure);
        return new NodeDetailDto
        {
            Name = n.Name,
            State = n.State,
            CiliumVersion = s?.Version,
            LastUpdated = n.LastUpdated,
            LastAttempt = n.LastAttempt,
            Stale = n.Stale,
            Error = n.Error,
            HealthError = n.HealthError,
            AgentPod = n.AgentPod,
            Container = n.Container is { } c ? new ContainerDto(c.PodPhase, c.Running, c.Ready, c.WaitingReason, c.LastExitCode, c.Message, c.RestartCount) : null,
            KubeProxyReplacement = s?.KubeProxyReplacement is { } k ? Kpr(k) : null,
            Controllers = s?.Controllers?.OrderBy(c => c.Failing ? 0 : 1).ThenBy(c => c.Name, StringComparer.Ordinal).Select(Controller).ToList(),
            FailingControllers = n.FailingControllers,
            BpfMaps = s?.BpfMaps is { } b
                ? new NodeBpfMapsDetailDto(b.DynamicSizeRatio, b.Maps.Select(m => new BpfMapDto(m.Name, m.Size)).ToList(), pressure, n.MapPressureError)
                : null,
            Ipam = s?.Ipam is { } i ? new IpamDto(i.Summary, i.Ipv4, i.Ipv6, new SortedDictionary<string, string>(i.Allocations.ToDictionary(), StringComparer.Ordinal)) : null,
            Hubble = s?.Hubble is { } h ? new HubbleDto(h.State, h.Message, h.CurrentFlows, h.MaxFlows, h.SeenFlows, h.Uptime, h.MetricsState) : null,
            HubbleMetrics = Subsystem(s?.HubbleMetrics),
            Cilium = Subsystem(s?.Cilium),
            Kvstore = Subsystem(s?.Kvstore),
            Kubernetes = s?.Kubernetes is { } kube ? new KubernetesDto(kube.State, kube.Message, kube.ApiVersions) : null,
            Cluster = s?.Cluster is { } cl ? new ClusterSectionDto(Subsystem(cl.CiliumHealth), cl.Self) : null,
            Masquerading = s?.Masquerading is { } m ? new MasqueradingDto(m.Enabled, m.Mode, m.Ipv4, m.Ipv6, m.IpMasqAgent, m.SnatExclusionCidrV4, m.SnatExclusionCidrV6) : null,
            Routing = s?.Routing is { } r ? new RoutingDto(r.IntraHost, r.InterHost, r.TunnelProtocol, r.FromLegacyHostRouting) : null,
            Encryption = s?.Encryption is { } e
                ? new EncryptionDto(e.Mode, e.Message, e.WireguardInterfaces, e.IpsecKeysInUse, e.IpsecErrorCount,
                    e.Wireguard.Select(w => new WireguardInterfaceDto(w.Name, w.ListenPort, w.PeerCount, w.PublicKey)).ToList(), e.NodeEncryption)
                : null,
            HostFirewall = Mode(s?.HostFirewall),
            CniChaining = Mode(s?.CniChaining),
            ClockSource = Mode(s?.ClockSource),
            BandwidthManager = s?.BandwidthManager is { } bw ? new BandwidthManagerDto(bw.Enabled, bw.CongestionControl, bw.Devices) : null,
            NodeMonitor = s?.NodeMonitor is { } nm ? new NodeMonitorDto(nm.Cpus, nm.Npages, nm.Pagesize, nm.Lost, nm.Unknown) : null,
            Proxy = s?.Proxy is { } p ? new ProxyDto(p.Ip, p.PortRange, p.TotalRedirects, p.TotalPorts, p.EnvoyDeploymentMode, p.Redirects) : null,
            IdentityRange = s?.IdentityRange is { } ir ? new IdentityRangeDto(ir.Min, ir.Max) : null,
            ClusterMesh = s?.ClusterMesh is { } cm
                ? new ClusterMeshDto(cm.Clusters.Select(rc => new RemoteClusterDto(rc.Name, rc.Ready, rc.Connected, rc.Status, rc.Nodes, rc.NumFailures, rc.Endpoints, rc.Identities, rc.SharedServices, rc.LastFailure)).ToList(), cm.GlobalServices)
                : null,
            ContainerRuntime = Subsystem(s?.ContainerRuntime),
            CniFile = Subsystem(s?.CniFile),
            AuthCertificateProvider = Subsystem(s?.AuthCertificateProvider),
            Srv6 = Toggle(s?.Srv6),
            Ipv4BigTcp = Toggle(s?.Ipv4BigTcp),
            Ipv6BigTcp = Toggle(s?.Ipv6BigTcp),
            AttachMode = s?.AttachMode,
            DatapathMode = s?.DatapathMode,
            StaleProbes = s?.Stale,
            ParseWarnings = s?.ParseWarnings,
            Health = n.Health is { } hs ? new NodeHealthDto(hs.LocalNode, hs.Timestamp, hs.ProbeInterval, hs.Reachable, hs.Total) : null,
            Problems = problems.Select(x => new NodeProblemDto(x.Text, x.Severe)).ToList(),
            MapPressure = new MapPressureDetailDto(pressure, n.MapPressure?.ReadAt, n.MapPressure?.Warnings ?? [],
                n.MapPressureError ?? (n.MapPressure is null && execDisabled ? MapPressureReads.ReadOnlyReason : null)),
        };
    }

    // Fullest first; a value that is no fill level at all (NaN) before everything.
    private static List<MapPressureDto>? Pressure(MapPressure? pressure) =>
        pressure?.Maps.OrderByDescending(m => double.IsNaN(m.Ratio) ? double.MaxValue : m.Ratio)
            .Select(m => new MapPressureDto(m.MapName, m.Ratio) { Level = MapPressure.LevelOf(m.Ratio) })
            .ToList();

    private static ControllerDto Controller(ControllerStatus c) =>
        new(c.Name, c.Failing, c.ConsecutiveFailureCount, c.FailureCount, c.SuccessCount, c.LastFailureMessage, c.LastSuccess, c.LastFailure, c.Interval, c.Uuid, c.ErrorRetry, c.ErrorRetryBase);

    private static KubeProxyReplacementDto Kpr(KubeProxyReplacementStatus k) =>
        new(k.Mode, k.Devices, k.DirectRoutingDevice, k.SocketLb, k.SocketLbTracing, k.SocketLbHostnsOnly, k.SocketLbProtocols, k.NodePort, k.NodePortMode,
            k.DsrMode, k.BackendSelection, k.MaglevTableSize, k.Acceleration, k.NodePortMin, k.NodePortMax, k.HostPort, k.ExternalIps, k.SessionAffinity,
            k.GracefulTermination, k.Nat46X64, k.DeviceAddresses, k.Annotations, k.Nat46X64GatewayPrefixes, k.Nat46X64Service);

    private static SubsystemDto? Subsystem(SubsystemStatus? s) => s is null ? null : new SubsystemDto(s.State, s.Message);

    private static ModeDto? Mode(ModeStatus? m) => m is null ? null : new ModeDto(m.Mode, m.Devices);

    private static FeatureToggleDto? Toggle(FeatureToggle? t) => t is null ? null : new FeatureToggleDto(t.Enabled, t.Settings);
}
