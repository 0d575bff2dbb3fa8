using System.Text.Json;
using CiliumDash.Simulator.Cluster;
using CiliumDash.Testing;

namespace CiliumDash.Tests.Integration;

/// <summary>
/// Faults switched on in the running simulator while the dashboard polls it: each hits one node, and the other node
/// must stay fine. Every test switches its fault off again and starts from two healthy nodes.
/// </summary>
public sealed class NodeFaultTests : IClassFixture<NodeFaultTests.Server>
{
    private static readonly IReadOnlySet<string> None = new HashSet<string>();
    private readonly Server _server;

    public NodeFaultTests(Server server) => _server = server;

    private SimulatorFaults Faults => _server.Dashboard.Simulator.Faults;

    private static Task<JsonElement> HealthyAsync(HttpClient client) =>
        Api.WaitForAsync(client, "/api/v1/nodes",
            nodes => nodes.GetArrayLength() == 2 && nodes.EnumerateArray().All(n => Api.Error(n) is null && n.GetProperty("state").GetString() == "Ok"),
            "two healthy nodes", TimeSpan.FromSeconds(30));

    [Fact]
    public async Task MalformedStatus_OneNode_ParseErrorStaleDataOtherNodeFine()
    {
        using var client = _server.Dashboard.CreateLoopbackClient();
        var before = Api.Node(await HealthyAsync(client), "fedora");
        try
        {
            Faults.MalformedStatusNodes = new HashSet<string> { "fedora" };

            var nodes = await Api.WaitForAsync(client, "/api/v1/nodes", n => Api.Error(Api.Node(n, "fedora")) is not null, "an error on fedora");

            var fedora = Api.Node(nodes, "fedora");
            Assert.Matches(@"^malformed status JSON at .* \(line \d+, byte \d+\)", Api.Error(fedora));
            Assert.True(fedora.GetProperty("stale").GetBoolean());
            Assert.Equal("Ok", fedora.GetProperty("state").GetString());
            Assert.Equal("1.12.0", fedora.GetProperty("ciliumVersion").GetString());
            Assert.True(fedora.GetProperty("lastUpdated").GetDateTimeOffset() >= before.GetProperty("lastUpdated").GetDateTimeOffset());
            var knode1 = Api.Node(nodes, "knode1");
            Assert.Null(Api.Error(knode1));
            Assert.False(knode1.GetProperty("stale").GetBoolean());
        }
        finally
        {
            Faults.MalformedStatusNodes = None;
        }

        await HealthyAsync(client);
    }

    [Fact]
    public async Task HangingExec_OneNode_TimeoutOnThatNodeOnly()
    {
        using var client = _server.Dashboard.CreateLoopbackClient();
        await HealthyAsync(client);
        try
        {
            Faults.HangingExecNodes = new HashSet<string> { "knode1" };

            // One snapshot with knode1 timed out and fedora fine: on a loaded machine a healthy node can miss the short
            // test timeout once too, and recovers on its next poll, while the hanging node never does.
            var nodes = await Api.WaitForAsync(client, "/api/v1/nodes",
                n => Api.Error(Api.Node(n, "knode1")) is not null && Api.Error(Api.Node(n, "fedora")) is null, "an error on knode1 while fedora reads fine");

            var knode1 = Api.Node(nodes, "knode1");
            Assert.Equal("timed out after 0.5s waiting for the agent to answer", Api.Error(knode1));
            Assert.True(knode1.GetProperty("stale").GetBoolean());
            Assert.Null(Api.Error(Api.Node(nodes, "fedora")));
        }
        finally
        {
            Faults.HangingExecNodes = None;
        }

        await HealthyAsync(client);
    }

    [Fact]
    public async Task FailingControllers_OneNode_ClusterErrorsSayFailingSince()
    {
        using var client = _server.Dashboard.CreateLoopbackClient();
        await HealthyAsync(client);
        try
        {
            Faults.FailingControllerNodes = new HashSet<string> { "fedora" };

            var cluster = await Api.WaitForAsync(client, "/api/v1/cluster", c => c.GetProperty("errors").GetArrayLength() > 0, "cluster errors");

            var errors = cluster.GetProperty("errors").EnumerateArray().ToList();
            Assert.All(errors, e =>
            {
                Assert.Equal("fedora", e.GetProperty("node").GetString());
                Assert.Matches(@"^controller \S.* is failing since \S+ \(\d+x\): .+", e.GetProperty("message").GetString());
            });
            var nodes = await Api.GetAsync(client, "/api/v1/nodes");
            Assert.True(Api.Node(nodes, "fedora").GetProperty("controllers").GetProperty("failing").GetInt32() > 0);
            Assert.Equal(0, Api.Node(nodes, "knode1").GetProperty("controllers").GetProperty("failing").GetInt32());
        }
        finally
        {
            Faults.FailingControllerNodes = None;
        }

        await Api.WaitForAsync(client, "/api/v1/cluster", c => c.GetProperty("errors").GetArrayLength() == 0, "no cluster errors");
    }

    [Fact]
    public async Task CrashLoopBackOff_OneNode_ContainerErrorOnThatNode()
    {
        using var client = _server.Dashboard.CreateLoopbackClient();
        await HealthyAsync(client);
        try
        {
            Faults.CrashLoopingNodes = new HashSet<string> { "knode1" };

            var nodes = await Api.WaitForAsync(client, "/api/v1/nodes", n => Api.Error(Api.Node(n, "knode1")) is not null, "an error on knode1");

            Assert.StartsWith("container cilium-agent is in CrashLoopBackOff", Api.Error(Api.Node(nodes, "knode1")));
            Assert.Null(Api.Error(Api.Node(nodes, "fedora")));
            var cluster = await Api.GetAsync(client, "/api/v1/cluster");
            Assert.Contains(cluster.GetProperty("errors").EnumerateArray(), e =>
                e.GetProperty("node").GetString() == "knode1" && e.GetProperty("message").GetString()!.StartsWith("container cilium-agent is in CrashLoopBackOff", StringComparison.Ordinal));
        }
        finally
        {
            Faults.CrashLoopingNodes = None;
        }

        await HealthyAsync(client);
    }

    public sealed class Server : IDisposable
    {
        public DashboardServer Dashboard { get; } = new(new Dictionary<string, string?>
        {
            ["CiliumDash:Kubernetes:ExecTimeout"] = "00:00:00.5",
            ["CiliumDash:Simulator:FlowsPerSecond"] = "5",
        });

        public void Dispose() => Dashboard.Dispose();
    }
}
