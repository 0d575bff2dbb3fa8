using System.Text;
using CiliumDash.Agents;
using CiliumDash.Protocols.Agent;
using CiliumDash.Simulator.Cluster;
using Microsoft.Extensions.Time.Testing;

namespace CiliumDash.Tests.Simulator.Documents;

public sealed class AgentMetricsDocumentTests
{
    private static readonly string[] ExpectedMaps =
        ["cilium_ct4_global", "cilium_ct_any4_global", "cilium_ipcache", "cilium_lb4_backends_v3", "cilium_lb4_services_v2", "cilium_lxc", "cilium_snat_v4_external"];

    private static MapPressure Pressure(ExecResult result)
    {
        Assert.Equal(0, result.ExitCode);
        var parsed = MapPressureParser.Parse(Encoding.UTF8.GetBytes(result.Stdout), DocumentTestData.Now);
        Assert.Null(parsed.Error);
        Assert.Empty(parsed.Value!.Warnings);
        return parsed.Value;
    }

    [Fact]
    public async Task Exec_Cilium112_DbgBinaryMissingLegacyAnswers()
    {
        var cluster = DocumentTestData.Cluster(WireShape.Cilium112);

        var dbg = await cluster.ExecAsync(cluster.Nodes[0], AgentCommands.Metrics, CancellationToken.None);
        var legacy = Pressure(await cluster.ExecAsync(cluster.Nodes[0], AgentCommands.MetricsLegacy, CancellationToken.None));

        Assert.Contains("\"cilium-dbg\": executable file not found", dbg.StartFailure, StringComparison.Ordinal);
        Assert.Equal(ExpectedMaps, legacy.Maps.Select(m => m.MapName).Where(m => !m.StartsWith("cilium_policy_", StringComparison.Ordinal)));
        Assert.Matches("^cilium_policy_[0-9]{5}$", Assert.Single(legacy.Maps, m => m.MapName.StartsWith("cilium_policy_", StringComparison.Ordinal)).MapName);
        Assert.All(legacy.Maps, m => Assert.InRange(m.Ratio, 0, 0.6));
    }

    [Fact]
    public async Task Exec_Current_BothBinariesAnswerTheSameList()
    {
        var cluster = DocumentTestData.Cluster(WireShape.Current);
        var node = cluster.Nodes[1];

        var dbg = await cluster.ExecAsync(node, AgentCommands.Metrics, CancellationToken.None);
        var legacy = await cluster.ExecAsync(node, AgentCommands.MetricsLegacy, CancellationToken.None);

        Assert.Equal(dbg.Stdout, legacy.Stdout);
        Assert.Contains("\"name\":\"cilium_endpoint\"", dbg.Stdout, StringComparison.Ordinal);
        Assert.Equal(8, Pressure(dbg).Maps.Count);
    }

    [Fact]
    public async Task Exec_SameSeed_SameFiguresOtherNodeDiffers()
    {
        var a = DocumentTestData.Cluster(seed: 5);
        var b = DocumentTestData.Cluster(seed: 5);

        var first = await a.ExecAsync(a.Nodes[0], AgentCommands.MetricsLegacy, CancellationToken.None);
        var again = await b.ExecAsync(b.Nodes[0], AgentCommands.MetricsLegacy, CancellationToken.None);
        var other = await a.ExecAsync(a.Nodes[1], AgentCommands.MetricsLegacy, CancellationToken.None);

        Assert.Equal(first.Stdout, again.Stdout);
        Assert.NotEqual(first.Stdout, other.Stdout);
    }

    [Fact]
    public async Task Exec_TimePasses_FiguresMoveALittle()
    {
        var time = new FakeTimeProvider(DocumentTestData.Start);
        var cluster = new SimulatedCluster(new SimulatorOptions(), time);
        var before = Pressure(await cluster.ExecAsync(cluster.Nodes[0], AgentCommands.MetricsLegacy, CancellationToken.None));

        time.Advance(TimeSpan.FromMinutes(4));
        var after = Pressure(await cluster.ExecAsync(cluster.Nodes[0], AgentCommands.MetricsLegacy, CancellationToken.None));

        var ct = (Before: before.Maps.Single(m => m.MapName == "cilium_ct4_global").Ratio, After: after.Maps.Single(m => m.MapName == "cilium_ct4_global").Ratio);
        Assert.NotEqual(ct.Before, ct.After);
        Assert.InRange(Math.Abs(ct.Before - ct.After), 0, 0.01);
    }

    [Fact]
    public async Task Exec_MapPressureFault_TwoMapsOver80OnThatNodeOnly()
    {
        var cluster = DocumentTestData.Cluster();
        cluster.Faults.MapPressureNodes = new HashSet<string> { "knode1" };

        var knode1 = Pressure(await cluster.ExecAsync(cluster.Nodes.Single(n => n.Name == "knode1"), AgentCommands.MetricsLegacy, CancellationToken.None));
        var fedora = Pressure(await cluster.ExecAsync(cluster.Nodes.Single(n => n.Name == "fedora"), AgentCommands.MetricsLegacy, CancellationToken.None));

        Assert.Equal(new[] { ("cilium_ct4_global", 0.93), ("cilium_snat_v4_external", 0.86) }, knode1.OverHigh);
        Assert.Empty(fedora.OverHigh);
    }
}
