using CiliumDash.Simulator.Cluster;

namespace CiliumDash.Configuration;

/// <summary>Where the dashboard reads cluster state from.</summary>
public enum DataSource
{
    /// <summary>An in-process simulated cluster on loopback, read through the same Kubernetes and gRPC clients.</summary>
    Simulator,

    /// <summary>A real cluster: kubeconfig or in-cluster service account, exec into agents, hubble-relay over gRPC.</summary>
    Kubernetes,

    /// <summary>The local node's agent over its unix sockets (running on a node).</summary>
    AgentSocket,
}

/// <summary>The one options class, bound to the <c>CiliumDash</c> section and validated at start.</summary>
public sealed class CiliumDashOptions
{
    public const string Section = "CiliumDash";

    public DataSource Source { get; set; } = DataSource.Simulator;

    public KubernetesOptions Kubernetes { get; set; } = new();

    public AgentSocketOptions AgentSocket { get; set; } = new();

    public RelayOptions Relay { get; set; } = new();

    public SimulatorSettings Simulator { get; set; } = new();

    public FlowOptions Flows { get; set; } = new();

    /// <summary>Serve under a sub-path behind a reverse proxy (e.g. /ciliumdash); empty = at the root.</summary>
    public string? PathBase { get; set; }

    public ForwardedHeadersSettings ForwardedHeaders { get; set; } = new();

    public AuthOptions Auth { get; set; } = new();

    public EmbedOptions Embeds { get; set; } = new();

    public AccessOptions Access { get; set; } = new();

    public ConnectivityOptions Connectivity { get; set; } = new();

    public MetricsOptions Metrics { get; set; } = new();

    public LoggingOptions Logging { get; set; } = new();

    public AlertmanagerOptions Alertmanager { get; set; } = new();

    public NotifyOptions Notify { get; set; } = new();

    public EventOptions Events { get; set; } = new();

    public HistoryOptions History { get; set; } = new();
}

/// <summary>Cluster events watched on the Kubernetes API (agent restarts, upgrades, nodes, network policies).</summary>
public sealed class EventOptions
{
    /// <summary>Watch them (Source=Kubernetes and the simulator); the chart's RBAC grants list/watch on their kinds.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Events kept in memory, newest first dropped last (the history keeps them for longer).</summary>
    public int Capacity { get; set; } = 10_000;
}

public sealed class ForwardedHeadersSettings
{
    /// <summary>Proxies (IPs or CIDRs, comma-separated) whose X-Forwarded-* headers are believed; empty = none.</summary>
    public string? KnownProxies { get; set; }
}

public enum AuthMode
{
    None,
    Token,
    OpenIdConnect,
    ProxyHeader,
}

public sealed class AuthOptions
{
    public AuthMode Mode { get; set; } = AuthMode.None;

    /// <summary>With Mode=None on a non-loopback address: an explicit "yes, anyone who reaches it may look".</summary>
    public bool AllowAnonymous { get; set; }

    /// <summary>Mode=Token: the browser token; empty = generated at start and logged once.</summary>
    public string? Token { get; set; }

    public OpenIdConnectSettings OpenIdConnect { get; set; } = new();

    public ProxyHeaderSettings ProxyHeader { get; set; } = new();

    /// <summary>Team scoping: group → comma-separated namespaces whose flows its members see. Empty = everyone sees all.</summary>
    public Dictionary<string, string> Teams { get; set; } = new(StringComparer.Ordinal);

    public FailedSignInOptions FailedSignIns { get; set; } = new();
}

/// <summary>
/// Failed sign-ins (wrong token at /login, wrong Bearer or scrape token) allowed per client address and window; past
/// that, the address's credential attempts get 429 until the window ends.
/// </summary>
public sealed class FailedSignInOptions
{
    public int Limit { get; set; } = 10;

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}

public sealed class OpenIdConnectSettings
{
    public string? Authority { get; set; }

    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    /// <summary>A claim every user must have, as type=value (e.g. groups=platform); empty = any signed-in user.</summary>
    public string? RequiredClaim { get; set; }
}

public sealed class ProxyHeaderSettings
{
    public string UserHeader { get; set; } = "X-Forwarded-User";

    public string GroupsHeader { get; set; } = "X-Forwarded-Groups";

    /// <summary>Only requests from these addresses (IPs or CIDRs, comma-separated) may assert a user.</summary>
    public string? TrustedProxies { get; set; }

    /// <summary>A group every user must be in; empty = any user the proxy names.</summary>
    public string? RequiredGroup { get; set; }
}

public sealed class EmbedOptions
{
    /// <summary>Origins (e.g. https://wiki.example.com, comma-separated) allowed to frame /embed/* pages.</summary>
    public string? AllowedOrigins { get; set; }

    /// <summary>Key for signed embed links (from a Secret); empty = a random key per process (links end at restart).</summary>
    public string? SigningKey { get; set; }

    /// <summary>The longest lifetime a signed link may be given (at most 30 days).</summary>
    public TimeSpan MaxLinkLifetime { get; set; } = TimeSpan.FromDays(30);
}

public sealed class MetricsOptions
{
    /// <summary>
    /// A token Prometheus sends as <c>Authorization: Bearer</c> to read <c>/metrics</c> when a sign-in is required; it
    /// opens nothing else. Empty = /metrics needs the same sign-in as every page.
    /// </summary>
    public string? ScrapeToken { get; set; }
}

public enum LogFormat
{
    /// <summary>Text when a terminal is attached to standard output, else JSON.</summary>
    Auto,

    /// <summary>Serilog's compact JSON, one event per line.</summary>
    Json,

    /// <summary>One readable line per event, values escaped so they cannot start a line of their own.</summary>
    Text,
}

public sealed class LoggingOptions
{
    public LogFormat Format { get; set; } = LogFormat.Auto;
}

public sealed class AccessOptions
{
    /// <summary>Set by the chart's readonly RBAC profile: never exec into agents; show what Kubernetes alone tells.</summary>
    public bool ReadOnlyProfile { get; set; }
}

public sealed class KubernetesOptions
{
    /// <summary>Path of a kubeconfig; empty = in-cluster service account (or the default ~/.kube/config outside a pod).</summary>
    public string? Kubeconfig { get; set; }

    public string? Context { get; set; }

    /// <summary>Where Cilium runs (cilium-cli's --namespace).</summary>
    public string Namespace { get; set; } = "kube-system";

    public string AgentSelector { get; set; } = "k8s-app=cilium";

    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Per node and command; a node that does not answer in time is marked with a timeout and kept stale.</summary>
    public TimeSpan ExecTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public int MaxConcurrentExecs { get; set; } = 32;

    /// <summary>How often each agent's metrics list (BPF map fill level) is read; an exec per node, so less often than status.</summary>
    public TimeSpan MetricsInterval { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>Reading the local agent over its unix sockets (a DaemonSet pod that mounts /var/run/cilium).</summary>
public sealed class AgentSocketOptions
{
    public string AgentSocket { get; set; } = "/var/run/cilium/cilium.sock";

    public string HealthSocket { get; set; } = "/var/run/cilium/health.sock";

    /// <summary>Shown as the node's name until the agent reports <c>cluster.self</c>; empty = NODE_NAME or the host name.</summary>
    public string? NodeName { get; set; }

    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);
}

public sealed class RelayOptions
{
    /// <summary>hubble-relay address, e.g. http://hubble-relay.kube-system.svc:80; empty = flows disabled.</summary>
    public string? Address { get; set; }

    /// <summary>Flows requested on connect (per node, as relay applies <c>number</c> per node).</summary>
    public int Backfill { get; set; } = 200;

    public TimeSpan StatusPollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>TLS to the relay; with any of these set the connection uses TLS even for an http:// address.</summary>
    public RelayTlsOptions Tls { get; set; } = new();
}

/// <summary>Relay TLS as Cilium sets it up: its CA, optionally a client certificate (mutual TLS) and the server name.</summary>
public sealed class RelayTlsOptions
{
    /// <summary>PEM file of the CA that signed the relay's certificate; empty = the system's trusted roots.</summary>
    public string? CaFile { get; set; }

    /// <summary>PEM client certificate for mutual TLS (with <see cref="KeyFile"/>).</summary>
    public string? CertFile { get; set; }

    public string? KeyFile { get; set; }

    /// <summary>The name the relay's certificate must carry, e.g. *.hubble-relay.cilium.io; empty = the address's host.</summary>
    public string? ServerName { get; set; }

    public bool Enabled => !string.IsNullOrEmpty(CaFile) || !string.IsNullOrEmpty(CertFile) || !string.IsNullOrEmpty(ServerName);
}

public sealed class SimulatorSettings
{
    public int Nodes { get; set; } = 2;

    public double FlowsPerSecond { get; set; } = 20;

    public int Seed { get; set; } = 1;

    public WireShape Shape { get; set; } = WireShape.Cilium112;

    /// <summary>A recorded cluster folder to replay instead of generated data.</summary>
    public string? Scenario { get; set; }

    /// <summary>How often the simulated cluster changes by itself (a policy applied or deleted, an agent restart); 0 = never.</summary>
    public int ChangeEverySeconds { get; set; } = 300;
}

public sealed class FlowOptions
{
    /// <summary>Flows kept in memory (the live window).</summary>
    public int WindowSize { get; set; } = 10_000;

    /// <summary>
    /// A filter sent to the relay with the live stream (server-side), in the query syntax of <c>/api/v1/flows</c>, e.g.
    /// <c>not-namespace=kube-system</c>; empty = every flow.
    /// </summary>
    public string? Filter { get; set; }

    /// <summary>Secrets in L7 records removed at ingest (<see cref="Flows.FlowRedactor"/>).</summary>
    public FlowRedactionOptions Redaction { get; set; } = new();
}

public sealed class FlowRedactionOptions
{
    /// <summary>
    /// Redact URL user information, query values and the values of credential headers before a flow is stored; off
    /// only for a dashboard nobody but its operator sees (a warning is logged at start).
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Header names whose values are redacted besides Authorization, Proxy-Authorization, Cookie and Set-Cookie.</summary>
    public string[] Headers { get; set; } = [];
}

/// <summary>
/// Node-to-node probe history. Memory: the latest matrix is nodes² × 4 paths × 14 bytes; the history is
/// nodes² × 4 paths × (HistoryWindow ÷ HistoryResolution) bytes (one byte per sample), plus 4 bytes per node and sample
/// for the sample times. 1,000 nodes, 1 h at 1 min: 56 MB + 240 MB (columns are allocated in powers of two, so up to
/// 1,024 nodes cost the same).
/// </summary>
public sealed class ConnectivityOptions
{
    /// <summary>How far back each pair's RTT history reaches (sparklines, p50/p99).</summary>
    public TimeSpan HistoryWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>At most one history sample per source node per this interval (cilium-health probes every minute or so).</summary>
    public TimeSpan HistoryResolution { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>k: an RTT above k × the pair's own baseline is a degradation.</summary>
    public double DegradationFactor { get; set; } = 3;

    /// <summary>OK samples a pair needs before its baseline is trusted (1 to 7).</summary>
    public int BaselineSamples { get; set; } = 5;

    /// <summary>Degradation events kept (newest first).</summary>
    public int MaxEvents { get; set; } = 1000;
}

/// <summary>The team's Alertmanager, read to show which findings have a firing or silenced alert.</summary>
public sealed class AlertmanagerOptions
{
    /// <summary>Base URL (e.g. http://alertmanager.monitoring:9093); empty = no alert state in the UI.</summary>
    public string? Url { get; set; }

    /// <summary>The URL users open for silences, when it differs from <see cref="Url"/> (an Ingress); empty = Url.</summary>
    public string? ExternalUrl { get; set; }

    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>Notifications for teams without Alertmanager.</summary>
public sealed class NotifyOptions
{
    public List<WebhookOptions> Webhooks { get; set; } = [];
}

public enum WebhookFormat
{
    /// <summary>Slack's incoming-webhook body (<c>{"text": ...}</c>), also understood by Mattermost and Rocket.Chat.</summary>
    Slack,

    /// <summary>The findings as the API's JSON, with a status (firing, resolved).</summary>
    Json,
}

public sealed class WebhookOptions
{
    /// <summary>Where to POST; it often carries a secret (a Slack hook path, a token), so it is never logged.</summary>
    public string? Url { get; set; }

    public WebhookFormat Format { get; set; } = WebhookFormat.Json;

    /// <summary>critical, warning or info: findings at least this severe are sent.</summary>
    public string MinSeverity { get; set; } = "critical";

    /// <summary>A finding that still holds is sent again after this long.</summary>
    public TimeSpan RepeatInterval { get; set; } = TimeSpan.FromHours(4);
}
