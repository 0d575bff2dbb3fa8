using System.Diagnostics;
using System.Net;
using CiliumDash.Simulator.Cluster;
using CiliumDash.Simulator.Hosting;
using CiliumDash.Tests.Builders;

namespace CiliumDash.Tests.Simulator.Hosting;

/// <summary>The relay stand-in's TLS files: what a user who got one wrong reads.</summary>
public sealed class RelayTlsHostTests : IDisposable
{
    private readonly TestPki _pki = TestPki.Create();

    [Fact]
    public async Task StartAsync_KeyOfAnotherCertificate_FailsNamingBothFiles()
    {
        var (cert, _) = _pki.Server();
        var (_, otherKey) = _pki.Server("other");

        var ex = await Assert.ThrowsAsync<InvalidDataException>(() => StartAsync(new RelayTls(cert, otherKey)));

        Assert.Equal($"relay TLS key file '{otherKey}' is not the key of the certificate in '{cert}' (CN={TestPki.RelayName})", ex.Message);
    }

    [Fact]
    public async Task StartAsync_KeyFileWithoutKey_FailsSayingWhatItShouldHold()
    {
        var (cert, _) = _pki.Server();

        var ex = await Assert.ThrowsAsync<InvalidDataException>(() => StartAsync(new RelayTls(cert, KeyFile: cert)));

        Assert.Equal($"relay TLS key file '{cert}' holds no PEM private key (-----BEGIN PRIVATE KEY-----, EC or RSA) for the certificate in '{cert}'", ex.Message);
    }

    [Fact]
    public async Task StartAsync_MissingKeyFile_FailsNamingTheFile()
    {
        var (cert, _) = _pki.Server();
        var missing = Path.Combine(_pki.Directory, "missing.key");

        var ex = await Assert.ThrowsAsync<IOException>(() => StartAsync(new RelayTls(cert, missing)));

        Assert.StartsWith($"relay TLS key file '{missing}' cannot be read:", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_CertificateFileWithoutPem_FailsSayingWhatItShouldHold()
    {
        var (_, key) = _pki.Server();
        var notPem = _pki.Write("notpem.crt", "not a certificate");

        var ex = await Assert.ThrowsAsync<InvalidDataException>(() => StartAsync(new RelayTls(notPem, key)));

        Assert.Equal($"relay TLS certificate file '{notPem}' holds no PEM certificate (-----BEGIN CERTIFICATE-----)", ex.Message);
    }

    [Fact]
    public async Task StartAsync_ClientCaWithoutPem_FailsNamingTheFile()
    {
        var (cert, key) = _pki.Server();

        var ex = await Assert.ThrowsAsync<InvalidDataException>(() => StartAsync(new RelayTls(cert, key, ClientCaFile: key)));

        Assert.Equal($"relay TLS client CA file '{key}' holds no PEM certificate (-----BEGIN CERTIFICATE-----)", ex.Message);
    }

    [Fact]
    public async Task StartAsync_Tls_RelayUrlIsHttps()
    {
        var (cert, key) = _pki.Server();

        await using var host = await StartAsync(new RelayTls(cert, key));

        Assert.Equal(Uri.UriSchemeHttps, host.RelayUrl.Scheme);
        Assert.Equal(Uri.UriSchemeHttp, host.KubeUrl.Scheme);
    }

    [Fact]
    public async Task SimulatorExecutable_MismatchedKey_ExitsWithOneErrorLineAndNoStackTrace()
    {
        var (cert, _) = _pki.Server();
        var (_, otherKey) = _pki.Server("other");

        var (exitCode, stderr) = await RunSimulatorAsync("--relay-tls-cert", cert, "--relay-tls-key", otherKey);

        Assert.Equal(1, exitCode);
        Assert.StartsWith($"error: cannot start the simulator: relay TLS key file '{otherKey}' is not the key of the certificate", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    public void Dispose() => _pki.Dispose();

    private static Task<SimulatorHost> StartAsync(RelayTls tls)
    {
        var loopback = new IPEndPoint(IPAddress.Loopback, 0);
        return SimulatorHost.StartAsync(new SimulatedCluster(new SimulatorOptions { FlowsPerSecond = 0 }), loopback, loopback, relayTls: tls);
    }

    /// <summary>The simulator as a user runs it (its build output is copied next to the tests).</summary>
    private static async Task<(int ExitCode, string StandardError)> RunSimulatorAsync(params string[] args)
    {
        // The dotnet CLI tells the processes it starts where it is; plain `dotnet` elsewhere.
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        var start = new ProcessStartInfo(dotnet) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "CiliumDash.Simulator.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the simulator");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"the simulator did not exit within 60 s; it wrote: {await stdout}");
        }

        await stdout;
        return (process.ExitCode, await stderr);
    }
}
