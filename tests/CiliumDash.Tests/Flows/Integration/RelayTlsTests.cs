using System.Net;
using CiliumDash.Cluster;
using CiliumDash.Flows;
using CiliumDash.Simulator.Cluster;
using CiliumDash.Simulator.Hosting;
using CiliumDash.Simulator.Kubernetes;
using CiliumDash.Testing;
using CiliumDash.Tests.Builders;
using Microsoft.Extensions.DependencyInjection;
using CiliumDash.Shared;

namespace CiliumDash.Tests.Flows.Integration;

/// <summary>
/// The dashboard against a relay that serves TLS, as hubble-relay does with hubble.relay.tls.server.enabled (and
/// mtls): it is reached as a real cluster is (kubeconfig + relay address), with CiliumDash:Relay:Tls set as a user would.
/// </summary>
#pragma warning disable CA1001 // xunit disposes the fields in IAsyncLifetime.DisposeAsync, which the rule does not see
public sealed class RelayTlsTests : IAsyncLifetime
#pragma warning restore CA1001
{
    private readonly TestPki _pki = TestPki.Create();
    private readonly string _kubeconfig = Path.Combine(Path.GetTempPath(), $"ciliumdash-test-{Guid.NewGuid():N}.kubeconfig");
    private SimulatorHost? _simulator;
    private DashboardServer? _dashboard;

    public Task InitializeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData(TestPki.RelayServerName)]
    [InlineData(TestPki.RelayName)]
    public async Task TlsRelay_CaAndServerName_FlowsArriveAndConnected(string serverName)
    {
        // The certificate names no address, as Cilium's does not: only the server name makes it acceptable.
        var store = await StartAsync(mutual: false, tls: Tls(ca: _pki.CaFile, serverName: serverName));

        await Eventually.True(() => store.Relay.State == SourceState.Connected && store.Count > 0, "flows over TLS", TimeSpan.FromSeconds(30));

        Assert.StartsWith("https://127.0.0.1:", _simulator!.RelayUrl.ToString(), StringComparison.Ordinal);
        Assert.Null(store.Relay.LastError);
    }

    [Fact]
    public async Task TlsRelay_CaOnlyAndIpAddress_FlowsArrive()
    {
        // Without a server name the address's host is checked: the test certificate also names 127.0.0.1.
        var store = await StartAsync(mutual: false, tls: Tls(ca: _pki.CaFile), loopbackIp: true);

        await Eventually.True(() => store.Relay.State == SourceState.Connected && store.Count > 0, "flows over TLS by IP", TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task TlsRelay_NoServerNameAndCertificateWithoutTheAddress_ReconnectingSayingToSetServerName()
    {
        var store = await StartAsync(mutual: false, tls: Tls(ca: _pki.CaFile));

        var error = await RelayErrorAsync(store);

        Assert.Contains("does not match the name '127.0.0.1' of the address — set CiliumDash:Relay:Tls:ServerName", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MutualTlsRelay_ClientCertificate_FlowsArrive()
    {
        var client = _pki.Client();
        var store = await StartAsync(mutual: true, tls: Tls(ca: _pki.CaFile, serverName: TestPki.RelayServerName, client: client));

        await Eventually.True(() => store.Relay.State == SourceState.Connected && store.Count > 0, "flows over mutual TLS", TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task MutualTlsRelay_NoClientCertificate_ReconnectingSayingTheRelayWantsOne()
    {
        var store = await StartAsync(mutual: true, tls: Tls(ca: _pki.CaFile, serverName: TestPki.RelayServerName));

        var error = await RelayErrorAsync(store);

        Assert.Contains("closed the connection after the TLS handshake: it requires a client certificate", error, StringComparison.Ordinal);
        Assert.Contains("set CiliumDash:Relay:Tls:CertFile and KeyFile", error, StringComparison.Ordinal);
        Assert.Equal(0, store.Count);
    }

    [Fact]
    public async Task MutualTlsRelay_ClientCertificateOfAnotherCa_ReconnectingSayingTheRelayRejectedIt()
    {
        using var other = TestPki.Create("Another CA");
        var client = other.Client();
        var store = await StartAsync(mutual: true, tls: Tls(ca: _pki.CaFile, serverName: TestPki.RelayServerName, client: client));

        var error = await RelayErrorAsync(store);

        Assert.Contains($"it refused the client certificate in CiliumDash:Relay:Tls:CertFile '{client.CertFile}'", error, StringComparison.Ordinal);
        Assert.Equal(0, store.Count);
    }

    [Fact]
    public async Task TlsRelay_WrongCa_ReconnectingNamingTheUntrustedCertificate()
    {
        using var other = TestPki.Create("Another CA");
        var store = await StartAsync(mutual: false, tls: Tls(ca: other.CaFile, serverName: TestPki.RelayServerName));

        var error = await RelayErrorAsync(store);

        Assert.Contains("TLS handshake failed", error, StringComparison.Ordinal);
        Assert.Contains($"not signed by the CA in CiliumDash:Relay:Tls:CaFile '{other.CaFile}'", error, StringComparison.Ordinal);
        // Only a person can fix a CA: retried slowly, not in a tight loop.
        Assert.Contains("(retrying every 60 s, attempt 1)", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TlsRelay_ServerNameMismatch_ReconnectingNamingTheServerName()
    {
        var store = await StartAsync(mutual: false, tls: Tls(ca: _pki.CaFile, serverName: "relay.example.test"));

        var error = await RelayErrorAsync(store);

        Assert.Contains("TLS handshake failed", error, StringComparison.Ordinal);
        Assert.Contains("does not match the name 'relay.example.test' of CiliumDash:Relay:Tls:ServerName", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TlsRelay_PlaintextAddressWithoutTlsOptions_ReconnectingSayingToUseHttps()
    {
        var store = await StartAsync(mutual: false, tls: [], plaintext: true);

        var error = await RelayErrorAsync(store);

        Assert.Contains("closed the connection before HTTP/2 started — if the relay serves TLS", error, StringComparison.Ordinal);
        Assert.Contains("use an https:// address", error, StringComparison.Ordinal);
        Assert.Equal(0, store.Count);
    }

    public async Task DisposeAsync()
    {
        _dashboard?.Dispose();
        if (_simulator is not null)
        {
            await _simulator.DisposeAsync();
        }

        File.Delete(_kubeconfig);
        _pki.Dispose();
    }

    private static Dictionary<string, string?> Tls(string? ca = null, string? serverName = null, (string CertFile, string KeyFile)? client = null) => new()
    {
        ["CiliumDash:Relay:Tls:CaFile"] = ca,
        ["CiliumDash:Relay:Tls:ServerName"] = serverName,
        ["CiliumDash:Relay:Tls:CertFile"] = client?.CertFile,
        ["CiliumDash:Relay:Tls:KeyFile"] = client?.KeyFile,
    };

    /// <summary>Starts a TLS relay (mutual: client certificates of the test CA required) and a dashboard that follows it.</summary>
    /// <param name="plaintext">give the dashboard an http:// address, as for a relay without TLS.</param>
    /// <param name="loopbackIp">the relay's certificate also names 127.0.0.1.</param>
    private async Task<FlowStore> StartAsync(bool mutual, Dictionary<string, string?> tls, bool plaintext = false, bool loopbackIp = false)
    {
        var (cert, key) = _pki.Server(loopbackIp: loopbackIp);
        var loopback = new IPEndPoint(IPAddress.Loopback, 0);
        _simulator = await SimulatorHost.StartAsync(new SimulatedCluster(new SimulatorOptions { FlowsPerSecond = 50 }), loopback, loopback,
            relayTls: new RelayTls(cert, key, mutual ? _pki.CaFile : null));
        KubeconfigWriter.Write(_kubeconfig, _simulator.KubeUrl);
        var relay = _simulator.RelayUrl.ToString().TrimEnd('/');
        var settings = new Dictionary<string, string?>(tls)
        {
            ["CiliumDash:Source"] = "Kubernetes",
            ["CiliumDash:Kubernetes:Kubeconfig"] = _kubeconfig,
            ["CiliumDash:Relay:Address"] = plaintext ? relay.Replace("https://", "http://", StringComparison.Ordinal) : relay,
        };
        _dashboard = new DashboardServer(settings);
        return _dashboard.Services.GetRequiredService<FlowStore>();
    }

    /// <summary>The first failed attempt sets the reason: TLS failures are then retried every 60 s, never reset to Connecting.</summary>
    private static Task<string> RelayErrorAsync(FlowStore store) =>
        Eventually.Value(() => Task.FromResult(store.Relay is { State: SourceState.Reconnecting, LastError: { } e } ? e : null),
            "the relay to fail with a reason", TimeSpan.FromSeconds(30));
}
