using CiliumDash.Simulator.Cluster;

namespace CiliumDash.Simulator.Kubernetes;

/// <summary>
/// Resource versions for the stand-in. Faults are plain properties with no change event, so every request (and every
/// open watch, on a timer) calls <see cref="Refresh"/>, which notices a new CrashLoopingNodes set by reference and
/// bumps the version of the agent pods whose state flipped, and a flip of RelayDown (hubble-relay's EndpointSlice).
/// </summary>
internal sealed class ResourceVersions
{
    private const long Initial = 1000;

    private readonly SimulatorFaults _faults;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, long> _nodeVersions = new(StringComparer.Ordinal);
    private IReadOnlySet<string> _lastCrashLooping;
    private bool _lastRelayDown;
    private long _relayVersion = Initial;
    private long _current = Initial;

    public ResourceVersions(SimulatorFaults faults)
    {
        _faults = faults;
        _lastCrashLooping = faults.CrashLoopingNodes;
    }

    /// <summary>Raised (outside the lock) with the names of nodes whose agent pod changed.</summary>
    public event Action<IReadOnlyList<string>>? NodesChanged;

    public long Current
    {
        get
        {
            Refresh();
            return Volatile.Read(ref _current);
        }
    }

    /// <summary>The resource version of a node's agent pod (the initial version until its state first flips).</summary>
    public long ForNode(string node)
    {
        lock (_lock)
        {
            return _nodeVersions.GetValueOrDefault(node, Initial);
        }
    }

    /// <summary>The resource version of hubble-relay's EndpointSlice: it changes when the relay goes down or comes back.</summary>
    public long RelayVersion
    {
        get
        {
            Refresh();
            return Volatile.Read(ref _relayVersion);
        }
    }

    /// <summary>A node's agent pod changed for a reason other than a fault flip (restart, upgrade, node gone or back).</summary>
    public void Bump(IReadOnlyList<string> nodes)
    {
        lock (_lock)
        {
            var version = Interlocked.Increment(ref _current);
            foreach (var node in nodes)
            {
                _nodeVersions[node] = version;
            }
        }

        NodesChanged?.Invoke(nodes);
    }

    public void Refresh()
    {
        RefreshRelay();
        var set = _faults.CrashLoopingNodes;
        if (ReferenceEquals(set, Volatile.Read(ref _lastCrashLooping)))
        {
            return;
        }

        List<string> changed;
        lock (_lock)
        {
            if (ReferenceEquals(set, _lastCrashLooping))
            {
                return;
            }

            changed = [.. set.Where(n => !_lastCrashLooping.Contains(n)), .. _lastCrashLooping.Where(n => !set.Contains(n))];
            _lastCrashLooping = set;
            if (changed.Count == 0)
            {
                return;
            }

            var version = Interlocked.Increment(ref _current);
            foreach (var node in changed)
            {
                _nodeVersions[node] = version;
            }
        }

        NodesChanged?.Invoke(changed);
    }

    private void RefreshRelay()
    {
        var down = _faults.RelayDown;
        if (down == Volatile.Read(ref _lastRelayDown))
        {
            return;
        }

        lock (_lock)
        {
            if (down != _lastRelayDown)
            {
                _lastRelayDown = down;
                Volatile.Write(ref _relayVersion, Interlocked.Increment(ref _current));
            }
        }
    }
}
