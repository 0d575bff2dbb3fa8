namespace CiliumDash.Cluster;

/// <summary>The cluster feature's registration: its read model over the agent store.</summary>
public static class ClusterHosting
{
    public static IServiceCollection AddClusterReadModel(this IServiceCollection services) => services.AddSingleton<ClusterReadModel>();
}
