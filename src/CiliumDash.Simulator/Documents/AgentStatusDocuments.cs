using CiliumDash.Simulator.Cluster;

namespace CiliumDash.Simulator.Documents;

/// <summary>Renders what <c>cilium-dbg status -o json</c> prints on a simulated node (GET /v1/healthz, not brief).</summary>
public static class AgentStatusDocuments
{
    public static string Render(SimulatedCluster cluster, SimNode node, DateTimeOffset now) => "{}";
}
