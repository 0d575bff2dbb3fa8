using System.Text.Json;

using CiliumDash.Agents;

namespace CiliumDash.Benchmarks.Agents.Baseline;

/// <summary>
/// The agent status parser before the typed wire models (a JsonDocument walk with typed getters), kept only as the
/// baseline of <see cref="AgentStatusParseBenchmarks"/>.
/// </summary>
internal static class JsonDocumentStatusParser
{
    /// <summary>Larger documents are refused: a real one is tens of KB, and the poller must stay bounded.</summary>
    public const int MaxDocumentBytes = 4 * 1024 * 1024;

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64 };

    public static ParseResult<AgentStatus> Parse(ReadOnlyMemory<byte> utf8)
    {
        if (utf8.Length > MaxDocumentBytes)
        {
            return ParseResult<AgentStatus>.Fail($"status document is {utf8.Length:N0} bytes, over the {MaxDocumentBytes:N0}-byte limit");
        }

        if (BaselineSection.InvalidUtf8Offset(utf8.Span) is { } bad)
        {
            return ParseResult<AgentStatus>.Fail($"status document is not valid UTF-8: byte 0x{utf8.Span[bad]:X2} at offset {bad:N0}");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8, DocumentOptions);
        }
        catch (JsonException ex)
        {
            return ParseResult<AgentStatus>.Fail($"malformed status JSON at {ex.Path ?? "$"} (line {(ex.LineNumber ?? 0) + 1}, byte {ex.BytePositionInLine ?? 0}): {FirstSentence(ex.Message)}");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return ParseResult<AgentStatus>.Fail($"status JSON at $: expected an object, found {document.RootElement.ValueKind.ToString().ToLowerInvariant()}");
            }

            var warnings = new List<string>();
            var root = new BaselineSection(document.RootElement, "$", warnings);
            try
            {
                var status = Read(root) with { ParseWarnings = warnings };
                return ParseResult<AgentStatus>.Ok(status);
            }
            catch (InvalidOperationException ex)
            {
                // An escaped lone surrogate (\ud800) passes the syntax check and fails only when the string is read.
                return ParseResult<AgentStatus>.Fail($"status JSON has text that is not valid Unicode: {FirstSentence(ex.Message)}");
            }
        }
    }

    internal static string FirstSentence(string message)
    {
        var cut = message.IndexOf(". ", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message.TrimEnd('.');
    }

    private static AgentStatus Read(BaselineSection root)
    {
        var hubble = root.Object("hubble");
        var hubbleMetrics = root.Object("hubble-metrics");
        return new AgentStatus
        {
            Cilium = Subsystem(root.Object("cilium")),
            Kvstore = Subsystem(root.Object("kvstore")),
            Kubernetes = root.Object("kubernetes") is { } k
                ? new KubernetesStatus(k.String("state"), k.String("msg"), k.Strings("k8s-api-versions"))
                : null,
            ContainerRuntime = Subsystem(root.Object("container-runtime")),
            CniFile = Subsystem(root.Object("cni-file")),
            AuthCertificateProvider = Subsystem(root.Object("auth-certificate-provider")),
            Cluster = root.Object("cluster") is { } c ? new ClusterStatus(Subsystem(c.Object("ciliumHealth")), c.String("self")) : null,
            KubeProxyReplacement = Kpr(root.Object("kube-proxy-replacement")),
            Controllers = root.Has("controllers") ? root.Objects("controllers").Select(Controller).ToList() : null,
            BpfMaps = root.Object("bpf-maps") is { } b
                ? new BpfMapStatus(b.Double("dynamic-size-ratio"), b.Objects("maps").Select(m => new BpfMap(m.Shared("name") ?? "", m.Long("size") ?? 0)).ToList())
                : null,
            Ipam = root.Object("ipam") is { } i
                ? new IpamStatus(i.String("status"), i.Strings("ipv4"), i.Strings("ipv6"), i.StringMap("allocations"))
                : null,
            Hubble = hubble is { } h
                ? new HubbleStatus(h.String("state"), h.String("msg"), h.Object("observer")?.Long("current-flows"), h.Object("observer")?.Long("max-flows"),
                    h.Object("observer")?.Long("seen-flows"), h.Object("observer")?.String("uptime"), h.Object("metrics")?.String("state"))
                : null,
            // 1.18 moved hubble.metrics to the top level; read both so either version shows the state.
            HubbleMetrics = Subsystem(hubbleMetrics) ?? (hubble?.Object("metrics") is { } hm ? new SubsystemStatus(hm.String("state"), hm.String("msg")) : null),
            Masquerading = root.Object("masquerading") is { } m2
                ? new MasqueradingStatus(m2.Bool("enabled"), m2.String("mode"), m2.Object("enabledProtocols")?.Bool("ipv4"), m2.Object("enabledProtocols")?.Bool("ipv6"),
                    m2.Bool("ip-masq-agent"), m2.String("snat-exclusion-cidr-v4") ?? m2.String("snat-exclusion-cidr"), m2.String("snat-exclusion-cidr-v6"))
                : null,
            Routing = Routing(root),
            Encryption = root.Object("encryption") is { } e
                ? new EncryptionStatus(e.String("mode"), e.String("msg"),
                    e.Object("wireguard")?.Objects("interfaces").Select(w => w.String("name") ?? "").ToList() ?? [],
                    e.Object("ipsec")?.Long("keys-in-use"), e.Object("ipsec")?.Long("error-count"))
                {
                    Wireguard = e.Object("wireguard")?.Objects("interfaces")
                        .Select(w => new WireguardInterface(w.String("name") ?? "", w.Long("listen-port"), w.Long("peer-count"), w.String("public-key"))).ToList() ?? [],
                    NodeEncryption = e.Object("wireguard")?.Bool("node-encryption"),
                }
                : null,
            Srv6 = Toggle(root.Object("srv6"), "enabled"),
            Ipv4BigTcp = Toggle(root.Object("ipv4-big-tcp"), "enabled"),
            Ipv6BigTcp = Toggle(root.Object("ipv6-big-tcp"), "enabled"),
            HostFirewall = Mode(root.Object("host-firewall")),
            CniChaining = Mode(root.Object("cni-chaining")),
            ClockSource = root.Object("clock-source") is { } cs ? new ModeStatus(cs.String("mode"), cs.Long("hertz") is { } hz ? [$"{hz} Hz"] : []) : null,
            BandwidthManager = root.Object("bandwidth-manager") is { } bw
                ? new BandwidthManagerStatus(bw.Bool("enabled"), bw.String("congestionControl"), bw.Strings("devices"))
                : null,
            NodeMonitor = root.Object("nodeMonitor") is { } nm
                ? new NodeMonitorStatus(nm.Long("cpus"), nm.Long("npages"), nm.Long("pagesize"), nm.Long("lost"), nm.Long("unknown"))
                : null,
            Proxy = root.Object("proxy") is { } px
                ? new ProxyStatus(px.String("ip"), px.String("port-range"), px.Long("total-redirects"), px.Long("total-ports"), px.String("envoy-deployment-mode"))
                {
                    Redirects = px.Objects("redirects").Select(r => $"{r.String("name")} → {r.String("proxy")}:{r.Long("proxy-port")}").ToList(),
                }
                : null,
            IdentityRange = root.Object("identity-range") is { } ir ? new IdentityRangeStatus(ir.Long("min-identity"), ir.Long("max-identity")) : null,
            ClusterMesh = root.Object("cluster-mesh") is { } cm
                ? new ClusterMeshStatus(
                    cm.Objects("clusters").Select(r => new RemoteCluster(r.String("name") ?? "", r.Bool("ready"), r.Bool("connected"), r.String("status"), r.Long("num-nodes"), r.Long("num-failures"))
                    {
                        Endpoints = r.Long("num-endpoints"),
                        Identities = r.Long("num-identities"),
                        SharedServices = r.Long("num-shared-services"),
                        LastFailure = r.Time("last-failure"),
                    }).ToList(),
                    cm.Long("num-global-services"))
                : null,
            AttachMode = root.String("attach-mode"),
            DatapathMode = root.String("datapath-mode"),
            Stale = root.Has("stale") ? root.StringMap("stale") : null,
        };
    }

    private static SubsystemStatus? Subsystem(BaselineSection? section) =>
        section is { } s ? new SubsystemStatus(s.Shared("state"), s.Shared("msg")) : null;

    /// <summary>An on/off feature; its other scalar properties kept as text (SRv6 encap mode, BIG TCP sizes).</summary>
    private static FeatureToggle? Toggle(BaselineSection? section, string flag) =>
        section is { } s ? new FeatureToggle(s.Bool(flag), s.Scalars().Where(kv => kv.Key != flag).ToDictionary(kv => kv.Key, kv => kv.Value)) : null;

    private static ModeStatus? Mode(BaselineSection? section) =>
        section is { } s ? new ModeStatus(s.String("mode"), s.Strings("devices")) : null;

    private static RoutingStatus? Routing(BaselineSection root)
    {
        if (root.Object("routing") is { } r)
        {
            return new RoutingStatus(r.String("intra-host-routing-mode"), r.String("inter-host-routing-mode"), r.String("tunnel-protocol"), FromLegacyHostRouting: false);
        }

        return root.Object("host-routing") is { } h ? new RoutingStatus(h.String("mode"), null, null, FromLegacyHostRouting: true) : null;
    }

    private static ControllerStatus Controller(BaselineSection c)
    {
        var status = c.Object("status");
        var config = c.Object("configuration");
        return new ControllerStatus(
            c.Shared("name") ?? "(unnamed)",
            c.Uuid("uuid"),
            status?.Long("success-count") ?? 0,
            status?.Long("failure-count") ?? 0,
            status?.Long("consecutive-failure-count") ?? 0,
            status?.String("last-failure-msg"),
            status?.Time("last-success-timestamp"),
            status?.Time("last-failure-timestamp"),
            config?.Shared("interval"),
            config?.Bool("error-retry"),
            config?.Shared("error-retry-base"));
    }

    private static KubeProxyReplacementStatus? Kpr(BaselineSection? section)
    {
        if (section is not { } k)
        {
            return null;
        }

        var f = k.Object("features");
        var np = f?.Object("nodePort");
        var devices = k.Strings("devices");
        if (devices.Count == 0)
        {
            devices = k.Objects("deviceList").Select(d => d.String("name") ?? "").Where(n => n.Length > 0).ToList();
        }

        var socketLb = f?.Object("socketLB")?.Bool("enabled");
        var hostReachable = f?.Object("hostReachableServices");
        return new KubeProxyReplacementStatus(
            Mode: k.String("mode"),
            Devices: devices,
            DirectRoutingDevice: k.String("directRoutingDevice"),
            SocketLb: socketLb ?? hostReachable?.Bool("enabled"),
            SocketLbTracing: f?.Object("socketLBTracing")?.Bool("enabled"),
            SocketLbHostnsOnly: f?.Bool("bpfSocketLBHostnsOnly"),
            SocketLbProtocols: hostReachable?.Strings("protocols") ?? [],
            NodePort: np?.Bool("enabled"),
            NodePortMode: np?.String("mode"),
            DsrMode: np?.String("dsrMode"),
            BackendSelection: np?.String("algorithm"),
            MaglevTableSize: np?.Long("lutSize"),
            Acceleration: np?.String("acceleration"),
            NodePortMin: np?.Long("portMin"),
            NodePortMax: np?.Long("portMax"),
            HostPort: f?.Object("hostPort")?.Bool("enabled"),
            ExternalIps: f?.Object("externalIPs")?.Bool("enabled"),
            SessionAffinity: f?.Object("sessionAffinity")?.Bool("enabled"),
            GracefulTermination: f?.Object("gracefulTermination")?.Bool("enabled"),
            Nat46X64: f?.Object("nat46X64")?.Bool("enabled"))
        {
            DeviceAddresses = k.Objects("deviceList").Where(d => d.String("name") is { Length: > 0 })
                .GroupBy(d => d.String("name")!).ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.First().Strings("ip")),
            Annotations = f?.Strings("annotations") ?? [],
            Nat46X64GatewayPrefixes = f?.Object("nat46X64")?.Object("gateway")?.Strings("prefixes") ?? [],
            Nat46X64Service = f?.Object("nat46X64")?.Object("service")?.Bool("enabled"),
        };
    }
}
