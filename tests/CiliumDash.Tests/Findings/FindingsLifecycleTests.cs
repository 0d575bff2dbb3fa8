using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using CiliumDash.Agents;
using CiliumDash.Findings;
using CiliumDash.Simulator.Cluster;
using CiliumDash.Simulator.Hosting;
using CiliumDash.Simulator.Kubernetes;
using CiliumDash.Testing;
using CiliumDash.Tests.Integration;
using Microsoft.Extensions.DependencyInjection;

namespace CiliumDash.Tests.Findings;

/// <summary>The seed's EC2 case from a recording, a fault that clears on the live simulator, and hubble-relay down.</summary>
public sealed class FindingsLifecycleTests
{
    [Fact]
    public async Task Ec2Recording_EndpointNobodyReachesHostFine_ExactlyOneFindingWithHint()
    {
        using var recorded = new RecordedCluster("fedora", "knode1");
        recorded.Faults.EndpointUnreachableNodes = new HashSet<string> { "knode1" };
        recorded.Write();
        await using var server = new DashboardServer(new Dictionary<string, string?> { ["CiliumDash:Simulator:Scenario"] = recorded.Directory });
        using var client = server.CreateLoopbackClient();

        var findings = await Api.WaitForAsync(client, "/api/v1/findings", f => f.GetArrayLength() > 0, "a finding");
        // Both nodes read and their reports ingested, then the findings once more: still exactly the one.
        await Api.WaitForAsync(client, "/api/v1/nodes", n => n.EnumerateArray().Count(r => r.GetProperty("state").GetString() == "Ok") == 2, "two nodes read");
        await NextDerivationsAsync(server.Services.GetRequiredService<FindingsEngine>());
        findings = await Api.GetAsync(client, "/api/v1/findings");

        var finding = Assert.Single(findings.EnumerateArray());
        Assert.Equal("endpoint-unreachable", finding.GetProperty("kind").GetString());
        Assert.Equal("critical", finding.GetProperty("severity").GetString());
        Assert.Equal("""{"node":"knode1","path":"endpoint"}""", finding.GetProperty("subject").GetRawText());
        Assert.Equal("1 of 1 peers cannot reach knode1's health endpoint while its host answers", finding.GetProperty("summary").GetString());
        Assert.Equal("cilium-health on fedora", finding.GetProperty("evidence")[0].GetProperty("source").GetString());
        var hint = finding.GetProperty("hint").GetString()!;
        Assert.Contains("TCP 4240", hint, StringComparison.Ordinal);
        Assert.Contains("host routing", hint, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("reserved:health", hint, StringComparison.Ordinal);
        var nodes = await Api.GetAsync(client, "/api/v1/nodes");
        Assert.Equal("critical", Api.Node(nodes, "knode1").GetProperty("severity").GetString());
        Assert.Equal(JsonValueKind.Null, Api.Node(nodes, "fedora").GetProperty("severity").ValueKind);
    }

    [Fact]
    public async Task LiveFault_Removed_GoneAfterTheNextPoll()
    {
        await using var server = new DashboardServer();
        using var client = server.CreateLoopbackClient();
        var faults = server.Simulator.Faults;
        faults.EndpointUnreachableNodes = new HashSet<string> { "knode1" };
        var finding = await Api.WaitForAsync(client, "/api/v1/findings",
            f => f.EnumerateArray().Any(x => x.GetProperty("kind").GetString() == "endpoint-unreachable"), "the endpoint-unreachable finding", TimeSpan.FromSeconds(30));
        var id = finding.EnumerateArray().Single(x => x.GetProperty("kind").GetString() == "endpoint-unreachable").GetProperty("id").GetString();

        var cleared = DateTimeOffset.UtcNow;
        faults.EndpointUnreachableNodes = new HashSet<string>();
        // One poll that started after the fault went (both nodes' status and health read), then the derivations after it.
        var store = server.Services.GetRequiredService<ClusterStore>();
        await Eventually.True(() => store.Nodes.Count == 2 && store.Nodes.All(n => n.LastAttempt > cleared), "a poll after the fault was removed");
        await NextDerivationsAsync(server.Services.GetRequiredService<FindingsEngine>());

        var after = await Api.GetAsync(client, "/api/v1/findings");
        Assert.DoesNotContain(after.EnumerateArray(), x => x.GetProperty("id").GetString() == id);
        Assert.Empty(after.EnumerateArray());
    }

    [Fact]
    public async Task RelayPortClosed_RelayDownCriticalWithHint()
    {
        var kubeconfig = Path.Combine(Path.GetTempPath(), $"ciliumdash-findings-{Guid.NewGuid():N}.kubeconfig");
        var loopback = new IPEndPoint(IPAddress.Loopback, 0);
        await using var simulator = await SimulatorHost.StartAsync(new SimulatedCluster(new SimulatorOptions { FlowsPerSecond = 0 }), loopback, loopback);
        KubeconfigWriter.Write(kubeconfig, simulator.KubeUrl);
        try
        {
            await using var server = new DashboardServer(new Dictionary<string, string?>
            {
                ["CiliumDash:Source"] = "Kubernetes",
                ["CiliumDash:Kubernetes:Kubeconfig"] = kubeconfig,
                ["CiliumDash:Relay:Address"] = $"http://127.0.0.1:{ClosedLoopbackPort()}",
            });
            using var client = server.CreateLoopbackClient();

            var findings = await Api.WaitForAsync(client, "/api/v1/findings",
                f => f.EnumerateArray().Any(x => x.GetProperty("kind").GetString() == "relay-down"), "the relay-down finding", TimeSpan.FromSeconds(30));

            var relay = findings.EnumerateArray().Single(x => x.GetProperty("kind").GetString() == "relay-down");
            Assert.Equal("critical", relay.GetProperty("severity").GetString());
            Assert.Equal("""{"component":"hubble-relay"}""", relay.GetProperty("subject").GetRawText());
            Assert.Contains("hubble.relay.enabled=true", relay.GetProperty("hint").GetString(), StringComparison.Ordinal);
            Assert.Equal("relay-down", findings[0].GetProperty("kind").GetString());
        }
        finally
        {
            File.Delete(kubeconfig);
        }
    }

    /// <summary>Two derivations that start after now: the first of them has then finished (they run one at a time).</summary>
    private static Task NextDerivationsAsync(FindingsEngine engine)
    {
        var start = engine.Derivations;
        return Eventually.True(() => engine.Derivations >= start + 2, "two more derivations of the findings");
    }

    private static int ClosedLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
