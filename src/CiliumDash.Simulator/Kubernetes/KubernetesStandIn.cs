using CiliumDash.Simulator.Cluster;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace CiliumDash.Simulator.Kubernetes;

/// <summary>
/// A Kubernetes API stand-in for a <see cref="SimulatedCluster"/>: discovery, Cilium's pods, DaemonSet and Deployments,
/// CiliumEndpoints, CiliumNodes, hubble-relay's EndpointSlice, pods/exec over WebSocket, and (with watch resume by
/// resource version) Nodes, CiliumNetworkPolicies, CiliumClusterwideNetworkPolicies and NetworkPolicies, enough for KubernetesClient and real kubectl.
/// Meant to own its WebApplication (it maps a catch-all 404).
/// </summary>
public static class KubernetesStandIn
{
    private const string Ns = "/namespaces/{ns}";

    private static readonly ResourceType Pods = new("v1", "PodList", "pods", null, NodeField: true,
        (o, ns) => o.Pods(ns), (o, ns, name) => o.Pod(ns, name), PodTable.Render);

    private static readonly ResourceType DaemonSets = new("apps/v1", "DaemonSetList", "daemonsets", "apps", NodeField: false,
        (o, ns) => Workloads(o, "DaemonSet", ns), Version: o => o.Cluster.Changes.WorkloadVersion);

    private static readonly ResourceType Deployments = new("apps/v1", "DeploymentList", "deployments", "apps", NodeField: false,
        (o, ns) => Workloads(o, "Deployment", ns));

    private static readonly ResourceType CiliumEndpoints = new(CiliumRenderer.ApiVersion, "CiliumEndpointList", "ciliumendpoints", "cilium.io",
        NodeField: false, (o, ns) => o.Endpoints(ns));

    private static readonly ResourceType EndpointSlices = new("discovery.k8s.io/v1", "EndpointSliceList", "endpointslices", "discovery.k8s.io",
        NodeField: false, (o, ns) => o.EndpointSlices(ns), Version: o => o.Versions.RelayVersion);

    private static readonly ResourceType CiliumNodes = new(CiliumRenderer.ApiVersion, "CiliumNodeList", "ciliumnodes", "cilium.io",
        NodeField: false, (o, _) => o.CiliumNodes);

    private static readonly ResourceType Nodes = new("v1", "NodeList", ChangingRenderers.NodesResource, null, NodeField: false, (_, _) => []);

    private static readonly ResourceType CiliumNetworkPolicies = Policies(PolicyKind.CiliumNetworkPolicy);

    private static readonly ResourceType CiliumClusterwideNetworkPolicies = Policies(PolicyKind.CiliumClusterwideNetworkPolicy);

    private static readonly ResourceType NetworkPolicies = Policies(PolicyKind.NetworkPolicy);

    /// <summary>
    /// Registers the stand-in's state and a startup filter that adds the WebSocket middleware (exec needs it; adding it
    /// again in the app is harmless).
    /// </summary>
    public static IServiceCollection AddKubernetesStandIn(this IServiceCollection services, SimulatedCluster cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        services.AddSingleton(new ClusterObjects(cluster));
        services.AddTransient<IStartupFilter, StandInStartupFilter>();
        if (cluster.Options.ChangeEvery is { } every && every > TimeSpan.Zero)
        {
            services.AddHostedService(_ => new ClusterChurn(cluster.Changes, every));
        }

        return services;
    }

    public static IEndpointRouteBuilder MapKubernetesStandIn(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        Document(endpoints, "/version", Discovery.Version);
        Document(endpoints, "/api", Discovery.CoreVersions);
        Document(endpoints, "/api/v1", Discovery.CoreV1);
        Document(endpoints, "/apis", Discovery.Groups);
        Document(endpoints, "/apis/apps", Discovery.AppsGroup);
        Document(endpoints, "/apis/apps/v1", Discovery.AppsV1);
        Document(endpoints, "/apis/cilium.io", Discovery.CiliumGroup);
        Document(endpoints, "/apis/discovery.k8s.io", Discovery.DiscoveryGroup);
        Document(endpoints, "/apis/discovery.k8s.io/v1", Discovery.DiscoveryV1);
        Document(endpoints, "/apis/cilium.io/v2", Discovery.CiliumV2);
        Document(endpoints, "/apis/networking.k8s.io", Discovery.NetworkingGroup);
        Document(endpoints, "/apis/networking.k8s.io/v1", Discovery.NetworkingV1);

        Resource(endpoints, "/api/v1", "pods", Pods, namespaced: true);
        endpoints.MapMethods($"/api/v1{Ns}/pods/{{name}}/exec", ["GET", "POST"], PodExec.HandleAsync);
        Resource(endpoints, "/apis/apps/v1", "daemonsets", DaemonSets, namespaced: true);
        Resource(endpoints, "/apis/apps/v1", "deployments", Deployments, namespaced: true);
        Resource(endpoints, "/apis/cilium.io/v2", "ciliumendpoints", CiliumEndpoints, namespaced: true);
        Resource(endpoints, "/apis/discovery.k8s.io/v1", "endpointslices", EndpointSlices, namespaced: true);
        Resource(endpoints, "/apis/cilium.io/v2", "ciliumnodes", CiliumNodes, namespaced: false);
        Journaled(endpoints, "/api/v1", Nodes, namespaced: false);
        Journaled(endpoints, "/apis/cilium.io/v2", CiliumNetworkPolicies, namespaced: true);
        Journaled(endpoints, "/apis/cilium.io/v2", CiliumClusterwideNetworkPolicies, namespaced: false);
        Journaled(endpoints, "/apis/networking.k8s.io/v1", NetworkPolicies, namespaced: true);

        // Any other path or method (the stand-in is read-only: no create, update or delete) is a 404 Status.
        endpoints.MapFallback(context => KubeStatus.UnknownPath().WriteAsync(context));
        return endpoints;
    }

    private static IEnumerable<KubeObject> Workloads(ClusterObjects objects, string kind, string? ns) =>
        ns is null ? objects.Workloads(kind, SimulatedCluster.CiliumNamespace) : objects.Workloads(kind, ns);

    private static void Document(IEndpointRouteBuilder endpoints, string path, byte[] json) =>
        endpoints.MapGet(path, context => ResourceEndpoints.WriteJsonAsync(context, json));

    private static void Resource(IEndpointRouteBuilder endpoints, string prefix, string plural, ResourceType type, bool namespaced)
    {
        endpoints.MapGet($"{prefix}/{plural}", context => ResourceEndpoints.ListAsync(context, type));
        if (namespaced)
        {
            endpoints.MapGet($"{prefix}{Ns}/{plural}", context => ResourceEndpoints.ListAsync(context, type));
            endpoints.MapGet($"{prefix}{Ns}/{plural}/{{name}}", context => ResourceEndpoints.GetAsync(context, type));
        }
        else
        {
            endpoints.MapGet($"{prefix}/{plural}/{{name}}", context => ResourceEndpoints.GetAsync(context, type));
        }
    }

    private static ResourceType Policies(PolicyKind kind)
    {
        var (apiVersion, resource, group) = ChangingRenderers.Type(kind);
        return new(apiVersion, kind + "List", resource, group, NodeField: false, (_, _) => []);
    }

    /// <summary>A kind kept in the journal: list at a version, get, and watch with resume and 410 Expired.</summary>
    private static void Journaled(IEndpointRouteBuilder endpoints, string prefix, ResourceType type, bool namespaced)
    {
        endpoints.MapGet($"{prefix}/{type.Resource}", context => JournalEndpoints.ListAsync(context, type));
        if (namespaced)
        {
            endpoints.MapGet($"{prefix}{Ns}/{type.Resource}", context => JournalEndpoints.ListAsync(context, type));
            endpoints.MapGet($"{prefix}{Ns}/{type.Resource}/{{name}}", context => JournalEndpoints.GetAsync(context, type));
        }
        else
        {
            endpoints.MapGet($"{prefix}/{type.Resource}/{{name}}", context => JournalEndpoints.GetAsync(context, type));
        }
    }

    /// <summary>The cluster's own changes over time, for as long as the stand-in runs.</summary>
    private sealed class ClusterChurn(ClusterChanges changes, TimeSpan every) : Microsoft.Extensions.Hosting.BackgroundService
    {
        protected override Task ExecuteAsync(CancellationToken stoppingToken) => changes.RunAsync(every, stoppingToken);
    }

    private sealed class StandInStartupFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.UseWebSockets();
            next(app);
        };
    }
}
