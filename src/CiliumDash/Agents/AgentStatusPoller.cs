using CiliumDash.Configuration;
using CiliumDash.Connectivity;
using Microsoft.Extensions.Options;
using CiliumDash.Shared;

namespace CiliumDash.Agents;

/// <summary>
/// Reads every agent once per poll interval, at most N at a time, each with its own timeout. A node that fails keeps
/// its last good data (shown stale) and gets a specific error; other nodes are unaffected; nothing escapes the loop.
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
            store.SetAgentSource(store.AgentSource with { State = SourceState.Reconnecting, LastError = ex.Message, LastErrorAt = time.GetUtcNow() });
            return;
        }

        var source = sourceFactory(info);

        // The source owns its clients (the Kubernetes client, the agent socket handlers); they end with the loop.
        using var owned = source as IDisposable;
        store.SetAgentSource(SourceHealth.Initial("agents", source.Target));
        store.ExecDisabled = _readOnly;
        var backoff = new Backoff();
        while (!stoppingToken.IsCancellationRequested)
        {
            var delay = _interval;
            try
            {
                await PollOnceAsync(source, stoppingToken);
                backoff.Reset();
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                delay = backoff.Next();
                logger.LogWarning("Agent discovery via {Target} failed, retrying in {Delay}: {ErrorType}: {Error}", source.Target, delay, ex.GetType().Name, ex.Message);
                logger.LogDebug(ex, "Agent discovery via {Target} failed", source.Target);
                store.SetAgentSource(store.AgentSource with { State = SourceState.Reconnecting, LastError = Describe(ex), LastErrorAt = time.GetUtcNow() });
            }

            try
            {
                await Task.Delay(delay, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One full cycle: discovery, then every running agent. Public for the poll-cycle benchmark.</summary>
    public async Task PollOnceAsync(IAgentSource source, CancellationToken ct)
    {
        var discovery = await source.DiscoverAsync(ct);
        store.SetWorkloads(discovery.Workloads);
        var names = discovery.Agents.Select(a => a.NodeName).ToHashSet(StringComparer.Ordinal);
        store.RetainNodes(names);
        connectivity.Retain(names);
        store.SetAgentSource(store.AgentSource with { State = SourceState.Connected, LastSuccess = time.GetUtcNow() });

        await Parallel.ForEachAsync(discovery.Agents, new ParallelOptions { MaxDegreeOfParallelism = _options.MaxConcurrentExecs, CancellationToken = ct },
            async (agent, token) => await ReadNodeAsync(source, agent, token));
    }

    private async Task ReadNodeAsync(IAgentSource source, AgentTarget agent, CancellationToken ct)
    {
        var attempt = time.GetUtcNow();
        if (!agent.Container.Running)
        {
            var reason = agent.Container.WaitingReason is { } w
                ? $"container cilium-agent is in {w}" + (agent.Container.LastExitCode is { } code ? $", exited with code {code}" : "")
                : $"container cilium-agent is not running (pod phase {agent.Container.PodPhase})";
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
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_options.ExecTimeout * 2);
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
        with { AgentPod = agent.PodName, Container = agent.Container };

    /// <summary>The message the user sees: the cause, not a stack trace, and never request headers.</summary>
    private static string Describe(Exception ex) => ex switch
    {
        k8s.Autorest.HttpOperationException http => $"Kubernetes API answered {(int)http.Response.StatusCode} {http.Response.ReasonPhrase}: {Shorten(http.Response.Content)}",
        HttpRequestException req => $"Kubernetes API not reachable: {req.Message}",
        _ => ex.Message,
    };

    private static string Shorten(string? text) => text is null ? "" : text.Length <= 300 ? text : text[..300] + "…";
}
