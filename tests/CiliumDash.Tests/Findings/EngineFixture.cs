using CiliumDash.Protocols.Health;
using CiliumDash.Agents;
using CiliumDash.Configuration;
using CiliumDash.Connectivity;
using CiliumDash.Findings;
using CiliumDash.Flows;
using CiliumDash.Tests.Builders;
using Microsoft.Extensions.Time.Testing;

namespace CiliumDash.Tests.Findings;

/// <summary>The three real stores on a fake clock, and the engine over them.</summary>
internal sealed class EngineFixture : IDisposable
{
    public EngineFixture()
    {
        Cluster = new ClusterStore(Time, "test");
        Connectivity = new ConnectivityStore(Time, new ConnectivityOptions());
        Flows = new FlowStore(Time, 100);
        Engine = new FindingsEngine(Cluster, Connectivity, Flows);
        Cluster.SetAgentSource(Cluster.AgentSource with { State = CiliumDash.Shared.SourceState.Connected });
        Flows.SetRelay(CiliumDash.Shared.SourceHealth.Initial("relay", "test") with { State = CiliumDash.Shared.SourceState.Connected });
    }

    public FakeTimeProvider Time { get; } = new(ClusterData.Now);

    public ClusterStore Cluster { get; }

    public ConnectivityStore Connectivity { get; }

    public FlowStore Flows { get; }

    public FindingsEngine Engine { get; }

    public void Node(NodeSnapshot node) => Cluster.UpdateNode(node.Name, _ => node);

    /// <summary>One health report of <paramref name="local"/> listing <paramref name="peers"/> (HealthJson.Peer).</summary>
    public void Health(string local, params NodeStatus[] peers) =>
        Assert.Null(Connectivity.Ingest(local, HealthJson.Report(local, Time.GetUtcNow(), peers)).Error);

    public IReadOnlyList<Finding> Derive() => Engine.Derive().All;

    public void Dispose()
    {
        Engine.Dispose();
        Cluster.Dispose();
        Connectivity.Dispose();
        Flows.Dispose();
    }
}
