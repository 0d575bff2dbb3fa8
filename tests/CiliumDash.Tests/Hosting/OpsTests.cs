using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using CiliumDash.Testing;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Core;
using Serilog.Events;

namespace CiliumDash.Tests.Hosting;

public sealed class OpsTests
{
    [Fact]
    public async Task Metrics_RunningDashboard_PrometheusTextWithFlowsPollsAndClients()
    {
        using var server = new DashboardServer();
        using var client = server.CreateLoopbackClient();

        var text = await Eventually.Value(async () =>
        {
            var body = await client.GetStringAsync("/metrics");
            var m = PrometheusText.Parse(body);
            return m.Value("ciliumdash_node_poll_duration_seconds", ("node", "fedora")) is not null
                && m.Value("ciliumdash_flows_received_total") > 0 ? m : null;
        }, "poll durations for fedora and some flows in /metrics");

        Assert.Equal("counter", text.Types["ciliumdash_flows_received_total"]);
        Assert.Equal(1, text.Value("ciliumdash_relay_connected"));
        Assert.Equal(0, text.Value("ciliumdash_node_poll_failures_total", ("node", "knode1")));
        Assert.NotNull(text.Value("ciliumdash_connected_clients", ("kind", "blazor")));
    }

    [Fact]
    public async Task Logs_TokenModeRequestsWithSecrets_NeverContainTheTokenOrAuthorizationHeader()
    {
        const string token = "do-not-log-this-token-1234";
        var sink = new CollectingSink();
        using var server = new DashboardServer(
            new Dictionary<string, string?> { ["CiliumDash:Auth:Mode"] = "Token", ["CiliumDash:Auth:Token"] = token, ["Serilog:MinimumLevel:Default"] = "Debug" },
            services => services.AddSingleton<ILogEventSink>(sink));
        using var handler = new HttpClientHandler { AllowAutoRedirect = false };
        using var client = new HttpClient(handler) { BaseAddress = server.BaseAddress };

        using var bearer = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/nodes?note={token}") { Headers = { { "Authorization", $"Bearer {token}" } } };
        await client.SendAsync(bearer);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = token });
        await client.PostAsync("/login", form);
        await Eventually.True(() => sink.Events.Any(e => e.Contains("/login", StringComparison.Ordinal)), "the request log line for /login");

        Assert.DoesNotContain(sink.Events, e => e.Contains(token, StringComparison.Ordinal) || e.Contains("Authorization", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task ReadOnlyProfile_NoExec_NodesFromKubernetesAndANoticeSayingWhatNeedsExec()
    {
        using var server = new DashboardServer(new Dictionary<string, string?> { ["CiliumDash:Access:ReadOnlyProfile"] = "true" });
        using var client = server.CreateLoopbackClient();

        var nodes = await Eventually.Value(async () =>
        {
            var doc = await client.GetFromJsonAsync<JsonDocument>("/api/v1/nodes");
            return doc!.RootElement.GetArrayLength() == 2 ? doc : null;
        }, "both agent pods listed from Kubernetes");
        var page = await client.GetStringAsync("/");

        Assert.All(nodes.RootElement.EnumerateArray(), n =>
        {
            Assert.Equal(JsonValueKind.Null, n.GetProperty("ciliumVersion").ValueKind);
            Assert.Equal(JsonValueKind.Null, n.GetProperty("error").ValueKind);
        });
        Assert.Contains("exec-profile-notice", page, StringComparison.Ordinal);
        Assert.Contains("rbac.profile=exec", page, StringComparison.Ordinal);
    }

    private sealed class CollectingSink : ILogEventSink
    {
        private readonly ConcurrentQueue<string> _events = new();

        public IReadOnlyList<string> Events => _events.ToArray();

        public void Emit(LogEvent logEvent) =>
            _events.Enqueue(logEvent.RenderMessage(System.Globalization.CultureInfo.InvariantCulture) + " " +
                string.Join(' ', logEvent.Properties.Select(p => $"{p.Key}={p.Value}")));
    }
}
