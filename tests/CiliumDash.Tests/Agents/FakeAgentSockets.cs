using CiliumDash.Simulator.Cluster;
using CiliumDash.Simulator.Documents;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CiliumDash.Tests.Agents;

/// <summary>
/// A node's cilium.sock and health.sock stand-ins on real unix sockets, answering with the simulator's documents,
/// as the agent's REST API does (GET /v1/healthz, GET /v1beta/status).
/// </summary>
internal sealed class FakeAgentSockets : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeAgentSockets(WebApplication app, string directory)
    {
        _app = app;
        Directory = directory;
    }

    public string Directory { get; }

    public string AgentSocket => Path.Combine(Directory, "cilium.sock");

    public string HealthSocket => Path.Combine(Directory, "health.sock");

    /// <summary>What the last /v1/healthz request carried in its Brief header.</summary>
    public string? LastBriefHeader { get; private set; }

    /// <summary>Replaces the agent's answer (e.g. a malformed document) when set.</summary>
    public string? StatusOverride { get; set; }

    public static async Task<FakeAgentSockets> StartAsync(SimulatedCluster cluster)
    {
        var dir = Path.Combine(Path.GetTempPath(), "ciliumdash-sock-" + Guid.NewGuid().ToString("N")[..8]);
        System.IO.Directory.CreateDirectory(dir);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.ListenUnixSocket(Path.Combine(dir, "cilium.sock"));
            k.ListenUnixSocket(Path.Combine(dir, "health.sock"));
        });
        var app = builder.Build();
        var fake = new FakeAgentSockets(app, dir);
        var node = cluster.Nodes[0];
        app.MapGet("/v1/healthz", (HttpContext ctx) =>
        {
            fake.LastBriefHeader = ctx.Request.Headers["Brief"].ToString();
            return Results.Text(fake.StatusOverride ?? AgentStatusDocuments.Render(cluster, node, DateTimeOffset.UtcNow), "application/json");
        });
        app.MapGet("/v1beta/status", () => Results.Text(HealthStatusDocuments.Render(cluster, node, DateTimeOffset.UtcNow), "application/json"));
        await app.StartAsync();
        return fake;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
