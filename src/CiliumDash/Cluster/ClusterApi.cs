using CiliumDash.Flows;
using CiliumDash.Shared;
using CiliumDash.Agents;
using CiliumDash.Findings;

namespace CiliumDash.Cluster;

/// <summary><c>/api/v1/cluster</c> and <c>/api/v1/nodes</c>: contract shapes from design.md (add fields, never rename).</summary>
public static class ClusterApi
{
    public static IEndpointRouteBuilder MapClusterApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1");
        api.MapGet("/cluster", (ClusterStore store, FlowStore flows, ClusterConnection connection, TimeProvider time) => ClusterPayloads.Cluster(store, flows, connection, time));
        api.MapGet("/nodes", (ClusterStore store, FindingsEngine findings) => store.Nodes.Select(n => ClusterPayloads.NodeRow(n, findings.Current)));
        api.MapGet("/nodes/{name}", (string name, ClusterStore store) =>
            store.GetNode(name) is { } node ? Results.Ok(ClusterPayloads.NodeDetail(node)) : Results.Problem($"node '{name}' is not known to the dashboard", statusCode: 404));
        return app;
    }
}
