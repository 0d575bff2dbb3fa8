using System.Runtime.CompilerServices;
using CiliumDash.Simulator.Cluster;

namespace CiliumDash.Simulator.Documents;

/// <summary>What one agent knows about its own node: the pods it manages and its local endpoint ids.</summary>
/// <param name="Pods">managed (non-host-network) pods scheduled on the node, in cluster order.</param>
/// <param name="HostEndpointId">the reserved:host endpoint every agent creates.</param>
/// <param name="HealthEndpointId">the cilium-health endpoint.</param>
internal sealed record NodeInventory(IReadOnlyList<SimPod> Pods, int HostEndpointId, int HealthEndpointId)
{
    private static readonly ConditionalWeakTable<SimulatedCluster, IReadOnlyList<NodeInventory>> Cache = [];

    /// <summary>All local endpoint ids: host, health, then the pods'.</summary>
    public IEnumerable<int> EndpointIds => new[] { HostEndpointId, HealthEndpointId }.Concat(Pods.Select(p => p.EndpointId));

    /// <summary>Computed once per cluster: grouping thousands of pods for each of thousands of renders would dominate.</summary>
    public static NodeInventory For(SimulatedCluster cluster, SimNode node) =>
        Cache.GetValue(cluster, Build)[node.Index];

    private static IReadOnlyList<NodeInventory> Build(SimulatedCluster cluster)
    {
        var byNode = cluster.Pods
            .Where(p => p.ManagedByCilium)
            .GroupBy(p => p.NodeName, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<SimPod>)g.ToList(), StringComparer.Ordinal);
        var inventories = new NodeInventory[cluster.Nodes.Count];
        foreach (var node in cluster.Nodes)
        {
            var pods = byNode.GetValueOrDefault(node.Name) ?? [];
            var taken = pods.Select(p => p.EndpointId).ToHashSet();
            var random = WireFormat.NodeRandom(cluster.Options.Seed, node.Index, salt: 1);

            // Agents pick endpoint ids at random below 4096; avoid the ids the model gave the node's pods.
            int NextId()
            {
                int id;
                do
                {
                    id = random.Next(1, 4096);
                }
                while (!taken.Add(id));
                return id;
            }

            var hostId = NextId();
            inventories[node.Index] = new NodeInventory(pods, hostId, NextId());
        }

        return inventories;
    }
}
