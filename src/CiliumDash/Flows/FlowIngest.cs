using CiliumDash.Protocols.Hubble.ObserverApi;

namespace CiliumDash.Flows;

/// <summary>
/// What the reader of a GetFlows stream does with each response: drops flows an earlier connection already delivered,
/// encodes new ones into the store at once (so the decoded message dies young) and commits them in batches of at most
/// <see cref="MaxBatch"/>, and records lost and node status events. <see cref="RelayFlowSource"/> and the relay-ingest
/// benchmark both read through it. Not thread-safe: one stream reader uses it, across reconnects.
/// </summary>
public sealed class FlowIngest(FlowStore store, int remember)
{
    /// <summary>Bounds a batch so a fast stream still shows up in the window in small steps.</summary>
    public const int MaxBatch = 256;

    private readonly FlowDeduplicator _dedup = new(remember);
    private int _staged;

    public void Accept(GetFlowsResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        switch (response.ResponseTypesCase)
        {
            case GetFlowsResponse.ResponseTypesOneofCase.Flow:
                if (!_dedup.IsNew(response.Flow, response.NodeName))
                {
                    store.CountDuplicate();
                    break;
                }

                store.Stage(response);
                if (++_staged >= MaxBatch)
                {
                    Flush();
                }

                break;
            case GetFlowsResponse.ResponseTypesOneofCase.LostEvents:
                Flush();
                store.AddLost(FlowMapper.MapLost(response.LostEvents, response));
                break;
            case GetFlowsResponse.ResponseTypesOneofCase.NodeStatus:
                Flush();
                store.AddNodeStatus(FlowMapper.MapNodeStatus(response.NodeStatus, response));
                break;
            default:
                break;   // a response kind newer than our protos: skip it, as Hubble clients do
        }
    }

    /// <summary>Commits what has arrived; the reader calls it whenever the stream would wait, so nothing lingers unseen.</summary>
    public void Flush()
    {
        store.Commit();
        _staged = 0;
    }
}
