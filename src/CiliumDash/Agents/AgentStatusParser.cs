using System.Globalization;
using System.Text.Json;
using CiliumDash.Protocols.Json;
using CiliumDash.Shared;
using Wire = CiliumDash.Protocols.Agent;

namespace CiliumDash.Agents;

/// <summary>The outcome of reading an agent document: a status, or an error that says where the document broke.</summary>
public sealed record ParseResult<T>(T? Value, string? Error)
    where T : class;

/// <summary>Builds <see cref="ParseResult{T}"/> values; outside the generic type so callers need no type argument twice.</summary>
public static class ParseResult
{
    public static ParseResult<T> Ok<T>(T value)
        where T : class => new(value, null);

    public static ParseResult<T> Fail<T>(string error)
        where T : class => new(null, error);
}

/// <summary>
/// Reads <c>cilium-dbg status -o json</c> across Cilium 1.12 to 1.19 into the wire model
/// (<see cref="Wire.StatusResponse"/>, source-generated) and maps it to <see cref="AgentStatus"/>: renamed fields are
/// read from both places, unknown fields are ignored, and a document with values of the wrong type is still read,
/// each such value a warning with its JSON path.
/// </summary>
public static class AgentStatusParser
{
    /// <summary>Larger documents are refused: a real one is tens of KB, and the poller must stay bounded.</summary>
    public const int MaxDocumentBytes = WireJson.MaxDocumentBytes;

    private const string What = "status";

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = CiliumJson.MaxDepth };

    public static ParseResult<AgentStatus> Parse(ReadOnlyMemory<byte> utf8)
    {
        if (WireJson.CheckBytes(utf8.Span, What, MaxDocumentBytes) is { } refused)
        {
            return ParseResult.Fail<AgentStatus>(refused);
        }

        Wire.StatusResponse? wire;
        try
        {
            wire = JsonSerializer.Deserialize(utf8.Span, CiliumJson.Context.StatusResponse);
        }
        catch (JsonException)
        {
            // Broken syntax or a value the model cannot hold: the slower path says which, and reads what it can.
            return ParseTolerantly(utf8);
        }

        if (wire is null)
        {
            return ParseResult.Fail<AgentStatus>($"{What} JSON at $: expected an object, found null");
        }

        try
        {
            return ParseResult.Ok<AgentStatus>(AgentStatusMapping.Map(wire));
        }
        catch (NullItemException)
        {
            return ParseTolerantly(utf8);
        }
    }

    private static ParseResult<AgentStatus> ParseTolerantly(ReadOnlyMemory<byte> utf8)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8, DocumentOptions);
        }
        catch (JsonException ex)
        {
            return ParseResult.Fail<AgentStatus>(WireJson.Malformed(What, ex));
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return ParseResult.Fail<AgentStatus>($"{What} JSON at $: expected an object, found {document.RootElement.ValueKind.ToString().ToLowerInvariant()}");
            }

            var warnings = new List<string>();
            try
            {
                var repaired = WireRepair.Repair(document.RootElement, CiliumJson.Context.StatusResponse, warnings);
                var wire = JsonSerializer.Deserialize(repaired, CiliumJson.Context.StatusResponse)!;
                return ParseResult.Ok<AgentStatus>(AgentStatusMapping.Map(wire) with { ParseWarnings = warnings });
            }
            catch (InvalidOperationException ex)
            {
                return ParseResult.Fail<AgentStatus>(WireJson.NotUnicode(What, ex));
            }
            catch (JsonException ex)
            {
                // The repair keeps only what the model holds; should a rule be missing, the document is refused, not thrown.
                return ParseResult.Fail<AgentStatus>($"{What} JSON could not be read at {ex.Path ?? "$"}: {WireJson.FirstSentence(ex.Message)}");
            }
        }
    }
}

/// <summary>A deserialized list held a null item: the document is read again on the tolerant path.</summary>
internal sealed class NullItemException : Exception;

/// <summary>
/// The wire model mapped to the dashboard's: Go's zero time as null, absent lists as empty. Strings that repeat across
/// nodes arrive shared already (<see cref="SharedStringConverter"/> on the model).
/// </summary>
internal static class AgentStatusMapping
{
    public static AgentStatus Map(Wire.StatusResponse root)
    {
        var hubble = root.Hubble;
        return new AgentStatus
        {
            Cilium = Subsystem(root.Cilium),
            Kvstore = Subsystem(root.Kvstore),
            Kubernetes = root.Kubernetes is { } k ? new KubernetesStatus(k.State, k.Msg, Items(k.K8sApiVersions)) : null,
            ContainerRuntime = Subsystem(root.ContainerRuntime),
            CniFile = Subsystem(root.CniFile),
            AuthCertificateProvider = Subsystem(root.AuthCertificateProvider),
            Cluster = root.Cluster is { } c ? new ClusterStatus(Subsystem(c.CiliumHealth), c.Self) : null,
            KubeProxyReplacement = KubeProxyReplacementMapping.Map(root.KubeProxyReplacement),
            Controllers = ItemsOrNull(root.Controllers)?.Select(Controller).ToList(),
            BpfMaps = root.BpfMaps is { } b
                ? new BpfMapStatus(b.DynamicSizeRatio, Items(b.Maps).Select(m => new BpfMap(m.Name ?? "", m.Size ?? 0)).ToList())
                : null,
            Ipam = root.Ipam is { } i
                ? new IpamStatus(i.Status, Items(i.Ipv4), Items(i.Ipv6), Texts(i.Allocations) ?? new Dictionary<string, string>())
                : null,
            Hubble = hubble is { } h
                ? new HubbleStatus(h.State, h.Msg, h.Observer?.CurrentFlows, h.Observer?.MaxFlows, h.Observer?.SeenFlows, h.Observer?.Uptime, h.Metrics?.State)
                : null,
            // 1.18 moved hubble.metrics to the top level; read both so either version shows the state.
            HubbleMetrics = Subsystem(root.HubbleMetrics) ?? (hubble?.Metrics is { } hm ? new SubsystemStatus(hm.State, null) : null),
            Masquerading = root.Masquerading is { } m
                ? new MasqueradingStatus(m.Enabled, m.Mode, m.EnabledProtocols?.Ipv4, m.EnabledProtocols?.Ipv6, m.IpMasqAgent,
                    m.SnatExclusionCidrV4 ?? m.SnatExclusionCidr, m.SnatExclusionCidrV6)
                : null,
            Routing = Routing(root),
            Encryption = root.Encryption is { } e ? Encryption(e) : null,
            Srv6 = root.Srv6 is { } srv6 ? new FeatureToggle(srv6.Enabled, Settings(srv6.Other, ("srv6EncapMode", srv6.Srv6EncapMode))) : null,
            Ipv4BigTcp = BigTcp(root.Ipv4BigTcp),
            Ipv6BigTcp = BigTcp(root.Ipv6BigTcp),
            HostFirewall = root.HostFirewall is { } fw ? new ModeStatus(fw.Mode, Items(fw.Devices)) : null,
            CniChaining = root.CniChaining is { } cni ? new ModeStatus(cni.Mode, []) : null,
            ClockSource = root.ClockSource is { } cs ? new ModeStatus(cs.Mode, cs.Hertz is { } hz ? [$"{hz} Hz"] : []) : null,
            BandwidthManager = root.BandwidthManager is { } bw ? new BandwidthManagerStatus(bw.Enabled, bw.CongestionControl, Items(bw.Devices)) : null,
            NodeMonitor = root.NodeMonitor is { } nm ? new NodeMonitorStatus(nm.Cpus, nm.Npages, nm.Pagesize, nm.Lost, nm.Unknown) : null,
            Proxy = root.Proxy is { } px
                ? new ProxyStatus(px.Ip, px.PortRange, px.TotalRedirects, px.TotalPorts, px.EnvoyDeploymentMode)
                {
                    Redirects = Items(px.Redirects).Select(r => $"{r.Name} → {r.Proxy}:{r.ProxyPort}").ToList(),
                }
                : null,
            IdentityRange = root.IdentityRange is { } ir ? new IdentityRangeStatus(ir.MinIdentity, ir.MaxIdentity) : null,
            ClusterMesh = root.ClusterMesh is { } cm
                ? new ClusterMeshStatus(
                    Items(cm.Clusters).Select(r => new RemoteCluster(r.Name ?? "", r.Ready, r.Connected, r.Status, r.NumNodes, r.NumFailures)
                    {
                        Endpoints = r.NumEndpoints,
                        Identities = r.NumIdentities,
                        SharedServices = r.NumSharedServices,
                        LastFailure = Time(r.LastFailure),
                    }).ToList(),
                    cm.NumGlobalServices)
                : null,
            AttachMode = root.AttachMode,
            DatapathMode = root.DatapathMode,
            Stale = Texts(root.Stale),
        };
    }

    /// <summary>
    /// A list as deserialized, which may hold null items (<c>[null]</c>); those go the tolerant way, which names them.
    /// Checked here rather than by a list converter, which would cost every document a third more time.
    /// </summary>
    internal static IReadOnlyList<T> Items<T>(IReadOnlyList<T>? list) => ItemsOrNull(list) ?? [];

    internal static IReadOnlyList<T>? ItemsOrNull<T>(IReadOnlyList<T>? list)
    {
        if (list is not null)
        {
            for (var i = 0; i < list.Count; i++)
            {
                if (list[i] is null)
                {
                    throw new NullItemException();
                }
            }
        }

        return list;
    }

    /// <summary>Go's zero time (0001-01-01) is "never".</summary>
    internal static DateTimeOffset? Time(DateTimeOffset? time) => time is { } t && t.Year > 1 ? t.ToUniversalTime() : null;

    private static SubsystemStatus? Subsystem(Wire.Status? status) =>
        status is { } s ? new SubsystemStatus(s.State, s.Msg) : null;

    private static RoutingStatus? Routing(Wire.StatusResponse root)
    {
        if (root.Routing is { } r)
        {
            return new RoutingStatus(r.IntraHostRoutingMode, r.InterHostRoutingMode, r.TunnelProtocol, FromLegacyHostRouting: false);
        }

        return root.HostRouting is { } h ? new RoutingStatus(h.Mode, null, null, FromLegacyHostRouting: true) : null;
    }

    private static EncryptionStatus Encryption(Wire.EncryptionStatus e)
    {
        var interfaces = Items(e.Wireguard?.Interfaces);
        return new EncryptionStatus(e.Mode, e.Msg, interfaces.Select(w => w.Name ?? "").ToList(), e.Ipsec?.KeysInUse, e.Ipsec?.ErrorCount)
        {
            Wireguard = interfaces.Select(w => new WireguardInterface(w.Name ?? "", w.ListenPort, w.PeerCount, w.PublicKey)).ToList(),
            NodeEncryption = e.Wireguard?.NodeEncryption,
        };
    }

    private static FeatureToggle? BigTcp(Wire.BigTcp? bigTcp) =>
        bigTcp is { } b
            ? new FeatureToggle(b.Enabled, Settings(b.Other, ("maxGRO", Text(b.MaxGro)), ("maxGSO", Text(b.MaxGso))))
            : null;

    /// <summary>A feature's settings as text: the known ones, then scalars a later version added.</summary>
    private static Dictionary<string, string> Settings(Dictionary<string, JsonElement>? other, params (string Name, string? Value)[] known)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in known)
        {
            if (value is not null)
            {
                settings[name] = value;
            }
        }

        foreach (var (name, value) in other ?? [])
        {
            if (value.ValueKind is JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False)
            {
                settings[name] = value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
            }
        }

        return settings;
    }

    /// <summary>A map keyed by data with a null value keeps it as the text "null", as any other non-text value.</summary>
    private static IReadOnlyDictionary<string, string>? Texts(IReadOnlyDictionary<string, string>? map) =>
        map is null || map.Values.All(v => v is not null) ? map : map.ToDictionary(kv => kv.Key, kv => kv.Value ?? "null", StringComparer.Ordinal);

    private static string? Text(long? number) => number?.ToString(CultureInfo.InvariantCulture);

    private static ControllerStatus Controller(Wire.ControllerStatus c)
    {
        var status = c.Status;
        var config = c.Configuration;
        return new ControllerStatus(
            c.Name ?? "(unnamed)",
            c.Uuid,
            status?.SuccessCount ?? 0,
            status?.FailureCount ?? 0,
            status?.ConsecutiveFailureCount ?? 0,
            status?.LastFailureMsg,
            Time(status?.LastSuccessTimestamp),
            Time(status?.LastFailureTimestamp),
            config?.Interval,
            config?.ErrorRetry,
            config?.ErrorRetryBase);
    }
}
