using CiliumDash.Simulator.Cluster;

namespace CiliumDash.Simulator.Documents;

/// <summary>Renders what <c>cilium-health status -o json</c> prints on a simulated node (GET /v1beta/status).</summary>
public static class HealthStatusDocuments
{
    public static string Render(SimulatedCluster cluster, SimNode node, DateTimeOffset now) => "{}";
}
