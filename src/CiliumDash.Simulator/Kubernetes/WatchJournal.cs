namespace CiliumDash.Simulator.Kubernetes;

/// <summary>One change as a watch replays it: the resource version it was made at, the resource, the event type.</summary>
internal sealed record JournalEntry(long Version, string Resource, string Type, KubeObject Object);

/// <summary>
/// The objects of the kinds that change while the cluster runs (Nodes, network policies), each at its resource
/// version, with a bounded log of changes, as etcd keeps one: a watch resumes from any version still in the log and a
/// version older than the log's start is "too old" (410 Expired), which makes a client relist. Thread-safe.
/// </summary>
internal sealed class WatchJournal
{
    /// <summary>Changes kept for resuming watches; older ones are compacted away.</summary>
    public const int Retained = 1000;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, Dictionary<(string? Ns, string Name), KubeObject>> _objects = new(StringComparer.Ordinal);
    private readonly Queue<JournalEntry> _log = new();
    private long _version = 5000;
    private long _compactedThrough = 5000;

    /// <summary>Raised (outside the lock) after every change; carries nothing, watchers read the log.</summary>
    public event Action? Changed;

    public long Version
    {
        get
        {
            lock (_lock)
            {
                return _version;
            }
        }
    }

    /// <summary>Creates or replaces an object; <paramref name="render"/> gets the new resource version.</summary>
    /// <param name="silent">seeding the initial state: no log entry (a watch from before it is too old anyway).</param>
    public long Put(string resource, string? ns, string name, Func<string, KubeObject> render, bool silent = false)
    {
        long version;
        lock (_lock)
        {
            version = ++_version;
            var objects = Objects(resource);
            var type = objects.ContainsKey((ns, name)) ? "MODIFIED" : "ADDED";
            var rendered = render(version.ToString(System.Globalization.CultureInfo.InvariantCulture));
            objects[(ns, name)] = rendered;
            if (silent)
            {
                _compactedThrough = version;
            }
            else
            {
                Append(new JournalEntry(version, resource, type, rendered));
            }
        }

        Changed?.Invoke();
        return version;
    }

    /// <summary>Removes an object; the DELETED event carries its last state at the new resource version.</summary>
    public bool Delete(string resource, string? ns, string name, Func<KubeObject, string, KubeObject> restamp)
    {
        lock (_lock)
        {
            if (!Objects(resource).Remove((ns, name), out var last))
            {
                return false;
            }

            var version = ++_version;
            Append(new JournalEntry(version, resource, "DELETED", restamp(last, version.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        }

        Changed?.Invoke();
        return true;
    }

    public KubeObject? Get(string resource, string? ns, string name)
    {
        lock (_lock)
        {
            return Objects(resource).GetValueOrDefault((ns, name));
        }
    }

    /// <summary>The current objects of a resource (in one namespace, or all) and the version the list is at.</summary>
    public (long Version, IReadOnlyList<KubeObject> Items) List(string resource, string? ns)
    {
        lock (_lock)
        {
            var items = Objects(resource).Values
                .Where(o => ns is null || o.Namespace == ns)
                .OrderBy(o => o.Namespace, StringComparer.Ordinal)
                .ThenBy(o => o.Name, StringComparer.Ordinal)
                .ToList();
            return (_version, items);
        }
    }

    /// <summary>Changes of <paramref name="resource"/> after <paramref name="after"/>; false when that version was compacted away.</summary>
    public bool TryChangesAfter(string resource, long after, out IReadOnlyList<JournalEntry> changes, out long current)
    {
        lock (_lock)
        {
            current = _version;
            if (after < _compactedThrough)
            {
                changes = [];
                return false;
            }

            changes = [.. _log.Where(e => e.Version > after && e.Resource == resource)];
            return true;
        }
    }

    /// <summary>Forgets every change so far, as an etcd compaction does: watches from before now get 410 Expired.</summary>
    public void Compact()
    {
        lock (_lock)
        {
            _log.Clear();
            _compactedThrough = _version;
        }
    }

    private Dictionary<(string? Ns, string Name), KubeObject> Objects(string resource)
    {
        if (!_objects.TryGetValue(resource, out var objects))
        {
            objects = [];
            _objects[resource] = objects;
        }

        return objects;
    }

    private void Append(JournalEntry entry)
    {
        _log.Enqueue(entry);
        while (_log.Count > Retained)
        {
            _compactedThrough = _log.Dequeue().Version;
        }
    }
}
