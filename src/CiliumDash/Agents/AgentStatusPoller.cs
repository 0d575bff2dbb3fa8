using CiliumDash.Configuration;
using CiliumDash.Connectivity;
using Microsoft.Extensions.Options;
using CiliumDash.Shared;

namespace CiliumDash.Agents;

/// <summary>
/// Discovers the agents every poll interval and reads each node on its own schedule (<see cref="NodeSchedule"/>), at
/// most N at a time, each read with its own timeout. A node that fails keeps its last good data (shown stale) and gets
/// a specific error; other nodes are unaffected; nothing escapes the loop. While the Kubernetes API is unreachable no
/// exec is tried, and nodes whose last good read is older than two intervals are marked stale with that reason.
/// </summary>
public sealed class AgentStatusPoller(
    Func<ClusterEndpoints, IAgentSource> sourceFactory,
    ClusterConnection connection,
    ClusterStore store,
    ConnectivityStore connectivity,
    IOptions<CiliumDashOptions> options,
    TimeProvider time,
    ILogger<AgentStatusPoller> logger) : BackgroundService
{
    private readonly KubernetesOptions _options = options.Value.Kubernetes;
    private readonly bool _readOnly = options.Value.Access.ReadOnlyProfile;
    private readonly MapPressureReads _mapPressure = new(options.Value.Kubernetes.MetricsInterval);
    private readonly TimeSpan _interval = options.Value.Source == DataSource.AgentSocket ? options.Value.AgentSocket.PollInterval : options.Value.Kubernetes.PollInterval;

    /// <summary>The running per-node schedule (tests watch it to move a fake clock only when every node waits).</summary>
    internal NodeSchedule? Schedule { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        ClusterEndpoints info;
        try
        {
            info = await connection.WaitAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        catch (Exception ex)
        {
            store.SetAgentSource(store.AgentSource.Failed(ex.Message, time.GetUtcNow()));
            return;
        }

        var source = sourceFactory(info);

        // The source owns its clients (the Kubernetes client, the agent socket handlers); they end with the loop.
        using var owned = source as IDisposable;
        store.SetAgentSource(SourceHealth.Initial("agents", source.Target));
        store.ExecDisabled = _readOnly;
        var schedule = new NodeSchedule(time, _interval, _options.MaxConcurrentExecs, (agent, ct) => ReadNodeAsync(source, agent, ct));
        Schedule = schedule;
        var reconnect = new ReconnectLoop(Policy(_interval), time, logger, failure =>
        {
            // Discovery failed: no node is read until it works again (every exec would go through the same API).
            schedule.Paused = true;
            store.SetAgentSource(store.AgentSource with { State = SourceState.Reconnecting, LastError = failure.Message, LastErrorAt = time.GetUtcNow() });
            MarkStale(StaleReason(failure.Error), time.GetUtcNow());
        });
        try
        {
            await reconnect.RunAsync(async ct =>
            {
                var discovery = await DiscoverAsync(source, ct);
                schedule.Update(discovery.Agents);
                schedule.Paused = false;
                await Task.Delay(_interval, time, ct);
            }, stoppingToken);
        }
        catch (Exception ex)
        {
            // Not a connection problem: said, never shown as reconnecting.
            logger.LogError(ex, "Agent source {Target} stopped", source.Target);
            var reason = $"agent source stopped: {ex.GetType().Name}: {ex.Message}";
            store.SetAgentSource(store.AgentSource.Failed(reason, time.GetUtcNow()));
            MarkStale(reason, DateTimeOffset.MaxValue);
        }
        finally
        {
            await schedule.DisposeAsync();
        }
    }

    /// <summary>Discovery's retry shape: jittered, capped at the poll interval; RBAC refusals every 60 s.</summary>
    public static ReconnectPolicy Policy(TimeSpan interval) =>
        new("agent discovery", TimeSpan.FromSeconds(1), interval < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : interval, Classify, Describe);

    /// <summary>401/403 need RBAC or credentials fixed; transport and server trouble passes; anything else is a defect.</summary>
    public static FailureKind Classify(Exception ex) => ex switch
    {
        k8s.Autorest.HttpOperationException { Response.StatusCode: System.Net.HttpStatusCode.Unauthorized or System.Net.HttpStatusCode.Forbidden } => FailureKind.Persistent,
        k8s.Autorest.HttpOperationException or HttpRequestException or IOException or TimeoutException or OperationCanceledException
            or System.Net.Sockets.SocketException or System.Text.Json.JsonException => FailureKind.Transient,
        _ => FailureKind.Fatal,
    };

    /// <summary>One full cycle: discovery, then every running agent at once. The poll-cycle benchmark measures it.</summary>
    public async Task PollOnceAsync(IAgentSource source, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(source);
        var discovery = await DiscoverAsync(source, ct);
        await Parallel.ForEachAsync(discovery.Agents, new ParallelOptions { MaxDegreeOfParallelism = _options.MaxConcurrentExecs, CancellationToken = ct },
            async (agent, token) => await ReadNodeAsync(source, agent, token));
    }

    private async Task<AgentDiscovery> DiscoverAsync(IAgentSource source, CancellationToken ct)
    {
        var discovery = await source.DiscoverAsync(ct);
        store.SetWorkloads(discovery.Workloads);
        var names = discovery.Agents.Select(a => a.NodeName).ToHashSet(StringComparer.Ordinal);
        store.RetainNodes(names);
        connectivity.Retain(names);
        store.SetAgentSource(store.AgentSource with { State = SourceState.Connected, LastSuccess = time.GetUtcNow() });
        return discovery;
    }

    /// <summary>
    /// Every node whose last good read is older than two intervals (before <paramref name="now"/>) gets the reason, so
    /// data the dashboard can no longer refresh is shown stale instead of looking live.
    /// </summary>
    private void MarkStale(string reason, DateTimeOffset now)
    {
        foreach (var node in store.Nodes)
        {
            if (node.LastUpdated is not { } last || now - last > 2 * _interval)
            {
                store.UpdateNode(node.Name, old => (old ?? node) with { Error = reason });
            }
        }
    }

    private static string StaleReason(Exception ex) => ex switch
    {
        HttpRequestException or IOException or TimeoutException or OperationCanceledException or System.Net.Sockets.SocketException =>
            $"Kubernetes API unreachable: {ex.Message}",
        _ => $"agent discovery failed: {Describe(ex)}",
    };

    private async Task ReadNodeAsync(IAgentSource source, AgentTarget agent, CancellationToken ct)
    {
        var attempt = time.GetUtcNow();
        if (!agent.Container.Running)
        {
            var reason = AgentTarget.NotRunningReason(agent.Container);
            store.UpdateNode(agent.NodeName, old => Snapshot(old, agent) with { LastAttempt = attempt, Error = reason, HealthError = reason });
            connectivity.MarkUnread(agent.NodeName, reason);
            return;
        }

        if (_readOnly)
        {
            // The readonly RBAC profile has no pods/exec: keep what Kubernetes tells, never try an exec that would be denied.
            store.UpdateNode(agent.NodeName, old => Snapshot(old, agent) with { LastAttempt = attempt });
            return;
        }

        AgentRead read;
        // On the app's clock, so a test's fake clock decides when a hung agent times out.
        using var deadline = new CancellationTokenSource(_options.ExecTimeout * 2, time);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct, deadline.Token);
        try
        {
            read = await source.ReadAsync(agent with { WithMetrics = _mapPressure.Due(agent.NodeName, attempt) }, timeout.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            read = new AgentRead(null, $"timed out after {_options.ExecTimeout.TotalSeconds:0.#}s waiting for the agent to answer", null, "timed out");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            read = new AgentRead(null, Describe(ex), null, Describe(ex));
        }

        if (read.Container is { } container)
        {
            agent = agent with { Container = container };
        }

        var status = read.Status is { } bytes ? AgentStatusParser.Parse(bytes) : null;
        // Parsed straight into the matrix; the node keeps only its summary line.
        var health = read.Health is { } hb ? connectivity.Ingest(agent.NodeName, hb) : null;
        if (read.HealthError is { } unread)
        {
            connectivity.MarkUnread(agent.NodeName, unread);
        }

        var error = read.StatusError ?? status?.Error;
        var healthError = read.HealthError ?? health?.Error;
        var now = time.GetUtcNow();
        var pressure = _mapPressure.Observe(agent.NodeName, read, now);
        store.PollMetrics.Record(agent.NodeName, now - attempt, error is not null);
        if (status?.Value?.Controllers is { } controllers)
        {
            store.ControllerHistory.Observe(agent.NodeName, controllers, now);
        }

        store.UpdateNode(agent.NodeName, old =>
        {
            var next = Snapshot(old, agent) with { LastAttempt = attempt, Error = error, HealthError = healthError };
            next = pressure?.ApplyTo(next) ?? next;
            if (status?.Value is { } parsed)
            {
                next = next with { Status = parsed, LastUpdated = now };
            }

            return health?.Summary is { } h ? next with { Health = h } : next;
        });
    }

    private static NodeSnapshot Snapshot(NodeSnapshot? old, AgentTarget agent) =>
        (old ?? new NodeSnapshot(agent.NodeName, agent.PodName, agent.Container, null, null, null, null, null, null))
        with { AgentPod = agent.PodName, Container = agent.Container, MemoryBytes = agent.MemoryBytes ?? old?.MemoryBytes };

    /// <summary>The message the user sees: the cause, not a stack trace, and never request headers.</summary>
    private static string Describe(Exception ex) => ex switch
    {
        k8s.Autorest.HttpOperationException http => $"Kubernetes API answered {(int)http.Response.StatusCode} {http.Response.ReasonPhrase}: {Shorten(http.Response.Content)}",
        HttpRequestException req => $"Kubernetes API not reachable: {req.Message}",
        _ => ex.Message,
    };

    private static string Shorten(string? text) => text is null ? "" : text.Length <= 300 ? text : text[..300] + "…";
}
