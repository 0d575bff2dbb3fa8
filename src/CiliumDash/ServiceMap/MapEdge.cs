using CiliumDash.Flows.Window;

namespace CiliumDash.ServiceMap;

/// <summary>
/// The running counts of one link (source → target at the finest grain): every count goes up when a flow enters the
/// aggregate and down when it leaves, so the map follows the window without scanning it. Ports are keyed by
/// protocol and port, L7 by HTTP status class or DNS rcode.
/// </summary>
internal sealed class MapEdge
{
    internal MapEdge(MapPeer source, MapPeer target)
    {
        Source = source;
        Target = target;
    }

    public MapPeer Source { get; }

    public MapPeer Target { get; }

    public long Flows { get; private set; }

    /// <summary>Flows per Hubble verdict number.</summary>
    public Dictionary<int, long> Verdicts { get; } = [];

    /// <summary>Dropped flows per Hubble drop reason number.</summary>
    public Dictionary<int, long> DropReasons { get; } = [];

    /// <summary>Flows per (L4 protocol, destination port of the connection).</summary>
    public Dictionary<(string Protocol, int Port), long> Ports { get; } = [];

    /// <summary>HTTP responses per status class (1..5 for 1xx..5xx, 0 = request without a response yet).</summary>
    public Dictionary<int, long> Http { get; } = [];

    /// <summary>DNS responses per rcode (-1 = query).</summary>
    public Dictionary<int, long> Dns { get; } = [];

    public Dictionary<PolicyRef, long> Policies { get; } = [];

    /// <summary>Nanoseconds since the epoch of the newest flow counted.</summary>
    public long LastSeenNanos { get; private set; }

    internal void Count(in MapSample sample, int sign)
    {
        var n = sample.Count * sign;
        Flows += n;
        Bump(Verdicts, sample.Verdict, n);
        if (sample.DropReason != 0)
        {
            Bump(DropReasons, sample.DropReason, n);
        }

        if (sample.Protocol.Length > 0)
        {
            Bump(Ports, (sample.Protocol, sample.Port), n);
        }

        if (sample.Http >= 0)
        {
            Bump(Http, sample.Http, n);
        }

        if (sample.Dns >= -1 && sample.IsDns)
        {
            Bump(Dns, sample.Dns, n);
        }

        foreach (var policy in sample.Policies)
        {
            Bump(Policies, policy, n);
        }

        if (sign > 0 && sample.TimeNanos > LastSeenNanos)
        {
            LastSeenNanos = sample.TimeNanos;
        }
    }

    private static void Bump<TKey>(Dictionary<TKey, long> counts, TKey key, long n)
        where TKey : notnull
    {
        ref var slot = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(counts, key, out _);
        slot += n;
        if (slot <= 0)
        {
            counts.Remove(key);
        }
    }
}

/// <summary>
/// What the map keeps of one flow (or of <see cref="Count"/> alike flows, for an aggregate fed from stored history):
/// the two peers, oriented from the connection's initiator to its responder, and the counted facts.
/// </summary>
internal readonly record struct MapSample(
    MapPeer Source,
    MapPeer Target,
    int Verdict,
    int DropReason,
    string Protocol,
    int Port,
    int Http,
    int Dns,
    bool IsDns,
    PolicyRef[] Policies,
    long TimeNanos,
    int Count);
