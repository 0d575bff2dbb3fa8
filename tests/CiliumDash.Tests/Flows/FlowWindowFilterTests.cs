using CiliumDash.Flows;
using CiliumDash.Flows.Query;
using Microsoft.Extensions.Time.Testing;
using static CiliumDash.Tests.Builders.FlowData;

namespace CiliumDash.Tests.Flows;

/// <summary>Each filter kind over the compact window, with negation and combinations (the relay's semantics).</summary>
public sealed class FlowWindowFilterTests : IDisposable
{
    private readonly FlowStore _store = new(new FakeTimeProvider(), windowSize: 100);

    public FlowWindowFilterTests()
    {
        _store.Add(Flow(1));
        _store.Add(Flow(2, verdict: "DROPPED", dropReason: "POLICY_DENIED", sourceNamespace: "shop", sourcePod: "cart-1", destinationNamespace: "db", destinationPod: "postgres-0", destinationPort: 5432));
        _store.Add(Flow(3, node: "knode1", l7: Http(code: 503), sourceLabels: ["k8s:app=frontend", "k8s:tier=web"]));
        _store.Add(Flow(4, udp: true, destinationPort: 53, l7: Dns(), destinationNames: ["kube-dns.kube-system.svc.cluster.local"], destinationIp: "10.96.0.10"));
        _store.Add(Flow(5, eventType: 5, sourceNamespace: "", sourcePod: "", sourceIp: "192.168.31.100"));
    }

    private int[] Match(string query) =>
        _store.Query(FlowQuery.Parse(query), 0, 100).Rows.Select(r => int.Parse(r.Uuid[^12..], System.Globalization.CultureInfo.InvariantCulture)).Order().ToArray();

    [Theory]
    [InlineData("", new[] { 1, 2, 3, 4, 5 })]
    [InlineData("namespace=shop", new[] { 1, 2, 3, 4, 5 })]
    [InlineData("from-namespace=shop", new[] { 2 })]
    [InlineData("to-namespace=db&to-namespace=default", new[] { 2 })]
    [InlineData("not-namespace=db", new[] { 1, 3, 4, 5 })]
    [InlineData("from-pod=default/frontend", new[] { 1, 3, 4 })]
    [InlineData("pod=db/postgres", new[] { 2 })]
    [InlineData("pod=postgres", new int[0])]
    [InlineData("from-label=k8s%3Atier%3Dweb", new[] { 3 })]
    [InlineData("from-workload=frontend", new[] { 1, 3, 4 })]
    [InlineData("to-identity=10008", new[] { 1, 2, 3, 4, 5 })]
    [InlineData("from-ip=192.168.31.0%2F24", new[] { 5 })]
    [InlineData("ip=10.96.0.10", new[] { 4 })]
    [InlineData("to-port=5432", new[] { 2 })]
    [InlineData("port=53", new[] { 4 })]
    [InlineData("protocol=udp", new[] { 4 })]
    [InlineData("protocol=http", new[] { 3 })]
    [InlineData("verdict=DROPPED", new[] { 2 })]
    [InlineData("not-verdict=FORWARDED", new[] { 2 })]
    [InlineData("drop-reason-desc=POLICY_DENIED", new[] { 2 })]
    [InlineData("traffic-direction=egress", new[] { 1, 2, 3, 4, 5 })]
    [InlineData("type=policy-verdict", new[] { 5 })]
    [InlineData("node-name=knode*", new[] { 3 })]
    [InlineData("http-status=5%2B", new[] { 3 })]
    [InlineData("http-method=get", new[] { 3 })]
    [InlineData("http-path=%5E%2Fapi%2F", new[] { 3 })]
    [InlineData("to-fqdn=*.kube-system.svc.cluster.local", new[] { 4 })]
    [InlineData("dns-query=cart", new[] { 4 })]
    [InlineData("tcp-flags=SYN", new[] { 1, 2, 3, 5 })]
    [InlineData("uuid=00000000-0000-4000-8000-000000000002", new[] { 2 })]
    [InlineData("to-service=shop%2Fcart", new[] { 1, 2, 3, 4, 5 })]
    [InlineData("verdict=DROPPED&verdict=FORWARDED&to-port=8080", new[] { 1, 3, 5 })]
    // As with hubble observe, all --not flags form one blacklist filter: only flows that are UDP *and* on knode1 go.
    [InlineData("from-namespace=default&not-protocol=udp&not-node-name=knode1", new[] { 1, 3, 4 })]
    [InlineData("from-namespace=default&not-protocol=udp", new[] { 1, 3 })]
    public void Query_FilterKind_MatchesLikeHubble(string query, int[] expected)
    {
        Assert.Equal(expected, Match(query));
    }

    [Fact]
    public void Query_CatastrophicPattern_LinearTime()
    {
        // (a+)+$ backtracks exponentially in a backtracking engine; NonBacktracking answers at once.
        _store.Add(Flow(6, l7: Http(url: "http://x/" + new string('a', 5000) + "!")));

        Assert.Empty(Match("http-url=%28a%2B%29%2B%24"));
    }

    public void Dispose() => _store.Dispose();
}
