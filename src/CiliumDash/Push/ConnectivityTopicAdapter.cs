using CiliumDash.Connectivity;
using CiliumDash.Contract;
using CiliumDash.Shared;

namespace CiliumDash.Push;

/// <summary>
/// The <c>connectivity</c> topic's payload: the body of <c>/api/v1/connectivity</c>, from the same store query, with
/// the pairs left out (null) for clusters too large to push them (a 1,000-node matrix is a million pairs: scripts
/// that need all of it read the REST API).
/// </summary>
public sealed class ConnectivityTopicAdapter(ConnectivityStore store)
{
    /// <summary>Above this many nodes the pushes carry no pairs.</summary>
    public const int MaxNodesWithPairs = 64;

    private static readonly ConnectivitySnapshotOptions Options = ConnectivitySnapshotOptions.Default with { MaxNodesWithPairs = MaxNodesWithPairs };

    public IEnumerable<ChangeSignal> Signals => [store.Changed];

    public ConnectivityDto Payload() => store.Snapshot(Options);
}
