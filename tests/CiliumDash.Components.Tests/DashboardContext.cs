using Bunit;
using Bunit.TestDoubles;
using CiliumDash.Cluster;
using CiliumDash.Configuration;
using CiliumDash.Connectivity;
using CiliumDash.Findings;
using CiliumDash.Flows;
using CiliumDash.Hosting;
using CiliumDash.Tests.Builders;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MudBlazor.Services;
using CiliumDash.Shared;
using CiliumDash.Agents;

namespace CiliumDash.Components.Tests;

/// <summary>A bUnit context with the app's stores registered, filled by each test before it renders a page.</summary>
public abstract class DashboardContext : BunitContext, IAsyncLifetime
{
    protected DashboardContext()
    {
        Cluster = new ClusterStore(Time, "simulated cluster (2 nodes, Cilium 1.12.0)");
        Flows = new FlowStore(Time, 1000);
        Matrix = new ConnectivityStore(Time, new ConnectivityOptions());
        Findings = new FindingsEngine(Cluster, Matrix, Flows);
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddSingleton<TimeProvider>(Time);
        Services.AddSingleton(Cluster);
        Services.AddSingleton(Flows);
        Services.AddSingleton(Matrix);
        Services.AddSingleton(Findings);
        Events = new CiliumDash.Events.ClusterEventStore(Time, 100);
        Services.AddSingleton(Events);
        Services.AddSingleton(Connection);
        Services.AddSingleton<CiliumDash.Replay.ViewClock>();
        Services.AddSingleton(Microsoft.Extensions.Options.Options.Create(Options));
        Services.AddSingleton<AccessScopes>();
        Services.AddSingleton<ClusterReadModel>();
        // No Alertmanager configured: the finding lists render no alert badge. Created by the container, which
        // disposes it with the context.
        Services.AddSingleton(_ => new CiliumDash.Alerts.AlertStore(Time, null, null));
        Services.AddSingleton<CiliumDash.Alerts.AlertReadModel>();
        // The layout shows who is signed in; bUnit's fake authorization stands in for the app's policies.
        Auth = AddAuthorization();
        Auth.SetAuthorized("alice");
    }

    /// <summary>Fixed at the builders' "now", so relative times and "failing since" are deterministic.</summary>
    protected FakeTimeProvider Time { get; } = new(ClusterData.Now);

    protected ClusterStore Cluster { get; }

    protected FlowStore Flows { get; }

    protected ConnectivityStore Matrix { get; }

    /// <summary>The diagnosis the pages render; derived again by <see cref="AddNodes"/> and <see cref="Connected"/>.</summary>
    protected FindingsEngine Findings { get; }

    protected ClusterConnection Connection { get; } = new();

    /// <summary>The cluster events and the health of their watch (the diagnostics page shows it).</summary>
    protected CiliumDash.Events.ClusterEventStore Events { get; }

    /// <summary>Who the pages think is signed in (claims such as groups for team scoping).</summary>
    protected BunitAuthorizationContext Auth { get; }

    /// <summary>The app's options as the components see them; change before rendering.</summary>
    protected CiliumDash.Configuration.CiliumDashOptions Options { get; } = new();

    protected void AddNodes(params NodeSnapshot[] nodes)
    {
        foreach (var node in nodes)
        {
            Cluster.UpdateNode(node.Name, _ => node);
        }

        Findings.Derive();
    }

    protected void Connected()
    {
        Cluster.SetAgentSource(new SourceHealth("agents", "test", SourceState.Connected, null, ClusterData.Now, null));
        Flows.SetRelay(new SourceHealth("hubble-relay", "http://127.0.0.1:4245", SourceState.Connected, null, ClusterData.Now, null));
        Findings.Derive();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    // MudBlazor's popover service is only async-disposable, so the container must be disposed asynchronously;
    // xunit then calls Dispose, which finds everything already disposed.
    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Findings.Dispose();
            Cluster.Dispose();
            Flows.Dispose();
            Matrix.Dispose();
        }

        base.Dispose(disposing);
    }
}
