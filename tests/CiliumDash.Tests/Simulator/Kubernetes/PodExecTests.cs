using System.Net;
using System.Net.WebSockets;
using System.Text;
using CiliumDash.Protocols.Agent;
using CiliumDash.Simulator.Cluster;
using k8s;
using k8s.Models;

namespace CiliumDash.Tests.Simulator.Kubernetes;

public sealed class PodExecTests
{
    private const string Ns = SimulatedCluster.CiliumNamespace;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task ExecV4_StatusCommand_StdoutIsWhatTheClusterAnswersAndExitZero()
    {
        // Documents carry uptime and flow counts: freeze the clock so the two reads are byte-identical.
        await using var host = await StandInHost.StartAsync(nodes: 3, time: FrozenClock());
        var node = host.Node(1);
        var expected = await host.Cluster.ExecAsync(node, AgentCommands.StatusLegacy, CancellationToken.None);
        string? stdout = null;

        var exitCode = await host.Client.NamespacedPodExecAsync(node.AgentPodName, Ns, AgentCommands.AgentContainer, AgentCommands.StatusLegacy, false,
            async (_, output, _) => stdout = await new StreamReader(output).ReadToEndAsync(), CancellationToken.None);

        Assert.Equal(0, exitCode);
        Assert.Equal(expected.Stdout, stdout);
    }

    [Fact]
    public async Task ExecV5_HealthCommand_NegotiatesV5AndDeliversStdoutAndSuccessStatus()
    {
        // Documents carry uptime and flow counts: freeze the clock so the two reads are byte-identical.
        await using var host = await StandInHost.StartAsync(nodes: 2, time: FrozenClock());
        var node = host.Node(0);
        var expected = await host.Cluster.ExecAsync(node, AgentCommands.HealthStatus, CancellationToken.None);

        var result = await ExecRawAsync(host, node.AgentPodName, AgentCommands.HealthStatus, "v5.channel.k8s.io");

        Assert.Equal("v5.channel.k8s.io", result.Protocol);
        Assert.Equal(expected.Stdout, result.Stdout);
        Assert.Equal("Success", result.Status.Status);
        Assert.Equal(0, k8s.Kubernetes.GetExitCodeOrThrow(result.Status));
    }

    [Fact]
    public async Task ExecV5_LargeOutput_ArrivesWhole()
    {
        await using var host = await StandInHost.StartAsync(nodes: 400);
        var node = host.Node(7);
        var expected = await host.Cluster.ExecAsync(node, AgentCommands.HealthStatus, CancellationToken.None);

        var result = await ExecRawAsync(host, node.AgentPodName, AgentCommands.HealthStatus, "v5.channel.k8s.io");

        Assert.Equal(expected.Stdout, result.Stdout);
    }

    [Fact]
    public async Task Exec_UnknownSubcommand_NonZeroExitCodeAndStderr()
    {
        await using var host = await StandInHost.StartAsync(nodes: 1);
        string? stderr = null;

        var exitCode = await host.Client.NamespacedPodExecAsync(host.Node(0).AgentPodName, Ns, AgentCommands.AgentContainer, ["cilium", "bogus"], false,
            async (_, _, error) => stderr = await new StreamReader(error).ReadToEndAsync(), CancellationToken.None);

        Assert.Equal(1, exitCode);
        Assert.Contains("unknown command", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exec_NonZeroExit_StatusShapedLikeTheApiServers()
    {
        await using var host = await StandInHost.StartAsync(nodes: 1);

        var result = await ExecRawAsync(host, host.Node(0).AgentPodName, ["cilium", "bogus"], "v4.channel.k8s.io");

        Assert.Equal("Failure", result.Status.Status);
        Assert.Equal("NonZeroExitCode", result.Status.Reason);
        Assert.Equal("command terminated with non-zero exit code: error executing command [cilium bogus], exit code 1", result.Status.Message);
        Assert.Equal("1", Assert.Single(result.Status.Details.Causes, c => c.Reason == "ExitCode").Message);
    }

    [Fact]
    public async Task Exec_CiliumDbgOnACilium112Image_StartFailureNotAnExitCode()
    {
        await using var host = await StandInHost.StartAsync(nodes: 1, shape: WireShape.Cilium112);

        var error = await Assert.ThrowsAsync<KubernetesException>(() => host.Client.NamespacedPodExecAsync(host.Node(0).AgentPodName, Ns,
            AgentCommands.AgentContainer, AgentCommands.Status, false, (_, _, _) => Task.CompletedTask, CancellationToken.None));

        Assert.Equal("Failure", error.Status.Status);
        Assert.NotEqual("NonZeroExitCode", error.Status.Reason);
        Assert.Contains("\"cilium-dbg\": executable file not found in $PATH", error.Status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exec_CrashLoopingAgent_ContainerNotFoundError()
    {
        await using var host = await StandInHost.StartAsync(nodes: 2, crashLooping: ["knode1"]);

        var error = await Assert.ThrowsAsync<KubernetesException>(() => host.Client.NamespacedPodExecAsync(host.Node(1).AgentPodName, Ns,
            AgentCommands.AgentContainer, AgentCommands.StatusLegacy, false, (_, _, _) => Task.CompletedTask, CancellationToken.None));

        Assert.Contains("unable to upgrade connection: container not found (\"cilium-agent\")", error.Status.Message, StringComparison.Ordinal);
    }

    // KubernetesClient 21 on .NET 10 surfaces a refused upgrade as a WebSocketException naming the status code (its
    // HeaderError fallback no longer matches), so the body is checked with a plain GET, as kubectl's SPDY path reads it.
    [Fact]
    public async Task Exec_UnknownPod_UpgradeRefusedWith404Status()
    {
        await using var host = await StandInHost.StartAsync(nodes: 1);
        using var http = new HttpClient { BaseAddress = host.Server };

        var error = await Assert.ThrowsAsync<WebSocketException>(() => host.Client.WebSocketNamespacedPodExecAsync("cilium-nope", Ns,
            AgentCommands.StatusLegacy, AgentCommands.AgentContainer, tty: false, webSocketSubProtocol: "v4.channel.k8s.io"));
        using var response = await http.GetAsync("/api/v1/namespaces/kube-system/pods/cilium-nope/exec?command=cilium&stdout=true");

        Assert.Contains("'404'", error.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var status = KubernetesJson.Deserialize<V1Status>(await response.Content.ReadAsStringAsync());
        Assert.Equal("pods \"cilium-nope\" not found", status.Message);
    }

    [Theory]
    [InlineData("container=mount-cgroup&command=cilium&stdout=true", "container mount-cgroup is not valid for pod")]
    [InlineData("container=cilium-agent&stdout=true", "you must specify at least 1 command")]
    [InlineData("command=cilium&stdout=false&stderr=0", "you must specify at least one of stdin, stdout, stderr")]
    [InlineData("command=cilium&stdout=true", "Upgrade request required")]
    public async Task Exec_BadRequest_400StatusWithReason(string query, string message)
    {
        await using var host = await StandInHost.StartAsync(nodes: 1);
        using var http = new HttpClient { BaseAddress = host.Server };

        using var response = await http.PostAsync($"/api/v1/namespaces/kube-system/pods/{host.Node(0).AgentPodName}/exec?{query}", null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var status = KubernetesJson.Deserialize<V1Status>(await response.Content.ReadAsStringAsync());
        Assert.Contains(message, status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exec_OldChannelProtocolOnly_Refused()
    {
        await using var host = await StandInHost.StartAsync(nodes: 1);

        var error = await Assert.ThrowsAsync<WebSocketException>(() => host.Client.WebSocketNamespacedPodExecAsync(host.Node(0).AgentPodName, Ns,
            AgentCommands.StatusLegacy, AgentCommands.AgentContainer, tty: false, webSocketSubProtocol: "channel.k8s.io"));

        Assert.Contains("'400'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exec_HangingAgentCancelledByClient_ServerSessionEnds()
    {
        await using var host = await StandInHost.StartAsync(nodes: 2, hanging: ["knode1"]);
        using var socket = await host.Client.WebSocketNamespacedPodExecAsync(host.Node(1).AgentPodName, Ns, AgentCommands.StatusLegacy,
            AgentCommands.AgentContainer, stdin: false, tty: false, webSocketSubProtocol: "v4.channel.k8s.io");
        await CiliumDash.Testing.Eventually.True(() => host.ActiveExecs == 1, "the exec session to start", Timeout);
        using var cts = new CancellationTokenSource();
        var receive = socket.ReceiveAsync(new byte[1024], cts.Token);
        Assert.False(receive.IsCompleted);   // hanging: nothing arrives until the client gives up

        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => receive);
        await CiliumDash.Testing.Eventually.True(() => host.ActiveExecs == 0, "the server to end the abandoned exec", Timeout);
    }

    private sealed record RawExec(string? Protocol, string Stdout, string Stderr, V1Status Status);

    private static async Task<RawExec> ExecRawAsync(StandInHost host, string pod, IReadOnlyList<string> command, string protocol)
    {
        var socket = await host.Client.WebSocketNamespacedPodExecAsync(pod, Ns, command, AgentCommands.AgentContainer,
            stdin: false, tty: false, webSocketSubProtocol: protocol);
        var negotiated = socket.SubProtocol;
        using var demuxer = new StreamDemuxer(socket, StreamType.RemoteCommand, ownsSocket: true, supportsClose: protocol.StartsWith("v5", StringComparison.Ordinal));
        using var stdout = new StreamReader(demuxer.GetStream(ChannelIndex.StdOut, null), Encoding.UTF8);
        using var stderr = new StreamReader(demuxer.GetStream(ChannelIndex.StdErr, null), Encoding.UTF8);
        using var error = new StreamReader(demuxer.GetStream(ChannelIndex.Error, null), Encoding.UTF8);
        demuxer.Start();
        var outText = stdout.ReadToEndAsync();
        var errText = stderr.ReadToEndAsync();
        var status = KubernetesJson.Deserialize<V1Status>(await error.ReadToEndAsync().WaitAsync(Timeout));
        return new RawExec(negotiated, await outText.WaitAsync(Timeout), await errText.WaitAsync(Timeout), status);
    }

    private static Microsoft.Extensions.Time.Testing.FakeTimeProvider FrozenClock() => new(new DateTimeOffset(2022, 8, 23, 1, 57, 33, TimeSpan.Zero));
}
