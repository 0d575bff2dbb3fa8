namespace CiliumDash.Agents;

/// <summary>
/// Reads every node on its own clock: a node is read again one interval after its last read ended, whatever the
/// other nodes do, with at most <c>concurrency</c> reads in flight and never more than one per node. So a node whose
/// agent hangs holds one slot until its timeout and delays no other node (a sweep that waited for the slowest did).
/// </summary>
public sealed class NodeSchedule : IAsyncDisposable
{
    private readonly TimeProvider _time;
    private readonly TimeSpan _interval;
    private readonly SemaphoreSlim _slots;
    // Never throws but for cancellation: a read reports its own failures on the node.
    private readonly Func<AgentTarget, CancellationToken, Task> _read;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, NodeLoop> _nodes = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private volatile bool _paused;

    public NodeSchedule(TimeProvider time, TimeSpan interval, int concurrency, Func<AgentTarget, CancellationToken, Task> read)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(concurrency, 1);
        _time = time;
        _interval = interval;
        _slots = new SemaphoreSlim(concurrency, concurrency);
        _read = read;
    }

    /// <summary>While true no read starts (the API server is unreachable: every exec would fail the same way).</summary>
    public bool Paused
    {
        get => _paused;
        set => _paused = value;
    }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _nodes.Count;
            }
        }
    }

    /// <summary>True while the node waits for its next read (not reading, not queued for a slot).</summary>
    public bool IsWaiting(string node)
    {
        lock (_lock)
        {
            return _nodes.TryGetValue(node, out var loop) && loop.Waiting;
        }
    }

    /// <summary>The nodes of the latest discovery: new ones are read at once, gone ones stop, the others keep their clock.</summary>
    public void Update(IReadOnlyList<AgentTarget> agents)
    {
        ArgumentNullException.ThrowIfNull(agents);
        lock (_lock)
        {
            var current = new HashSet<string>(StringComparer.Ordinal);
            foreach (var agent in agents)
            {
                current.Add(agent.NodeName);
                if (_nodes.TryGetValue(agent.NodeName, out var node))
                {
                    node.Target = agent;
                    continue;
                }

#pragma warning disable CA2000 // the node's loop disposes its token source when it ends (RunAsync, DisposeAsync)
                var added = new NodeLoop(agent, CancellationTokenSource.CreateLinkedTokenSource(_stop.Token));
#pragma warning restore CA2000
                _nodes[agent.NodeName] = added;
                added.Run = RunAsync(added);
            }

            foreach (var gone in _nodes.Keys.Where(n => !current.Contains(n)).ToList())
            {
                _nodes.Remove(gone, out var node);
                node!.Removed = true;
                node.Stop.Cancel();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        Task[] running;
        lock (_lock)
        {
            running = [.. _nodes.Values.Select(n => n.Run!)];
        }

        await _stop.CancelAsync();
        await Task.WhenAll(running);
        lock (_lock)
        {
            foreach (var node in _nodes.Values)
            {
                node.Stop.Dispose();
            }

            _nodes.Clear();
        }

        _stop.Dispose();
        _slots.Dispose();
    }

    private async Task RunAsync(NodeLoop node)
    {
        // Off the caller's stack: Update runs under the lock and must not run a read.
        await Task.Yield();
        var ct = node.Stop.Token;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                if (!_paused)
                {
                    await _slots.WaitAsync(ct);
                    try
                    {
                        await _read(node.Target, ct);
                    }
                    finally
                    {
                        _slots.Release();
                    }
                }

                // Marked waiting only once the timer exists: a test's fake clock may move as soon as it sees the flag.
                var wait = Task.Delay(_interval, _time, ct);
                node.Waiting = true;
                try
                {
                    await wait;
                }
                finally
                {
                    node.Waiting = false;
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Removed or stopped.
        }
        finally
        {
            if (node.Removed)
            {
                node.Stop.Dispose();
            }
        }
    }

    private sealed class NodeLoop(AgentTarget target, CancellationTokenSource stop)
    {
        private AgentTarget _target = target;

        public AgentTarget Target
        {
            get => Volatile.Read(ref _target);
            set => Volatile.Write(ref _target, value);
        }

        public CancellationTokenSource Stop { get; } = stop;

        public Task? Run { get; set; }

        public bool Removed { get; set; }

        private volatile bool _waiting;

        public bool Waiting
        {
            get => _waiting;
            set => _waiting = value;
        }
    }
}
