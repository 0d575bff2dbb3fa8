using System.Diagnostics;
using System.Text.Json;
using CiliumDash.Protocols.Agent;
using CiliumDash.Tests.Deploy;

namespace CiliumDash.Tests.Simulator.Kubernetes;

/// <summary>
/// Real kubectl (from PATH or $KUBECTL, as <see cref="ExternalTool.Kubectl"/> finds it; deploy/ci/install-tools.sh
/// installs it into /usr/local/bin) against the stand-in: discovery, get and exec over WebSocket.
/// </summary>
public sealed class KubectlTests
{
    private static string Kubectl => ExternalTool.Kubectl.Path;

    [Fact]
    public async Task Kubectl_GetPods_TableShowsReadinessAndCrashLoop()
    {
        await using var host = await StandInHost.StartAsync(nodes: 2, crashLooping: ["knode1"]);

        var result = await RunAsync(host, "get", "pods", "-n", "kube-system", "-l", "k8s-app=cilium");

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["NAME", "READY", "STATUS", "RESTARTS", "AGE"], lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        var healthy = lines.Single(l => l.StartsWith(host.Node(0).AgentPodName, StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var crashing = lines.Single(l => l.StartsWith(host.Node(1).AgentPodName, StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["1/1", "Running", "0"], healthy[1..4]);
        Assert.Equal(["0/1", "CrashLoopBackOff", "5"], crashing[1..4]);
    }

    [Fact]
    public async Task Kubectl_GetDaemonSetJson_StatusParses()
    {
        await using var host = await StandInHost.StartAsync(nodes: 2, crashLooping: ["knode1"]);

        var result = await RunAsync(host, "get", "daemonset", "cilium", "-n", "kube-system", "-o", "json");

        Assert.True(result.ExitCode == 0, result.ToString());
        using var ds = JsonDocument.Parse(result.Stdout);
        Assert.Equal(1, ds.RootElement.GetProperty("status").GetProperty("numberReady").GetInt32());
    }

    [Fact]
    public async Task Kubectl_ExecStatus_PrintsTheAgentsDocument()
    {
        // Documents carry uptime and flow counts: freeze the clock so the two reads are byte-identical.
        await using var host = await StandInHost.StartAsync(nodes: 2, time: FrozenClock());
        var node = host.Node(1);
        var expected = await host.Cluster.ExecAsync(node, AgentCommands.StatusLegacy, CancellationToken.None);

        var result = await RunAsync(host, "exec", "-n", "kube-system", node.AgentPodName, "-c", "cilium-agent", "--", "cilium", "status", "-o", "json");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(expected.Stdout, result.Stdout);
    }

    [Fact]
    public async Task Kubectl_ExecUnknownCommand_ExitCodePassedThrough()
    {
        await using var host = await StandInHost.StartAsync(nodes: 1);

        var result = await RunAsync(host, "exec", "-n", "kube-system", host.Node(0).AgentPodName, "-c", "cilium-agent", "--", "cilium", "bogus");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("unknown command", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Kubectl_GetPoliciesAndNodes_ByShortNames()
    {
        await using var host = await StandInHost.StartAsync(nodes: 2);
        host.Cluster.Changes.ApplyPolicy(CiliumDash.Simulator.Kubernetes.PolicyKind.CiliumNetworkPolicy, "default", "from-kubectl");

        var policies = await RunAsync(host, "get", "cnp,ccnp,netpol", "-A", "-o", "name");
        var nodes = await RunAsync(host, "get", "nodes");

        Assert.True(policies.ExitCode == 0, policies.ToString());
        Assert.Equal(
            ["ciliumclusterwidenetworkpolicy.cilium.io/allow-kube-dns", "ciliumnetworkpolicy.cilium.io/from-kubectl",
                "ciliumnetworkpolicy.cilium.io/payments-from-checkout", "networkpolicy.networking.k8s.io/catalog-ingress"],
            policies.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal));
        Assert.True(nodes.ExitCode == 0, nodes.ToString());
        Assert.Contains(host.Node(1).Name, nodes.Stdout, StringComparison.Ordinal);
    }

    private sealed record Run(int ExitCode, string Stdout, string Stderr)
    {
        public override string ToString() => $"exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
    }

    private static async Task<Run> RunAsync(StandInHost host, params string[] args)
    {
        var start = new ProcessStartInfo(Kubectl)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--kubeconfig");
        start.ArgumentList.Add(host.KubeconfigPath);
        start.ArgumentList.Add("--request-timeout=20s");
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // kubectl keeps a discovery cache under $HOME; a private one keeps runs independent.
        start.Environment["KUBECACHEDIR"] = Path.Combine(Path.GetDirectoryName(host.KubeconfigPath)!, "cache");
        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new Run(process.ExitCode, await stdout, await stderr);
    }

    private static Microsoft.Extensions.Time.Testing.FakeTimeProvider FrozenClock() => new(new DateTimeOffset(2022, 8, 23, 1, 57, 33, TimeSpan.Zero));
}
