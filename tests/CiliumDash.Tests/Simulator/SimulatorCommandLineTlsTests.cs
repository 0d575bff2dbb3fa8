using CiliumDash.Simulator;
using CiliumDash.Simulator.Hosting;
using CiliumDash.Tests.Builders;

namespace CiliumDash.Tests.Simulator;

public sealed class SimulatorCommandLineTlsTests : IDisposable
{
    private readonly TestPki _pki = TestPki.Create();

    [Fact]
    public void Parse_CertKeyAndClientCa_ServesMutualTls()
    {
        var (cert, key) = _pki.Server();

        var options = SimulatorCommandLine.Parse(["--relay-tls-cert", cert, "--relay-tls-key", key, "--relay-tls-client-ca", _pki.CaFile]);

        Assert.Equal(new RelayTls(cert, key, _pki.CaFile), options.RelayTls);
    }

    [Fact]
    public void Parse_NoTlsOptions_ServesPlaintext()
    {
        Assert.Null(SimulatorCommandLine.Parse([]).RelayTls);
    }

    [Theory]
    [InlineData("--relay-tls-cert")]
    [InlineData("--relay-tls-key")]
    [InlineData("--relay-tls-client-ca")]
    public void Parse_MissingFile_FailsNamingOptionAndFile(string option)
    {
        var missing = Path.Combine(_pki.Directory, "missing.pem");

        var ex = Assert.Throws<FormatException>(() => SimulatorCommandLine.Parse([option, missing]));

        Assert.Equal($"{option}: file '{missing}' does not exist", ex.Message);
    }

    [Fact]
    public void Parse_CertWithoutKey_FailsSayingWhatIsMissing()
    {
        var (cert, _) = _pki.Server();

        var ex = Assert.Throws<FormatException>(() => SimulatorCommandLine.Parse(["--relay-tls-cert", cert]));

        Assert.Equal("--relay-tls-cert needs --relay-tls-key FILE", ex.Message);
    }

    [Fact]
    public void Parse_KeyWithoutCert_FailsSayingWhatIsMissing()
    {
        var (_, key) = _pki.Server();

        var ex = Assert.Throws<FormatException>(() => SimulatorCommandLine.Parse(["--relay-tls-key", key]));

        Assert.Equal("--relay-tls-key needs --relay-tls-cert FILE", ex.Message);
    }

    [Fact]
    public void Parse_ClientCaAlone_FailsSayingTheServerNeedsItsOwnCertificate()
    {
        var ex = Assert.Throws<FormatException>(() => SimulatorCommandLine.Parse(["--relay-tls-client-ca", _pki.CaFile]));

        Assert.Equal("--relay-tls-client-ca needs --relay-tls-cert FILE and --relay-tls-key FILE", ex.Message);
    }

    [Theory]
    [InlineData("--relay-tls-cert FILE")]
    [InlineData("--relay-tls-key FILE")]
    [InlineData("--relay-tls-client-ca FILE")]
    public void Help_ListsTheTlsOptions(string option)
    {
        Assert.Contains(option, SimulatorCommandLine.Help, StringComparison.Ordinal);
    }

    public void Dispose() => _pki.Dispose();
}
