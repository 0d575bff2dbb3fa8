using System.Net;
using System.Text.Json;
using CiliumDash.Flows;
using CiliumDash.Shared;
using CiliumDash.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CiliumDash.Tests.Flows.Integration;

/// <summary>A relay source whose loop cannot start says Failed, with the reason, in the store, /readyz and /metrics.</summary>
public sealed class RelayFailedTests : IDisposable
{
    private readonly string _cert = Path.Combine(Path.GetTempPath(), $"ciliumdash-test-{Guid.NewGuid():N}-client.crt");
    private readonly string _key = Path.Combine(Path.GetTempPath(), $"ciliumdash-test-{Guid.NewGuid():N}-client.key");

    [Fact]
    public async Task ClientCertificateNotPem_FailedWithTheReasonInReadyzAndMetrics()
    {
        // The files exist (so the options pass) but no certificate comes out of them: no retry can fix that.
        await File.WriteAllTextAsync(_cert, "not a certificate");
        await File.WriteAllTextAsync(_key, "not a key");
        await using var server = new DashboardServer(new Dictionary<string, string?>
        {
            ["CiliumDash:Relay:Tls:CertFile"] = _cert,
            ["CiliumDash:Relay:Tls:KeyFile"] = _key,
        });
        using var client = server.CreateLoopbackClient();
        var store = server.Services.GetRequiredService<FlowStore>();

        await Eventually.True(() => store.Relay.State == SourceState.Failed, "the relay source to fail");

        Assert.StartsWith("hubble-relay TLS setup failed: ", store.Relay.LastError, StringComparison.Ordinal);
        using var ready = await client.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        var body = JsonDocument.Parse(await ready.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("Failed", body.GetProperty("relay").GetProperty("state").GetString());
        Assert.StartsWith("hubble-relay TLS setup failed: ", body.GetProperty("relay").GetProperty("lastError").GetString(), StringComparison.Ordinal);
        var metrics = PrometheusText.Parse(await client.GetStringAsync("/metrics"));
        Assert.Equal(1, metrics.Value("ciliumdash_source_state", ("source", "hubble-relay"), ("state", "Failed")));
        Assert.Equal(0, metrics.Value("ciliumdash_source_state", ("source", "hubble-relay"), ("state", "Reconnecting")));
    }

    public void Dispose()
    {
        File.Delete(_cert);
        File.Delete(_key);
    }
}
