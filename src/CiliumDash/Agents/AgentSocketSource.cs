using System.Net;
using System.Net.Sockets;
using CiliumDash.Configuration;

namespace CiliumDash.Agents;

/// <summary>
/// Reads the local agent the way cilium-dbg does, over its unix sockets: <c>GET /v1/healthz</c> with the
/// <c>Brief: false</c> header on the agent socket and <c>GET /v1beta/status</c> on the health socket, and now and then
/// <c>GET /v1/metrics/</c> for BPF map pressure. For running on a
/// node (a DaemonSet that mounts /var/run/cilium); there is no Kubernetes view, so the summary shows this node only.
/// </summary>
public sealed class AgentSocketSource : IAgentSource, IDisposable
{
    private readonly AgentSocketOptions _options;
    private readonly HttpClient _agent;
    private readonly HttpClient _health;
    private string _nodeName;

    public AgentSocketSource(AgentSocketOptions options)
    {
        _options = options;
        _agent = Client(options.AgentSocket);
        _health = Client(options.HealthSocket);
        _nodeName = string.IsNullOrEmpty(options.NodeName) ? Environment.GetEnvironmentVariable("NODE_NAME") ?? Environment.MachineName : options.NodeName;
    }

    public string Target => $"unix://{_options.AgentSocket}";

    public Task<AgentDiscovery> DiscoverAsync(CancellationToken ct)
    {
        var running = new AgentContainerState("Running", true, true, null, null, null, 0);
        return Task.FromResult(new AgentDiscovery([new AgentTarget(_nodeName, "local agent", running)], ClusterWorkloads.Empty));
    }

    public async Task<AgentRead> ReadAsync(AgentTarget agent, CancellationToken ct)
    {
        var (status, statusError) = await GetAsync(_agent, "/v1/healthz", _options.AgentSocket, AgentStatusParser.MaxDocumentBytes, brief: false, ct);
        var (health, healthError) = await GetAsync(_health, "/v1beta/status", _options.HealthSocket, AgentStatusParser.MaxDocumentBytes * 4, brief: null, ct);
        if (status is not null && AgentStatusParser.Parse(status).Value?.Cluster?.Self is { Length: > 0 } self && self != _nodeName)
        {
            // The agent knows its node's name better than our environment; use it from the next poll on.
            _nodeName = self;
        }

        var (metrics, metricsError) = agent.WithMetrics ? await GetMetricsAsync(ct) : (null, null);
        return new AgentRead(status, statusError, health, healthError, metrics, metricsError);
    }

    /// <summary>GET /v1/metrics/ on the agent socket: the same list as <c>cilium-dbg metrics list</c>, served up to Cilium 1.16.</summary>
    private async Task<(byte[]? Body, string? Error)> GetMetricsAsync(CancellationToken ct)
    {
        return await GetAsync(_agent, "/v1/metrics/", _options.AgentSocket, MapPressureParser.MaxDocumentBytes, brief: null, ct,
            notFound: "this agent version has no /v1/metrics/ API");
    }

    public void Dispose()
    {
        _agent.Dispose();
        _health.Dispose();
    }

    private static async Task<(byte[]? Body, string? Error)> GetAsync(HttpClient client, string path, string socket, int maxBytes, bool? brief, CancellationToken ct,
        string? notFound = null)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            if (brief is { } b)
            {
                request.Headers.Add("Brief", b ? "true" : "false");   // a header, not a query parameter
            }

            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            if (response.StatusCode == HttpStatusCode.NotFound && notFound is not null)
            {
                return (null, notFound);
            }

            if (!response.IsSuccessStatusCode)
            {
                return (null, $"GET {path} on {socket} answered {(int)response.StatusCode} {response.ReasonPhrase}");
            }

            if (response.Content.Headers.ContentLength > maxBytes)
            {
                return (null, $"GET {path} on {socket}: {response.Content.Headers.ContentLength:N0} bytes is over the {maxBytes:N0}-byte limit");
            }

            await using var stream = await response.Content.ReadAsStreamAsync(ct);
            using var buffer = new MemoryStream();
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await stream.ReadAsync(chunk, ct)) > 0)
            {
                if (buffer.Length + read > maxBytes)
                {
                    return (null, $"GET {path} on {socket}: response over the {maxBytes:N0}-byte limit; refused");
                }

                buffer.Write(chunk, 0, read);
            }

            return (buffer.ToArray(), null);
        }
        catch (HttpRequestException ex) when (ex.InnerException is SocketException se)
        {
            return (null, se.SocketErrorCode switch
            {
                SocketError.AddressNotAvailable or SocketError.AddressFamilyNotSupported => $"socket {socket} not found — does this pod mount /var/run/cilium from a Cilium node?",
                SocketError.ConnectionRefused => $"nothing listens on {socket} — is the Cilium agent running on this node?",
                SocketError.AccessDenied => $"no permission to open {socket}",
                _ => $"cannot connect to {socket}: {se.Message}",
            });
        }
        catch (HttpRequestException ex)
        {
            return (null, $"GET {path} on {socket} failed: {ex.Message}");
        }
    }

#pragma warning disable CA2000 // the HttpClient owns the handler and disposes it with itself (disposeHandler defaults to true)
    private static HttpClient Client(string socketPath) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (_, ct) =>
        {
            if (!File.Exists(socketPath))
            {
                throw new SocketException((int)SocketError.AddressNotAvailable);
            }

            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    })
    {
        // The host name is never resolved: every connection goes to the socket.
        BaseAddress = new Uri("http://localhost"),
        Timeout = TimeSpan.FromSeconds(30),
        DefaultRequestVersion = HttpVersion.Version11,
    };
#pragma warning restore CA2000
}
