namespace CiliumDash.Simulator.Cluster;

/// <summary>Which generation of Cilium's JSON the simulated agents speak.</summary>
public enum WireShape
{
    /// <summary>Cilium 1.12, as in the original notes: KPR "Strict", the old <c>host-routing</c> object, <c>hubble.metrics</c>.</summary>
    Cilium112,

    /// <summary>A current agent (1.18): KPR "True", <c>routing</c>, top-level <c>hubble-metrics</c>, cilium-health <c>lastProbed</c>.</summary>
    Current,
}

/// <summary>Everything that shapes a simulated cluster. Deterministic for a given <see cref="Seed"/>.</summary>
public sealed record SimulatorOptions
{
    public int Nodes { get; init; } = 2;

    public double FlowsPerSecond { get; init; } = 20;

    public int Seed { get; init; } = 1;

    public WireShape Shape { get; init; } = WireShape.Cilium112;

    /// <summary>A recorded cluster folder (nodes/&lt;node&gt;/status.json, health.json, flows.jsonl); null = generated.</summary>
    public string? Scenario { get; init; }

    /// <summary>Hubble ring buffer size per node, as <c>hubble.eventBufferCapacity</c> (4095 in the notes).</summary>
    public int MaxFlowsPerNode { get; init; } = 4095;

    public SimulatorFaults Faults { get; init; } = new();

    /// <summary>How often the cluster changes by itself (a policy applied or deleted, an agent restart); null = never.</summary>
    public TimeSpan? ChangeEvery { get; init; }

    public const int MaxNodes = 2000;
    public const double MaxFlowsPerSecond = 100_000;
}

/// <summary>
/// Faults that can be switched on at start and toggled at run time (tests flip them while the dashboard watches).
/// Node sets hold node names. Thread-safe: readers see either the old or the new set.
/// </summary>
public sealed class SimulatorFaults
{
    private volatile IReadOnlySet<string> _hangingExecNodes = new HashSet<string>();
    private volatile IReadOnlySet<string> _failingExecNodes = new HashSet<string>();
    private volatile IReadOnlySet<string> _crashLoopingNodes = new HashSet<string>();
    private volatile IReadOnlySet<string> _failingControllerNodes = new HashSet<string>();
    private volatile IReadOnlySet<string> _endpointUnreachableNodes = new HashSet<string>();
    private volatile IReadOnlySet<string> _malformedStatusNodes = new HashSet<string>();
    private volatile IReadOnlySet<string> _slowLinkNodes = new HashSet<string>();
    private volatile IReadOnlySet<string> _mapPressureNodes = new HashSet<string>();
    private int _relayCutEverySeconds;
    private volatile bool _relayDown;

    /// <summary>
    /// These nodes are down: exec into their agents never answers (the dashboard's per-node timeout must fire) and
    /// other nodes' health probes to them time out.
    /// </summary>
    public IReadOnlySet<string> HangingExecNodes { get => _hangingExecNodes; set => _hangingExecNodes = Copy(value); }

    /// <summary>Exec into these nodes' agents exits non-zero with an error on stderr.</summary>
    public IReadOnlySet<string> FailingExecNodes { get => _failingExecNodes; set => _failingExecNodes = Copy(value); }

    /// <summary>These nodes' cilium-agent containers are in CrashLoopBackOff (pod status says so; exec is refused).</summary>
    public IReadOnlySet<string> CrashLoopingNodes { get => _crashLoopingNodes; set => _crashLoopingNodes = Copy(value); }

    /// <summary>These nodes report failing controllers (consecutive failures, last failure message).</summary>
    public IReadOnlySet<string> FailingControllerNodes { get => _failingControllerNodes; set => _failingControllerNodes = Copy(value); }

    /// <summary>Health endpoints on these nodes time out while their hosts answer (BPF host routing on EC2 in the notes).</summary>
    public IReadOnlySet<string> EndpointUnreachableNodes { get => _endpointUnreachableNodes; set => _endpointUnreachableNodes = Copy(value); }

    /// <summary>These nodes' agents print a truncated status document.</summary>
    public IReadOnlySet<string> MalformedStatusNodes { get => _malformedStatusNodes; set => _malformedStatusNodes = Copy(value); }

    /// <summary>Probes to these nodes take tens of milliseconds instead of hundreds of microseconds.</summary>
    public IReadOnlySet<string> SlowLinkNodes { get => _slowLinkNodes; set => _slowLinkNodes = Copy(value); }

    /// <summary>On these nodes <c>cilium_ct4_global</c> and <c>cilium_snat_v4_external</c> are over 80 % full (map pressure metric).</summary>
    public IReadOnlySet<string> MapPressureNodes { get => _mapPressureNodes; set => _mapPressureNodes = Copy(value); }

    /// <summary>The relay stand-in ends every GetFlows stream after this many seconds; 0 = never.</summary>
    public int RelayCutEverySeconds { get => Volatile.Read(ref _relayCutEverySeconds); set => Volatile.Write(ref _relayCutEverySeconds, value); }

    /// <summary>
    /// hubble-relay is restarting: GetFlows is refused (open streams end) and the relay Service's EndpointSlice says its
    /// endpoint is not ready; set back to false, the endpoint is Ready again (a watch sees it MODIFIED).
    /// </summary>
    public bool RelayDown { get => _relayDown; set => _relayDown = value; }

    private static HashSet<string> Copy(IEnumerable<string> value) => new(value, StringComparer.Ordinal);
}
