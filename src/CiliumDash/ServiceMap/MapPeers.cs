using System.Net;
using System.Runtime.CompilerServices;
using CiliumDash.Flows.Window;

namespace CiliumDash.ServiceMap;

/// <summary>
/// Which map node a flow's end belongs to: its workload, its reserved identity, or for world traffic the DNS name Hubble
/// saw for it, the most specific <c>cidr:</c> label of its identity, or its /24 (IPv4) or /64 (IPv6). Endpoints are
/// immutable values shared by the window's rows, so the answer is cached per endpoint (weakly: an endpoint that left the
/// window takes its cache entry with it). Not thread-safe: the aggregate calls it under its lock.
/// </summary>
internal sealed partial class MapPeers
{
    /// <summary>Cilium's reserved identities and their numbers (the hubble CLI filters reserved peers by identity).</summary>
    public static readonly IReadOnlyDictionary<string, uint> ReservedIdentities = new Dictionary<string, uint>(StringComparer.Ordinal)
    {
        ["host"] = 1, ["world"] = 2, ["unmanaged"] = 3, ["health"] = 4, ["init"] = 5, ["remote-node"] = 6, ["kube-apiserver"] = 7, ["ingress"] = 8,
    };

    private static readonly IReadOnlyDictionary<string, string> NoLabels = new Dictionary<string, string>();

    private readonly ConditionalWeakTable<EndpointInfo, MapPeer> _byEndpoint = [];
    private readonly Dictionary<string, MapPeer> _byId = new(StringComparer.Ordinal);

    /// <summary>Peers some row still names.</summary>
    public int Count => _byId.Count;

    public IEnumerable<MapPeer> All => _byId.Values;

    /// <summary>The peer of one end of a flow; <paramref name="names"/> are the DNS names Hubble gives that end.</summary>
    public MapPeer Resolve(EndpointInfo? endpoint, Address? ip, string[] names)
    {
        if (endpoint is not null && !IsWorld(endpoint) && _byEndpoint.TryGetValue(endpoint, out var cached)
            && _byId.TryGetValue(cached.Id, out var live) && ReferenceEquals(live, cached))
        {
            return cached;
        }

        var peer = endpoint is not null && IsWorld(endpoint) || endpoint is null && ip is not null
            ? External(endpoint, ip?.Text, names)
            : endpoint is null ? Get("unknown", () => New("unknown", MapNodeKinds.Unknown, "", "unknown", NoLabels, []))
            : OfEndpoint(endpoint, ip?.Text);
        // An endpoint Hubble did not identify is told apart by its address, not by the (shared, empty) endpoint value.
        if (endpoint is not null && peer.Kind is MapNodeKinds.Workload or MapNodeKinds.Reserved)
        {
            _byEndpoint.AddOrUpdate(endpoint, peer);
        }

        return peer;
    }

    /// <summary>A peer by its parts, for aggregates fed from elsewhere than the window (history rows).</summary>
    public MapPeer Resolve(MapPeerKey key) =>
        Get(key.Id, () => New(key.Id, key.Kind, key.Namespace, key.Name, key.Labels ?? NoLabels, key.Filter ?? []));

    /// <summary>Drops a peer nothing refers to any more, so the map forgets peers that left the window.</summary>
    public void Forget(MapPeer peer)
    {
        if (peer.References <= 0)
        {
            _byId.Remove(peer.Id);
        }
    }

    /// <summary>
    /// Outside the cluster: the world identity and no namespace (Hubble gives unmanaged pods, such as host-network
    /// ones, a namespace and pod name with the world identity: those stay workloads).
    /// </summary>
    private static bool IsWorld(EndpointInfo e) =>
        e.Namespace.Length == 0 && (e.ReservedLabel is "reserved:world" or "reserved:world-ipv4" or "reserved:world-ipv6" || e.Identity is 2 or 9 or 10);

    private MapPeer OfEndpoint(EndpointInfo e, string? ip)
    {
        if (e.ReservedLabel is { } reserved && e.Namespace.Length == 0)
        {
            var name = reserved["reserved:".Length..];
            // kube-apiserver endpoints usually carry reserved:host or reserved:remote-node too; the API server is what users look for.
            if (e.Labels.Contains("reserved:kube-apiserver"))
            {
                name = "kube-apiserver";
            }

            var identity = ReservedIdentities.TryGetValue(name, out var n) ? n : e.Identity;
            return Get("reserved:" + name, () => New("reserved:" + name, MapNodeKinds.Reserved, "", name, NoLabels,
                [new("identity", identity.ToString(System.Globalization.CultureInfo.InvariantCulture))]));
        }

        if (e.Namespace.Length > 0)
        {
            // Without Hubble's workload list (older agents), the pod name less its ReplicaSet/DaemonSet suffix; the
            // filter is then the pod name prefix, as hubble's --pod reads it.
            var (workload, select) = e.Workload.Length > 0 ? (e.Workload, new KeyValuePair<string, string>("workload", e.Workload))
                : e.PodName.Length > 0 ? FromPodName(e.Namespace, e.PodName)
                : ("identity-" + e.Identity.ToString(System.Globalization.CultureInfo.InvariantCulture), new("identity", e.Identity.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            var id = $"workload:{e.Namespace}/{workload}";
            // hubble reads --namespace with --pod as two pod prefixes (either matches): a pod prefix names its namespace itself.
            IReadOnlyList<KeyValuePair<string, string>> filter = select.Key == "pod" ? [select] : [new("namespace", e.Namespace), select];
            return Get(id, () => New(id, MapNodeKinds.Workload, e.Namespace, workload, Labels(e.Labels), filter));
        }

        // Identity 0 with no labels: Hubble did not know the endpoint (field-masked exports look like this too).
        var text = ip ?? "unknown";
        return Get("unknown:" + text, () => New("unknown:" + text, MapNodeKinds.Unknown, "", text, NoLabels, ip is null ? [] : [new("ip", ip)]));
    }

    private MapPeer External(EndpointInfo? e, string? ip, string[] names)
    {
        if (names.Length > 0)
        {
            var name = names[0].TrimEnd('.');
            return Get("dns:" + name, () => New("dns:" + name, MapNodeKinds.External, "", name, NoLabels, [new("fqdn", name)]));
        }

        var cidr = e is null ? null : MostSpecificCidr(e.Labels) ?? null;
        cidr ??= ip is null ? null : Block(ip);
        if (cidr is null)
        {
            return Get("reserved:world", () => New("reserved:world", MapNodeKinds.Reserved, "", "world", NoLabels, [new("identity", "2")]));
        }

        return Get("cidr:" + cidr, () => New("cidr:" + cidr, MapNodeKinds.External, "", cidr, NoLabels, [new("ip", cidr)]));
    }

    private static string? MostSpecificCidr(string[] labels)
    {
        string? best = null;
        var bestBits = -1;
        foreach (var label in labels)
        {
            if (label.StartsWith("cidr:", StringComparison.Ordinal) && IPNetwork.TryParse(label.AsSpan(5).ToString().Replace('-', ':'), out var net) && net.PrefixLength > bestBits)
            {
                (best, bestBits) = (net.ToString(), net.PrefixLength);
            }
        }

        return best;
    }

    /// <summary>The /24 or /64 an address is in: one node per provider block rather than one per address.</summary>
    private static string? Block(string ip)
    {
        if (!IPAddress.TryParse(ip, out var address))
        {
            return null;
        }

        var bits = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 24 : 64;
        return new IPNetwork(Mask(address, bits), bits).ToString();
    }

    private static IPAddress Mask(IPAddress address, int bits)
    {
        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var keep = Math.Clamp(bits - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - keep));
        }

        return new IPAddress(bytes);
    }

    private static (string Workload, KeyValuePair<string, string> Select) FromPodName(string ns, string pod)
    {
        var match = PodSuffix().Match(pod);
        return match.Success && match.Index > 0
            ? (pod[..match.Index], new("pod", $"{ns}/{pod[..match.Index]}-"))
            : (pod, new("pod", $"{ns}/{pod}"));
    }

    /// <summary>A Deployment pod's "-hash-xxxxx", a DaemonSet's or Job's "-xxxxx" (Kubernetes' random-suffix alphabet).</summary>
    [System.Text.RegularExpressions.GeneratedRegex("(-[bcdfghjklmnpqrstvwxz2456789]{6,10})?-[bcdfghjklmnpqrstvwxz2456789]{5}$")]
    private static partial System.Text.RegularExpressions.Regex PodSuffix();

    private static Dictionary<string, string> Labels(string[] labels)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var label in labels)
        {
            if (!label.StartsWith("k8s:", StringComparison.Ordinal))
            {
                continue;
            }

            var text = label.AsSpan(4);
            var eq = text.IndexOf('=');
            var key = (eq < 0 ? text : text[..eq]).ToString();
            if (key.StartsWith("io.cilium.k8s.", StringComparison.Ordinal) || key.StartsWith("io.kubernetes.pod.", StringComparison.Ordinal))
            {
                continue;
            }

            result.TryAdd(key, eq < 0 ? "" : text[(eq + 1)..].ToString());
        }

        return result;
    }

    private static MapPeer New(string id, string kind, string ns, string name, IReadOnlyDictionary<string, string> labels, IReadOnlyList<KeyValuePair<string, string>> filter) =>
        new(id, kind, ns, name, labels, filter);

    private MapPeer Get(string id, Func<MapPeer> create)
    {
        if (!_byId.TryGetValue(id, out var peer))
        {
            peer = create();
            _byId[id] = peer;
        }

        return peer;
    }
}

/// <summary>A peer described by its parts (what a history row would carry).</summary>
public sealed record MapPeerKey(string Id, string Kind, string Namespace, string Name, IReadOnlyDictionary<string, string>? Labels = null, IReadOnlyList<KeyValuePair<string, string>>? Filter = null);
