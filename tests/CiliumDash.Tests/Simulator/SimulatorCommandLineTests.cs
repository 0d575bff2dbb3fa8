using CiliumDash.Simulator;

namespace CiliumDash.Tests.Simulator;

public sealed class SimulatorCommandLineTests
{
    [Fact]
    public void Parse_KubeconfigServer_IsWrittenInsteadOfTheListenAddress()
    {
        var options = SimulatorCommandLine.Parse(["--kube-listen", "0.0.0.0:6443", "--write-kubeconfig", "/shared/kubeconfig", "--kubeconfig-server", "http://simulator:6443"]);

        Assert.Equal(new Uri("http://simulator:6443"), options.KubeconfigServer);
        Assert.Equal("/shared/kubeconfig", options.KubeconfigPath);
    }

    [Fact]
    public void Parse_NoKubeconfigServer_LeavesTheListenAddress()
    {
        var options = SimulatorCommandLine.Parse(["--write-kubeconfig", "/tmp/k"]);

        Assert.Null(options.KubeconfigServer);
    }

    [Theory]
    [InlineData("simulator:6443")]
    [InlineData("tcp://simulator:6443")]
    [InlineData("http://simulator:6443/api")]
    public void Parse_KubeconfigServerNotAnHttpBaseUrl_FailsNamingTheOption(string value)
    {
        var ex = Assert.Throws<FormatException>(() => SimulatorCommandLine.Parse(["--write-kubeconfig", "/tmp/k", "--kubeconfig-server", value]));

        Assert.Contains("--kubeconfig-server must be an http or https URL", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_KubeconfigServerWithoutKubeconfig_FailsSayingWhatIsMissing()
    {
        var ex = Assert.Throws<FormatException>(() => SimulatorCommandLine.Parse(["--kubeconfig-server", "http://simulator:6443"]));

        Assert.Equal("--kubeconfig-server needs --write-kubeconfig PATH", ex.Message);
    }

    [Fact]
    public void Help_ListsKubeconfigServer()
    {
        Assert.Contains("--kubeconfig-server URL", SimulatorCommandLine.Help, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MapPressure_SetsTheFaultNodes()
    {
        var options = SimulatorCommandLine.Parse(["--map-pressure", "knode1, fedora"]);

        Assert.Equal(new HashSet<string> { "knode1", "fedora" }, options.Simulator.Faults.MapPressureNodes);
    }

    [Fact]
    public void Help_ListsMapPressure()
    {
        Assert.Contains("--map-pressure NODE,...", SimulatorCommandLine.Help, StringComparison.Ordinal);
    }
}
