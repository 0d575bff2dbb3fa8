using CiliumDash.Configuration;
using CiliumDash.Flows.Query;
using CiliumDash.Protocols.Hubble;
using CiliumDash.Protocols.Hubble.ObserverApi;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Microsoft.Extensions.Options;
using CiliumDash.Shared;

namespace CiliumDash.Flows;

/// <summary>
/// Follows hubble-relay's GetFlows stream into the <see cref="FlowStore"/>, reconnecting through the shared
/// <see cref="ReconnectLoop"/> (jittered, capped at 2 s; at once when the relay's endpoints become Ready), and polls
/// ServerStatus and GetNodes. Its state is always visible in the UI.
/// The configured <c>CiliumDash:Flows:Filter</c> goes to the relay as whitelist/blacklist, and
/// <see cref="QueryAsync"/> runs a user's query on the relay's own (larger) buffers.
/// </summary>
public sealed class RelayFlowSource(
    ClusterConnection connection,
    FlowStore store,
    IOptions<CiliumDashOptions> options,
    TimeProvider time,
    ILogger<RelayFlowSource> logger) : BackgroundService
{
    private readonly RelayOptions _options = options.Value.Relay;
    // One for every connection: its deduplicator must remember what earlier connections delivered.
    private readonly FlowIngest _ingest = new(store, Math.Max(options.Value.Flows.WindowSize, 4 * options.Value.Relay.Backfill));
    private readonly FlowQuery _baseFilter = string.IsNullOrWhiteSpace(options.Value.Flows.Filter) ? FlowQuery.Empty : FlowQuery.Parse(options.Value.Flows.Filter);
    private readonly TaskCompletionSource<Observer.ObserverClient> _client = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// Asks the relay for the newest <paramref name="limit"/> flows per node matching <paramref name="query"/> (filtered
    /// by the relay, not here), for history beyond the window. Newest first.
    /// </summary>
    public async Task<IReadOnlyList<Flow>> QueryAsync(FlowQuery query, int limit, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (!_client.Task.IsCompleted)
        {
            throw new InvalidOperationException(store.Relay.LastError ?? "hubble-relay is not connected yet");
        }

        var client = await _client.Task;
        var (white, black) = query.ToFlowFilters();
        var request = new GetFlowsRequest { Number = (ulong)limit };
        request.Whitelist.Add(white);
        request.Blacklist.Add(black);
        var flows = new List<Flow>();
        using var call = client.GetFlows(request, deadline: time.GetUtcNow().UtcDateTime.AddSeconds(30), cancellationToken: ct);
        await foreach (var response in call.ResponseStream.ReadAllAsync(ct))
        {
            if (response.Flow is { } flow)
            {
                flow.NodeName = flow.NodeName.Length > 0 ? flow.NodeName : response.NodeName;
                flow.Time ??= response.Time;
                flows.Add(flow);
            }
        }

        // number applies per node; merged they are in time order, and the caller wants the newest first.
        return flows.OrderByDescending(f => f.Time?.ToDateTimeOffset() ?? DateTimeOffset.MinValue).Take(limit).ToArray();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        ClusterEndpoints endpoints;
        try
        {
            endpoints = await connection.WaitAsync(stoppingToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            store.SetRelay(store.Relay.Failed(ex.Message, time.GetUtcNow()));
            return;
        }
        catch (OperationCanceledException)
        {
            return;
        }

        if (string.IsNullOrEmpty(endpoints.RelayAddress))
        {
            store.SetRelay(new SourceHealth("hubble-relay", "", SourceState.Disabled,
                "no hubble-relay address configured (CiliumDash:Relay:Address) — flows are off", null, time.GetUtcNow()));
            return;
        }

        var address = endpoints.RelayAddress;
        store.SetRelay(SourceHealth.Initial("hubble-relay", address));
        using var channel = CreateChannel(address);
        if (channel is null)
        {
            return;
        }

        var client = new Observer.ObserverClient(channel);
        _client.TrySetResult(client);
        var reconnect = new ReconnectLoop(Policy(address, _options.Tls), time, logger, failure =>
            store.SetRelay(store.Relay with { State = SourceState.Reconnecting, LastError = Shown(failure), LastErrorAt = time.GetUtcNow() }));
        using var stopWatch = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var endpointsWatch = RelayEndpointsWatch.For(endpoints, address) is { } watch
            ? watch.RunAsync(reconnect.RetryNow, time, logger, stopWatch.Token)
            : Task.CompletedTask;
        var statusLoop = PollServerStatusAsync(client, stoppingToken);
        try
        {
            await reconnect.RunAsync(ct => FollowOnceAsync(client, address, ct), stoppingToken);
        }
        catch (Exception ex)
        {
            // Not a connection problem: a defect or a state this process cannot leave. Said, never retried in a loop.
            logger.LogError(ex, "hubble-relay flow source stopped");
            store.SetRelay(store.Relay.Failed($"hubble-relay flow source stopped: {ex.GetType().Name}: {ex.Message}", time.GetUtcNow()));
        }
        finally
        {
            await stopWatch.CancelAsync();
        }

        await endpointsWatch;
        await statusLoop;
    }

    /// <summary>The relay's retry shape: reconnect within 2 s of the relay being back; misconfiguration every 60 s.</summary>
    public static ReconnectPolicy Policy(string address, RelayTlsOptions? tls) =>
        new("hubble-relay", TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(2), Classify, ex => Describe(ex, address, tls));

    /// <summary>What only a person can fix (a wrong port, RBAC, certificates) is retried slowly; transport trouble quickly.</summary>
    public static FailureKind Classify(Exception ex) => ex switch
    {
        RpcException { StatusCode: StatusCode.Unimplemented or StatusCode.PermissionDenied or StatusCode.Unauthenticated } => FailureKind.Persistent,
        RpcException rpc when Find(rpc, e => e is AuthenticationException) is not null => FailureKind.Persistent,
        RpcException rpc when Find(rpc, e => e.Message.Contains("did not complete the HTTP/2 handshake", StringComparison.Ordinal)) is not null => FailureKind.Persistent,
        RpcException or IOException or HttpRequestException => FailureKind.Transient,
        _ => FailureKind.Fatal,
    };

    private static string Shown(ReconnectFailure failure) =>
        failure.Kind == FailureKind.Persistent
            ? $"{failure.Message} (retrying every {ReconnectPolicy.PersistentDelay.TotalSeconds:0} s, attempt {failure.Attempts})"
            : failure.Message;

    /// <summary>The relay channel; null (and the source Failed) when its TLS files cannot be used.</summary>
    private Grpc.Net.Client.GrpcChannel? CreateChannel(string address)
    {
        try
        {
            return RelayChannel.Create(address, _options.Tls);
        }
        catch (Exception ex) when (ex is System.Security.Cryptography.CryptographicException or IOException or UriFormatException)
        {
            // Files that cannot be read now will not be readable on a retry either: a restart with fixed settings is needed.
            store.SetRelay(store.Relay.Failed($"hubble-relay TLS setup failed: {ex.Message}", time.GetUtcNow()));
            return null;
        }
    }

    /// <summary>One GetFlows stream: throws when it cannot start; returns when a stream that delivered flows ends.</summary>
    private async ValueTask FollowOnceAsync(Observer.ObserverClient client, string address, CancellationToken ct)
    {
        // The relay cannot combine since with follow, so recent history comes from `number`; the deduplicator
        // drops what an earlier connection already delivered.
        using var call = client.GetFlows(FollowRequest(), cancellationToken: ct);
        var stream = call.ResponseStream;
        var first = true;
        try
        {
            while (true)
            {
                // Flows that arrived together go into the store as one batch (one lock, one notification);
                // the batch is handed over as soon as the stream would wait, so nothing lingers unseen.
                var next = stream.MoveNext(ct);
                if (!next.IsCompleted)
                {
                    _ingest.Flush();
                }

                bool more;
                try
                {
                    more = await next;
                }
                catch (RpcException ex) when (!first && !ct.IsCancellationRequested)
                {
                    // It worked and then broke: reconnect at once, with the backoff reset.
                    Ended(Describe(ex, address, _options.Tls));
                    return;
                }

                if (!more)
                {
                    break;
                }

                if (first)
                {
                    first = false;
                    store.SetRelay(store.Relay with { State = SourceState.Connected, LastSuccess = time.GetUtcNow() });
                    logger.LogInformation("Following flows from hubble-relay at {Address}", address);
                }

                _ingest.Accept(stream.Current);
            }
        }
        finally
        {
            _ingest.Flush();
        }

        if (first)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, "hubble-relay ended the flow stream before sending anything"));
        }

        Ended($"hubble-relay at {address} ended the flow stream");
    }

    private void Ended(string why)
    {
        logger.LogInformation("{Reason}; reconnecting", why);
        store.SetRelay(store.Relay with { State = SourceState.Reconnecting, LastError = why, LastErrorAt = time.GetUtcNow() });
    }

    private GetFlowsRequest FollowRequest()
    {
        var request = new GetFlowsRequest { Follow = true, Number = (ulong)_options.Backfill };
        var (white, black) = _baseFilter.ToFlowFilters();
        request.Whitelist.Add(white);
        request.Blacklist.Add(black);
        return request;
    }

    private async Task PollServerStatusAsync(Observer.ObserverClient client, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var status = await client.ServerStatusAsync(new ServerStatusRequest(), deadline: time.GetUtcNow().UtcDateTime.AddSeconds(10), cancellationToken: ct);
                var nodes = await client.GetNodesAsync(new GetNodesRequest(), deadline: time.GetUtcNow().UtcDateTime.AddSeconds(10), cancellationToken: ct);
                store.SetServerStatus(new RelayServerStatus(status.NumFlows, status.MaxFlows, status.SeenFlows, TimeSpan.FromTicks((long)(status.UptimeNs / 100)),
                    status.NumConnectedNodes, status.NumUnavailableNodes, status.UnavailableNodes.ToArray(), status.Version, status.FlowsRate,
                    nodes.Nodes.Select(n => new RelayNode(n.Name, n.Version, n.Address, FlowMapper.Name(n.State), n.NumFlows, n.MaxFlows, n.SeenFlows)).ToArray(),
                    time.GetUtcNow()));
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (RpcException ex)
            {
                // The flow stream reports connectivity; this poll only keeps the last good numbers.
                logger.LogDebug("hubble-relay ServerStatus failed: {Error}", ex.Status.Detail);
            }

            try
            {
                await Task.Delay(_options.StatusPollInterval, time, ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>What the user reads in the UI and /api/v1/cluster: the cause and how to fix it.</summary>
    /// <param name="tls">the TLS settings in use, to name the one that needs fixing.</param>
    public static string Describe(Exception ex, string address, RelayTlsOptions? tls = null) => ex switch
    {
        RpcException rpc when Find(rpc, e => e is AuthenticationException) is AuthenticationException auth => DescribeHandshake(auth, address, tls),
        // The same hang-up surfaces in several wrappings (which one depends on timing); its text is the common part.
        RpcException rpc when Find(rpc, e => e.Message.Contains("did not complete the HTTP/2 handshake", StringComparison.Ordinal)) is not null =>
            DescribeClosedBeforeHttp2(address, tls),
        RpcException { StatusCode: StatusCode.Unavailable } rpc when rpc.Status.DebugException is not null || rpc.Status.Detail.Contains("connect", StringComparison.OrdinalIgnoreCase) =>
            $"hubble-relay not reachable at {address}: {Inner(rpc)} — is Hubble Relay enabled? `helm upgrade cilium cilium/cilium -n kube-system --reuse-values --set hubble.relay.enabled=true`",
        RpcException { StatusCode: StatusCode.Unimplemented } rpc =>
            $"hubble-relay at {address} does not serve observer.Observer ({rpc.Status.Detail}) — is CiliumDash:Relay:Address hubble-relay's own port (4245, or its Service's port 80), not Hubble UI's or an agent's?",
        RpcException { StatusCode: StatusCode.PermissionDenied or StatusCode.Unauthenticated } rpc =>
            $"hubble-relay at {address} refused the call: {rpc.StatusCode}: {rpc.Status.Detail} — check the client certificate (CiliumDash:Relay:Tls:CertFile) and any proxy in front of the relay",
        RpcException rpc => $"hubble-relay at {address}: {rpc.StatusCode}: {rpc.Status.Detail}",
        _ => $"hubble-relay at {address}: {ex.Message}",
    };

    /// <summary>SslStream names the failed check (name, chain status); the user needs the setting that fixes it.</summary>
    private static string DescribeHandshake(AuthenticationException auth, string address, RelayTlsOptions? tls)
    {
        var failed = $"hubble-relay at {address}: TLS handshake failed:";
        var detail = auth.Message;
        if (detail.Contains(nameof(SslPolicyErrors.RemoteCertificateNameMismatch), StringComparison.Ordinal))
        {
            var name = string.IsNullOrEmpty(tls?.ServerName)
                ? $"'{(Uri.TryCreate(address, UriKind.Absolute, out var uri) ? uri.Host : address)}' of the address"
                : $"'{tls.ServerName}' of CiliumDash:Relay:Tls:ServerName";
            return $"{failed} the relay's certificate does not match the name {name} — set CiliumDash:Relay:Tls:ServerName to a name the certificate carries (Cilium's relay certificate is for *.hubble-relay.cilium.io)";
        }

        if (detail.Contains(nameof(X509ChainStatusFlags.UntrustedRoot), StringComparison.Ordinal) || detail.Contains(nameof(X509ChainStatusFlags.PartialChain), StringComparison.Ordinal))
        {
            return string.IsNullOrEmpty(tls?.CaFile)
                ? $"{failed} the relay's certificate is not signed by a CA this machine trusts — set CiliumDash:Relay:Tls:CaFile to the relay's CA (ca.crt of Cilium's hubble-relay-server-certs Secret) ({detail})"
                : $"{failed} the relay's certificate is not signed by the CA in CiliumDash:Relay:Tls:CaFile '{tls.CaFile}' ({detail})";
        }

        return $"{failed} {detail}";
    }

    /// <summary>
    /// The server hung up before its HTTP/2 settings: over h2c, a TLS relay does that to a plaintext client; over TLS
    /// (1.3), a relay that requires client certificates does it after the handshake, to a client it refuses.
    /// </summary>
    private static string DescribeClosedBeforeHttp2(string address, RelayTlsOptions? tls)
    {
        if (address.StartsWith("http://", StringComparison.OrdinalIgnoreCase) && tls?.Enabled != true)
        {
            return $"hubble-relay at {address} closed the connection before HTTP/2 started — if the relay serves TLS (hubble.relay.tls.server.enabled, Service port 443), use an https:// address and set CiliumDash:Relay:Tls:CaFile";
        }

        var closed = $"hubble-relay at {address} closed the connection after the TLS handshake:";
        return string.IsNullOrEmpty(tls?.CertFile)
            ? $"{closed} it requires a client certificate (mTLS, hubble.relay.tls.server.mtls) — set CiliumDash:Relay:Tls:CertFile and KeyFile (e.g. from Cilium's hubble-relay-client-certs Secret)"
            : $"{closed} it refused the client certificate in CiliumDash:Relay:Tls:CertFile '{tls.CertFile}' — it must be signed by the CA the relay trusts for clients";
    }

    private static Exception? Find(RpcException rpc, Func<Exception, bool> match)
    {
        for (var e = rpc.Status.DebugException; e is not null; e = e.InnerException)
        {
            if (match(e))
            {
                return e;
            }
        }

        return null;
    }

    private static string Inner(RpcException rpc)
    {
        Exception? e = rpc.Status.DebugException;
        while (e?.InnerException is not null)
        {
            e = e.InnerException;
        }

        return e?.Message ?? rpc.Status.Detail;
    }
}
