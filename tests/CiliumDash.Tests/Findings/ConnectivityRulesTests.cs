using CiliumDash.Protocols.Health;
using CiliumDash.Findings;
using CiliumDash.Tests.Builders;

namespace CiliumDash.Tests.Findings;

/// <summary>Reachability judged per node from its peers' reports: node-level when most peers agree, else per pair.</summary>
public sealed class ConnectivityRulesTests : IDisposable
{
    private static readonly string[] Five = ["n1", "n2", "n3", "n4", "n5"];
    private readonly EngineFixture _f = new();

    public void Dispose() => _f.Dispose();

    private static NodeStatus Peer(string name, Probe? hostIcmp = null, Probe? endpointIcmp = null, Probe? endpointHttp = null, Probe? hostHttp = null)
    {
        var i = Array.IndexOf(Five, name) + 1;
        return HealthJson.Peer(name, hostIp: $"192.168.31.{100 + i}", endpointIp: $"10.0.{i}.10", hostIcmp: hostIcmp, hostHttp: hostHttp, endpointIcmp: endpointIcmp, endpointHttp: endpointHttp);
    }

    /// <summary>Every node reports every other; <paramref name="probe"/> picks a peer entry per (from, to).</summary>
    private void Reports(Func<string, string, NodeStatus>? probe = null)
    {
        foreach (var from in Five)
        {
            _f.Health(from, Five.Select(to => probe?.Invoke(from, to) ?? Peer(to)).ToArray());
        }
    }

    [Fact]
    public void Derive_Ec2TwoNodes_OneEndpointUnreachableFindingOnThatNodeWithHint()
    {
        var timeout = Probe.Fail("Connection timed out");
        _f.Health("fedora",
            HealthJson.Peer("fedora", hostIp: "192.168.31.100", endpointIp: "10.0.0.10"),
            HealthJson.Peer("knode1", endpointIcmp: timeout, endpointHttp: Probe.Fail("Get \"http://10.0.1.55:4240/hello\": context deadline exceeded")));
        _f.Health("knode1",
            HealthJson.Peer("fedora", hostIp: "192.168.31.100", endpointIp: "10.0.0.10"),
            HealthJson.Peer("knode1"));

        var finding = Assert.Single(_f.Derive());

        Assert.Equal(FindingKinds.EndpointUnreachable, finding.Kind);
        Assert.Equal(FindingSeverity.Critical, finding.Severity);
        Assert.Equal(new FindingSubject { Node = "knode1", Path = "endpoint" }, finding.Subject);
        Assert.Equal("1 of 1 peers cannot reach knode1's health endpoint while its host answers", finding.Summary);
        Assert.Equal(new Evidence("cilium-health on fedora", "Endpoint ICMP to knode1: Connection timed out"), finding.Evidence[0]);
        Assert.Contains("4240", finding.Hint, StringComparison.Ordinal);
        Assert.Contains("host routing", finding.Hint, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(new NodeFindings(FindingSeverity.Critical, 1), _f.Engine.Current.ForNode("knode1"));
        Assert.Null(_f.Engine.Current.ForNode("fedora"));
    }

    [Fact]
    public void Derive_OnePeerCannotReachEndpoint_PairFindingNotNodeFinding()
    {
        Reports((from, to) => from == "n1" && to == "n5" ? Peer(to, endpointIcmp: Probe.Fail()) : Peer(to));

        var finding = Assert.Single(_f.Derive());

        Assert.Equal(FindingKinds.ProbeFailing, finding.Kind);
        Assert.Equal(new FindingSubject { Node = "n1", Peer = "n5", Path = "endpoint-icmp" }, finding.Subject);
        Assert.Equal(1, _f.Engine.Current.ForNode("n5")!.Count);
    }

    [Fact]
    public void Derive_NoPeerReachesNode_NodeUnreachableOnly()
    {
        var fail = Probe.Fail();
        Reports((from, to) => to == "n3" && from != "n3" ? Peer(to, hostIcmp: fail, hostHttp: fail, endpointIcmp: fail, endpointHttp: fail) : Peer(to));

        var finding = Assert.Single(_f.Derive());

        Assert.Equal(FindingKinds.NodeUnreachable, finding.Kind);
        Assert.Equal("n3 is unreachable: 4 of 4 peers reach neither its host nor its health endpoint", finding.Summary);
        Assert.Equal(4, finding.Evidence.Count);
    }

    [Fact]
    public void Derive_MostPeersFailHostOnly_HostUnreachable()
    {
        Reports((from, to) => to == "n2" && from is "n1" or "n3" or "n4" ? Peer(to, hostHttp: Probe.Fail("connection refused")) : Peer(to));

        var finding = Assert.Single(_f.Derive());

        Assert.Equal(FindingKinds.HostUnreachable, finding.Kind);
        Assert.Equal("3 of 4 peers cannot reach n2's host while its health endpoint answers", finding.Summary);
    }

    [Fact]
    public void Derive_RttAboveBaseline_RttDegraded()
    {
        for (var i = 0; i < 6; i++)
        {
            _f.Time.Advance(TimeSpan.FromMinutes(1));
            Assert.Null(_f.Connectivity.Ingest("fedora", HealthJson.Pair("fedora", _f.Time.GetUtcNow())).Error);
        }

        Assert.Empty(_f.Derive());
        _f.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Null(_f.Connectivity.Ingest("fedora", HealthJson.Pair("fedora", _f.Time.GetUtcNow(), rttNs: 5_000_000)).Error);

        var finding = Assert.Single(_f.Derive());

        Assert.Equal(FindingKinds.RttDegraded, finding.Kind);
        Assert.Equal("knode1", finding.Subject.Node);
        Assert.StartsWith("Host ICMP: 5 ms against a baseline of 0.15 ms", finding.Evidence[0].Value, StringComparison.Ordinal);
    }
}
