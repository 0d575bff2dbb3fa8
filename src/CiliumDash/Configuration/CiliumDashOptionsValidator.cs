using Microsoft.Extensions.Options;
using CiliumDash.Simulator.Cluster;

namespace CiliumDash.Configuration;

/// <summary>Checks every key at start and names all bad ones in one message, so a broken config is fixed in one go.</summary>
public sealed class CiliumDashOptionsValidator : IValidateOptions<CiliumDashOptions>
{
    public ValidateOptionsResult Validate(string? name, CiliumDashOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        const string p = CiliumDashOptions.Section;

        void Check(bool ok, string key, string message)
        {
            if (!ok)
            {
                errors.Add($"{p}:{key}: {message}");
            }
        }

        Check(Enum.IsDefined(options.Source), "Source", "must be Simulator, Kubernetes or AgentSocket.");

        var k = options.Kubernetes;
        Check(!string.IsNullOrWhiteSpace(k.Namespace), "Kubernetes:Namespace", "must not be empty.");
        Check(!string.IsNullOrWhiteSpace(k.AgentSelector), "Kubernetes:AgentSelector", "must not be empty.");
        Check(k.PollInterval >= TimeSpan.FromSeconds(1), "Kubernetes:PollInterval", "must be at least 00:00:01.");
        Check(k.ExecTimeout >= TimeSpan.FromMilliseconds(100), "Kubernetes:ExecTimeout", "must be at least 00:00:00.1.");
        Check(k.MetricsInterval >= TimeSpan.FromSeconds(10), "Kubernetes:MetricsInterval", "must be at least 00:00:10.");
        Check(k.MaxConcurrentExecs is >= 1 and <= 512, "Kubernetes:MaxConcurrentExecs", "must be 1 to 512.");
        if (!string.IsNullOrEmpty(k.Kubeconfig) && options.Source == DataSource.Kubernetes)
        {
            Check(File.Exists(k.Kubeconfig), "Kubernetes:Kubeconfig", $"file '{k.Kubeconfig}' does not exist.");
        }

        var a = options.AgentSocket;
        Check(!string.IsNullOrWhiteSpace(a.AgentSocket), "AgentSocket:AgentSocket", "must be a unix socket path.");
        Check(!string.IsNullOrWhiteSpace(a.HealthSocket), "AgentSocket:HealthSocket", "must be a unix socket path.");
        Check(a.PollInterval >= TimeSpan.FromSeconds(1), "AgentSocket:PollInterval", "must be at least 00:00:01.");

        var r = options.Relay;
        if (!string.IsNullOrEmpty(r.Address))
        {
            Check(Uri.TryCreate(r.Address, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https",
                "Relay:Address", $"'{r.Address}' is not an http:// or https:// address (e.g. http://hubble-relay.kube-system.svc:80).");
        }

        Check(r.Backfill is >= 0 and <= 100_000, "Relay:Backfill", "must be 0 to 100000.");
        Check(r.StatusPollInterval >= TimeSpan.FromSeconds(1), "Relay:StatusPollInterval", "must be at least 00:00:01.");
        foreach (var (key, file) in new[] { ("Relay:Tls:CaFile", r.Tls.CaFile), ("Relay:Tls:CertFile", r.Tls.CertFile), ("Relay:Tls:KeyFile", r.Tls.KeyFile) })
        {
            if (!string.IsNullOrEmpty(file))
            {
                Check(File.Exists(file), key, $"file '{file}' does not exist.");
            }
        }

        Check(string.IsNullOrEmpty(r.Tls.CertFile) == string.IsNullOrEmpty(r.Tls.KeyFile), "Relay:Tls:CertFile",
            "a client certificate needs both CertFile and KeyFile (PEM).");

        var s = options.Simulator;
        Check(s.Nodes is >= 1 and <= SimulatorOptions.MaxNodes, "Simulator:Nodes", $"must be 1 to {SimulatorOptions.MaxNodes}.");
        Check(s.FlowsPerSecond is >= 0 and <= SimulatorOptions.MaxFlowsPerSecond, "Simulator:FlowsPerSecond", $"must be 0 to {SimulatorOptions.MaxFlowsPerSecond}.");
        Check(Enum.IsDefined(s.Shape), "Simulator:Shape", "must be Cilium112 or Current.");
        Check(s.ChangeEverySeconds is >= 0 and <= 86_400, "Simulator:ChangeEverySeconds", "must be 0 (never) to 86400.");
        Check(options.Events.Capacity is >= 100 and <= 1_000_000, "Events:Capacity", "must be 100 to 1000000.");
        if (!string.IsNullOrEmpty(s.Scenario))
        {
            Check(Directory.Exists(s.Scenario), "Simulator:Scenario", $"folder '{s.Scenario}' does not exist.");
        }

        Check(options.Flows.WindowSize is >= 100 and <= 1_000_000, "Flows:WindowSize", "must be 100 to 1000000.");
        if (!string.IsNullOrWhiteSpace(options.Flows.Filter) && Flows.Query.FlowQuery.TryParse(options.Flows.Filter).Error is { } filterError)
        {
            Check(false, "Flows:Filter", filterError);
        }

        foreach (var header in options.Flows.Redaction.Headers ?? [])
        {
            Check(!string.IsNullOrWhiteSpace(header) && header.All(c => c > ' ' && c < 127 && !"()<>@,;:\\\"/[]?={}".Contains(c, StringComparison.Ordinal)),
                "Flows:Redaction:Headers", $"\"{header}\" is not an HTTP header name.");
        }

        Check(options.PathBase is null || !options.PathBase.Contains("//", StringComparison.Ordinal) && !options.PathBase.Contains('?') && !options.PathBase.Contains('#'),
            "PathBase", $"'{options.PathBase}' is not a path such as /ciliumdash.");
        Check(Hosting.AddressList.TryParse(options.ForwardedHeaders.KnownProxies, out _, out var proxyError), "ForwardedHeaders:KnownProxies", proxyError ?? "");

        var auth = options.Auth;
        Check(Enum.IsDefined(auth.Mode), "Auth:Mode", "must be None, Token, OpenIdConnect or ProxyHeader.");
        if (auth.Mode == AuthMode.Token && !string.IsNullOrEmpty(auth.Token))
        {
            Check(auth.Token.Length >= 16, "Auth:Token", "must be at least 16 characters (or empty to generate one).");
        }

        if (auth.Mode == AuthMode.OpenIdConnect)
        {
            Check(Uri.TryCreate(auth.OpenIdConnect.Authority, UriKind.Absolute, out _), "Auth:OpenIdConnect:Authority", "must be the issuer URL, e.g. https://login.example.com/realms/ops.");
            Check(!string.IsNullOrEmpty(auth.OpenIdConnect.ClientId), "Auth:OpenIdConnect:ClientId", "is required.");
        }

        if (auth.Mode == AuthMode.ProxyHeader)
        {
            Check(Hosting.AddressList.TryParse(auth.ProxyHeader.TrustedProxies, out var trusted, out var trustedError) && trusted.Networks.Count > 0,
                "Auth:ProxyHeader:TrustedProxies", trustedError ?? "must name the proxy's addresses (IPs or CIDRs); headers from anyone else are ignored.");
            Check(!string.IsNullOrWhiteSpace(auth.ProxyHeader.UserHeader), "Auth:ProxyHeader:UserHeader", "must not be empty.");
        }

        Check(auth.FailedSignIns.Limit is >= 1 and <= 10_000, "Auth:FailedSignIns:Limit", "must be 1 to 10000.");
        Check(auth.FailedSignIns.Window >= TimeSpan.FromSeconds(1) && auth.FailedSignIns.Window <= TimeSpan.FromDays(1), "Auth:FailedSignIns:Window",
            "must be 00:00:01 to 1.00:00:00.");
        Check(string.IsNullOrEmpty(options.Metrics.ScrapeToken) || options.Metrics.ScrapeToken.Length >= 16, "Metrics:ScrapeToken",
            "must be at least 16 characters (e.g. `openssl rand -base64 24`), or empty.");
        Check(Enum.IsDefined(options.Logging.Format), "Logging:Format", "must be Auto, Json or Text.");

        foreach (var (group, namespaces) in auth.Teams)
        {
            Check(!string.IsNullOrWhiteSpace(namespaces), $"Auth:Teams:{group}", "must list namespaces (comma-separated) or *.");
        }

        var c = options.Connectivity;
        Check(c.HistoryResolution >= TimeSpan.FromSeconds(1), "Connectivity:HistoryResolution", "must be at least 00:00:01.");
        Check(c.HistoryWindow >= c.HistoryResolution && c.HistoryWindow <= TimeSpan.FromDays(7), "Connectivity:HistoryWindow",
            "must be at least HistoryResolution and at most 7.00:00:00.");
        Check(c.HistoryResolution <= TimeSpan.Zero || c.HistoryWindow / c.HistoryResolution <= 10_080, "Connectivity:HistoryWindow",
            "holds at most 10080 samples (HistoryWindow ÷ HistoryResolution); memory grows with nodes² × samples.");
        Check(c.DegradationFactor is > 1 and <= 1000, "Connectivity:DegradationFactor", "must be above 1 and at most 1000.");
        Check(c.BaselineSamples is >= 1 and <= 7, "Connectivity:BaselineSamples", "must be 1 to 7.");
        Check(c.MaxEvents is >= 10 and <= 100_000, "Connectivity:MaxEvents", "must be 10 to 100000.");

        foreach (var origin in Embeds.FramingHeaders.AllowedOrigins(options.Embeds).Where(o => !Embeds.FramingHeaders.IsOrigin(o)))
        {
            Check(false, "Embeds:AllowedOrigins", $"'{origin}' is not an origin: use scheme://host[:port] with http or https and no path (e.g. https://wiki.example.com).");
        }

        Check(options.Embeds.MaxLinkLifetime >= TimeSpan.FromMinutes(1) && options.Embeds.MaxLinkLifetime <= Embeds.EmbedLinks.LongestLifetime,
            "Embeds:MaxLinkLifetime", "must be 00:01:00 to 30.00:00:00.");
        Check(string.IsNullOrEmpty(options.Embeds.SigningKey) || options.Embeds.SigningKey.Length >= 32, "Embeds:SigningKey", "must be at least 32 characters (e.g. `openssl rand -base64 32`).");

        var am = options.Alertmanager;
        foreach (var (key, url) in new[] { ("Alertmanager:Url", am.Url), ("Alertmanager:ExternalUrl", am.ExternalUrl) })
        {
            if (!string.IsNullOrEmpty(url))
            {
                Check(Uri.TryCreate(url, UriKind.Absolute, out var u) && u.Scheme is "http" or "https", key, $"'{url}' is not an http:// or https:// address (e.g. http://alertmanager.monitoring:9093).");
            }
        }

        Check(am.PollInterval >= TimeSpan.FromSeconds(1), "Alertmanager:PollInterval", "must be at least 00:00:01.");
        for (var i = 0; i < options.Notify.Webhooks.Count; i++)
        {
            var w = options.Notify.Webhooks[i];
            // The URL itself may hold a secret: the message names the key, never the value.
            Check(Uri.TryCreate(w.Url, UriKind.Absolute, out var u) && u.Scheme is "http" or "https", $"Notify:Webhooks:{i}:Url", "must be an http:// or https:// address.");
            Check(Enum.IsDefined(w.Format), $"Notify:Webhooks:{i}:Format", "must be Slack or Json.");
            Check(w.MinSeverity is "critical" or "warning" or "info", $"Notify:Webhooks:{i}:MinSeverity", "must be critical, warning or info.");
            Check(w.RepeatInterval >= TimeSpan.FromMinutes(1), $"Notify:Webhooks:{i}:RepeatInterval", "must be at least 00:01:00.");
        }
        HistoryOptionsValidation.Check(options.History, Check);

        return errors.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(errors);
    }
}
