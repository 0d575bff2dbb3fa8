using CiliumDash.Flows;
using CiliumDash.Flows.Query;
using CiliumDash.Protocols.Hubble;
using CiliumDash.Protocols.Hubble.Filters;
using FlowJsonLines = CiliumDash.Simulator.Relay.FlowJsonLines;
using CiliumDash.Tests.Protocols;
using Microsoft.Extensions.Time.Testing;
using static CiliumDash.Tests.Builders.FlowData;

namespace CiliumDash.Tests.Flows;

/// <summary>
/// Every filter flag the query parser accepts, read from its own flag table, over the real captured flows and a few
/// built ones: the window's row predicate matches some rows and not others, and agrees row for row with the relay
/// stand-in's protobuf matcher applied to the flow the window holds (with and without <c>not-</c>).
/// </summary>
public sealed class FlowQueryFlagTests : IDisposable
{
    /// <summary>A value per flag name (from-/to- variants take their base flag's); a flag missing here fails the test.</summary>
    private static readonly Dictionary<string, string> Values = new(StringComparer.Ordinal)
    {
        ["ip"] = "10.0.0.10",
        ["pod"] = "default/frontend",
        ["namespace"] = "shop",
        ["label"] = "k8s:app=frontend",
        ["workload"] = "frontend",
        ["identity"] = "10004",
        ["service"] = "shop/cart",
        ["fqdn"] = "*.kube-system.svc.cluster.local",
        ["port"] = "8080",
        ["uuid"] = "00000000-0000-4000-8000-000000000001",
        ["protocol"] = "tcp",
        ["verdict"] = "DROPPED",
        ["drop-reason-desc"] = "POLICY_DENIED",
        ["traffic-direction"] = "ingress",
        ["type"] = "trace",
        ["node-name"] = "fedora",
        ["http-status"] = "5+",
        ["http-method"] = "GET",
        ["http-path"] = "^/metrics",
        ["http-url"] = "metrics",
        ["dns-query"] = "svc",
        ["tcp-flags"] = "SYN",
        ["ip-version"] = "v6",
        ["reply"] = "true",
    };

    private readonly FlowStore _store = new(new FakeTimeProvider(), windowSize: 1000);

    public FlowQueryFlagTests()
    {
        foreach (var response in FlowFixtures.Lines().Select(l => FlowJsonLines.ParseLine(l.Json, l.Line)!))
        {
            _store.Stage(response);
        }

        foreach (var flow in Built())
        {
            _store.Stage(new CiliumDash.Protocols.Hubble.ObserverApi.GetFlowsResponse { Flow = flow });
        }

        _store.Commit();
    }

    public static TheoryData<string> Flags() => [.. FlowQuery.Flags.Select(f => f.Flag)];

    [Fact]
    public void Flags_EveryOneHasATestValue() =>
        Assert.All(FlowQuery.Flags, f => Assert.True(Values.ContainsKey(BaseName(f.Flag)), $"no test value for --{f.Flag}"));

    [Theory]
    [MemberData(nameof(Flags))]
    public void Flag_MatchesSomeRowsAndNotOthers_AsTheProtobufMatcher(string flag)
    {
        var all = _store.Export(FlowQuery.Empty, _store.Capacity, out var total);
        foreach (var negated in new[] { false, true })
        {
            var query = FlowQuery.Parse($"{(negated ? "not-" : "")}{flag}={Uri.EscapeDataString(Values[BaseName(flag)])}");
            var (white, black) = query.ToFlowFilters();
            var protobuf = FlowFilterMatcher.Compile(white, black);

            var window = _store.Export(query, _store.Capacity, out var matched);

            Assert.InRange(matched, 1, total - 1);
            Assert.Equal(all.Where(protobuf).Select(f => f.ToString()), window.Select(f => f.ToString()));
        }
    }

    [Fact]
    public void TeamScope_OnlyFlowsWithAnEndpointInTheTeamsNamespaces()
    {
        var scoped = FlowQuery.Parse("protocol=tcp").Restrict(new CiliumDash.Shared.AccessScope(new HashSet<string>(StringComparer.Ordinal) { "shop" }));

        var rows = _store.Query(scoped, 0, _store.Capacity).Rows;

        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.True(r.Source.Namespace == "shop" || r.Destination.Namespace == "shop"));
        Assert.Equal(_store.Query(FlowQuery.Parse("protocol=tcp&namespace=shop"), 0, _store.Capacity).Matched, rows.Count);
    }

    [Fact]
    public void Compile_FilterFieldTheRowLacks_Refused()
    {
        var e = Assert.Throws<FlowFilterException>(() => FlowQueryPredicate.Compile([new FlowFilter { Interface = { new NetworkInterface { Name = "eth0" } } }], []));

        Assert.Contains("interface", e.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _store.Dispose();

    private static string BaseName(string flag) =>
        flag.StartsWith("from-", StringComparison.Ordinal) ? flag[5..] : flag.StartsWith("to-", StringComparison.Ordinal) ? flag[3..] : flag;

    /// <summary>What the captures lack: workloads, services and DNS names on both sides, a source port 8080, a SYN.</summary>
    private static IEnumerable<Flow> Built()
    {
        yield return Flow(1);
        yield return Flow(2, verdict: "DROPPED", dropReason: "POLICY_DENIED", node: "knode1");
        var reply = Flow(3, sourceNamespace: "shop", sourcePod: "cart-5c7d9f8b6-abcde", destinationNamespace: "default", destinationPod: "frontend-7d4b9c6f5-x2x9k",
            sourceLabels: ["k8s:app=cart"], sourceIp: "10.0.1.20", destinationIp: "10.0.0.10", destinationNames: ["kube-dns.kube-system.svc.cluster.local"]);
        (reply.Source.Identity, reply.Destination.Identity) = (10008, 10004);
        reply.Destination.Labels.Clear();
        reply.Destination.Labels.Add("k8s:app=frontend");
        reply.L4 = new Layer4 { TCP = new TCP { SourcePort = 8080, DestinationPort = 41234, Flags = new TCPFlags { ACK = true } } };
        reply.SourceService = reply.DestinationService;
        reply.DestinationService = null;
        reply.SourceNames.Add("kube-dns.kube-system.svc.cluster.local");
        reply.IsReply = true;
        reply.TrafficDirection = TrafficDirection.Ingress;
        yield return reply;
    }
}
