using System.Text.Json;
using CiliumDash.Agents;
using CiliumDash.Protocols.Agent;
using CiliumDash.Testing;
using CiliumDash.Tests.Simulator.Kubernetes;

namespace CiliumDash.Tests.Agents;

/// <summary>The dashboard's exec client against the simulator's Kubernetes stand-in (a real exec WebSocket on 127.0.0.1).</summary>
public sealed class AgentExecTests : IAsyncLifetime
{
    private const string Ns = "kube-system";
    private StandInHost? _host;

    private StandInHost Host => _host!;

    public async Task InitializeAsync() => _host = await StandInHost.StartAsync(nodes: 2, hanging: ["knode1"]);

    public async Task DisposeAsync() => await Host.DisposeAsync();

    [Fact]
    public async Task RunAsync_StatusCommand_WholeDocumentAndExitZero()
    {
        var exec = new AgentExec(Host.Client);

        var output = await exec.RunAsync(Ns, Host.Node(0).AgentPodName, AgentCommands.AgentContainer, AgentCommands.StatusLegacy, AgentStatusParser.MaxDocumentBytes, CancellationToken.None);

        Assert.Equal(0, output.ExitCode);
        Assert.Equal("", output.Stderr);
        Assert.True(output.Stdout.Length > 10_000, $"{output.Stdout.Length} bytes");
        using var document = JsonDocument.Parse(output.Stdout);
        Assert.Equal(JsonValueKind.Object, document.RootElement.ValueKind);
    }

    [Fact]
    public async Task RunAsync_StdoutOverTheLimit_RefusedWithTheLimitNamed()
    {
        var exec = new AgentExec(Host.Client);

        var error = await Assert.ThrowsAsync<AgentExecException>(() =>
            exec.RunAsync(Ns, Host.Node(0).AgentPodName, AgentCommands.AgentContainer, AgentCommands.StatusLegacy, 1_000, CancellationToken.None));

        Assert.Equal("'cilium status -o json' printed more than 1,000 bytes; refused", error.Message);
    }

    [Fact]
    public async Task RunAsync_UnknownSubcommand_ExitCodeAndStderr()
    {
        var exec = new AgentExec(Host.Client);

        var output = await exec.RunAsync(Ns, Host.Node(0).AgentPodName, AgentCommands.AgentContainer, ["cilium", "bogus"], 1_000, CancellationToken.None);

        Assert.Equal(1, output.ExitCode);
        Assert.Contains("unknown command", output.Stderr, StringComparison.Ordinal);
        Assert.Empty(output.Stdout);
    }

    [Fact]
    public async Task RunAsync_BinaryNotInTheImage_MarkedMissing()
    {
        var exec = new AgentExec(Host.Client);

        var error = await Assert.ThrowsAsync<AgentExecException>(() =>
            exec.RunAsync(Ns, Host.Node(0).AgentPodName, AgentCommands.AgentContainer, AgentCommands.Status, 1_000, CancellationToken.None));

        Assert.True(error.BinaryMissing, error.Message);
    }

    [Fact]
    public async Task RunAsync_AgentNeverAnswers_CancelledByTheToken()
    {
        var exec = new AgentExec(Host.Client);
        using var cts = new CancellationTokenSource();

        var run = exec.RunAsync(Ns, Host.Node(1).AgentPodName, AgentCommands.AgentContainer, AgentCommands.StatusLegacy, 1_000, cts.Token);
        await Eventually.True(() => Host.ActiveExecs == 1, "the exec to reach the hanging agent");
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
    }

    /// <summary>Many at once, as the poller runs them: each gets its own document, whole.</summary>
    [Fact]
    public async Task RunAsync_SixtyFourAtOnce_EveryDocumentWhole()
    {
        var exec = new AgentExec(Host.Client);

        var outputs = await Task.WhenAll(Enumerable.Range(0, 64).Select(_ =>
            exec.RunAsync(Ns, Host.Node(0).AgentPodName, AgentCommands.AgentContainer, AgentCommands.HealthStatus, 4 * 1024 * 1024, CancellationToken.None)));

        Assert.All(outputs, o => Assert.Equal(0, o.ExitCode));
        Assert.Single(outputs.Select(o => o.Stdout.Length).Distinct());
        Assert.All(outputs, o => JsonDocument.Parse(o.Stdout).Dispose());
    }
}
