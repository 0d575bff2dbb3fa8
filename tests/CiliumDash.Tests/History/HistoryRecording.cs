using CiliumDash.Agents;
using CiliumDash.Configuration;
using CiliumDash.Connectivity;
using CiliumDash.Findings;
using CiliumDash.Flows;
using CiliumDash.History;
using CiliumDash.Shared;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CiliumDash.Tests.History;

/// <summary>The real stores, engine, writer and recorder on a fake clock, recording into a real store.</summary>
internal sealed class HistoryRecording : IAsyncDisposable
{
    public HistoryRecording(IHistoryStore store, DateTimeOffset start, HistoryOptions? options = null)
    {
        Time = new FakeTimeProvider(start);
        Options = options ?? new HistoryOptions();
        Cluster = new ClusterStore(Time, "test");
        Connectivity = new ConnectivityStore(Time, new ConnectivityOptions());
        Flows = new FlowStore(Time, 1000);
        Health = new HistoryHealth(Time);
        Engine = new FindingsEngine(Cluster, Connectivity, Flows, history: Health);
        Cluster.SetAgentSource(Cluster.AgentSource with { State = SourceState.Connected });
        Flows.SetRelay(SourceHealth.Initial("relay", "test") with { State = SourceState.Connected });
        Writer = new HistoryWriter(store, Options, Health, Time, NullLogger<HistoryWriter>.Instance);
        Recorder = new HistoryRecorder(Writer, Engine, Cluster, Connectivity, Flows, Options, Time, NullLogger<HistoryRecorder>.Instance);
    }

    public FakeTimeProvider Time { get; }

    public HistoryOptions Options { get; }

    public ClusterStore Cluster { get; }

    public ConnectivityStore Connectivity { get; }

    public FlowStore Flows { get; }

    public HistoryHealth Health { get; }

    public FindingsEngine Engine { get; }

    public HistoryWriter Writer { get; }

    public HistoryRecorder Recorder { get; }

    public DateTimeOffset Now => Time.GetUtcNow();

    /// <summary>One poll: the nodes as given, their controllers into the episode history, a derivation, the records.</summary>
    public void Poll(params NodeSnapshot[] nodes)
    {
        foreach (var node in nodes)
        {
            Cluster.UpdateNode(node.Name, _ => node);
            Cluster.ControllerHistory.Observe(node.Name, node.Status?.Controllers ?? [], Now);
        }

        Engine.Derive();
        Recorder.RecordFindings();
        Recorder.RecordNodes();
    }

    public async ValueTask DisposeAsync()
    {
        await Recorder.DisposeAsync();
        Engine.Dispose();
        Cluster.Dispose();
        Connectivity.Dispose();
        Flows.Dispose();
        Health.Dispose();
    }
}
