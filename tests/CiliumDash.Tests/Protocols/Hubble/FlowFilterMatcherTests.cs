using CiliumDash.Protocols.Hubble;
using CiliumDash.Protocols.Hubble.Filters;

namespace CiliumDash.Tests.Protocols.Hubble;

public sealed class FlowFilterMatcherTests
{
    /// <summary>A TCP flow from shop/cart to shop/catalog unless told otherwise.</summary>
    private static Flow AFlow(
        string srcNs = "shop", string srcPod = "cart-7d9f-abcde", string dstNs = "shop", string dstPod = "catalog-5c4b-xyz12",
        string srcIp = "10.0.0.12", string dstIp = "10.0.1.15", uint srcPort = 40000, uint dstPort = 8080,
        Verdict verdict = Verdict.Forwarded, DropReason drop = DropReason.Unknown, string node = "fedora",
        string[]? srcLabels = null, string[]? dstNames = null, Layer7? l7 = null, bool? isReply = false,
        TCPFlags? flags = null, int eventType = 4)
    {
        var flow = new Flow
        {
            Uuid = "3f1c7a9e-0000-4000-8000-000000000001",
            Verdict = verdict,
            DropReasonDesc = drop,
            IP = new IP { Source = srcIp, Destination = dstIp, IpVersion = IPVersion.Ipv4 },
            L4 = new Layer4 { TCP = new TCP { SourcePort = srcPort, DestinationPort = dstPort, Flags = flags ?? new TCPFlags { SYN = true } } },
            Source = new Endpoint
            {
                Namespace = srcNs, PodName = srcPod, Identity = 10004,
                Labels = { srcLabels ?? ["k8s:app=cart", "k8s:io.kubernetes.pod.namespace=shop"] },
                Workloads = { new Workload { Name = "cart", Kind = "Deployment" } },
            },
            Destination = new Endpoint { Namespace = dstNs, PodName = dstPod, Identity = 10007, Labels = { "k8s:app=catalog" } },
            DestinationService = new Service { Name = "catalog", Namespace = dstNs },
            NodeName = node,
            L7 = l7,
            IsReply = isReply,
            EventType = new CiliumEventType { Type = eventType },
            TrafficDirection = TrafficDirection.Ingress,
        };
        flow.DestinationNames.Add(dstNames ?? []);
        return flow;
    }

    private static bool Matches(FlowFilter filter, Flow flow) => FlowFilterMatcher.Compile(filter)(flow);

    [Theory]
    [InlineData("cart", "default", true)]
    [InlineData("cart", "shop", false)]
    [InlineData("/cart", "", true)]
    [InlineData("/cart", "default", false)]
    public void SourcePod_BareOrSlashName_ReadAsHubbleServerDoes(string value, string podNamespace, bool expected)
    {
        var flow = AFlow();
        flow.Source.Namespace = podNamespace;

        Assert.Equal(expected, Matches(new FlowFilter { SourcePod = { value } }, flow));
    }

    [Theory]
    [InlineData("shop/", true)]
    [InlineData("shop/cart-", true)]
    [InlineData("/cart", false)]
    [InlineData("cart", false)]
    [InlineData("shop/catalog", false)]
    [InlineData("default/", false)]
    public void SourcePod_NamespaceAndPrefixForms(string value, bool expected) =>
        Assert.Equal(expected, Matches(new FlowFilter { SourcePod = { value } }, AFlow()));

    [Theory]
    [InlineData("10.0.0.12", true)]
    [InlineData("10.0.0.0/24", true)]
    [InlineData("10.0.0.7/24", true)]
    [InlineData("10.0.1.0/24", false)]
    [InlineData("0.0.0.0/0", true)]
    [InlineData("10.0.0.13", false)]
    public void SourceIp_ExactAndCidr(string value, bool expected) =>
        Assert.Equal(expected, Matches(new FlowFilter { SourceIp = { value } }, AFlow()));

    [Theory]
    [InlineData("k8s:app=cart", true)]
    [InlineData("app=cart", true)]
    [InlineData("app==cart", true)]
    [InlineData("app!=cart", false)]
    [InlineData("app", true)]
    [InlineData("!app", false)]
    [InlineData("!tier", true)]
    [InlineData("app in (cart, catalog)", true)]
    [InlineData("app notin (cart)", false)]
    [InlineData("k8s:app=cart,io.kubernetes.pod.namespace=shop", true)]
    [InlineData("k8s:app=cart,io.kubernetes.pod.namespace=default", false)]
    [InlineData("reserved:app=cart", false)]
    public void SourceLabel_SelectorForms(string selector, bool expected) =>
        Assert.Equal(expected, Matches(new FlowFilter { SourceLabel = { selector } }, AFlow()));

    [Fact]
    public void SourceLabel_ReservedWorld_MatchesWorldEndpoint() =>
        Assert.True(Matches(new FlowFilter { SourceLabel = { "reserved:world" } }, AFlow(srcLabels: ["reserved:world"])));

    [Theory]
    [InlineData("8080", true)]
    [InlineData("80", false)]
    public void DestinationPort_Exact(string port, bool expected) =>
        Assert.Equal(expected, Matches(new FlowFilter { DestinationPort = { port } }, AFlow()));

    [Theory]
    [InlineData("tcp", true)]
    [InlineData("TCP", true)]
    [InlineData("udp", false)]
    [InlineData("icmp", false)]
    [InlineData("http", false)]
    public void Protocol_L4Names(string protocol, bool expected) =>
        Assert.Equal(expected, Matches(new FlowFilter { Protocol = { protocol } }, AFlow()));

    [Fact]
    public void Protocol_Dns_MatchesDnsL7() =>
        Assert.True(Matches(new FlowFilter { Protocol = { "dns" } }, AFlow(l7: new Layer7 { Dns = new DNS { Query = "cart.shop.svc.cluster.local." } })));

    [Fact]
    public void VerdictAndDropReason_AndedWithinFilter()
    {
        var filter = new FlowFilter { Verdict = { Verdict.Dropped }, DropReasonDesc = { DropReason.PolicyDenied } };

        Assert.True(Matches(filter, AFlow(verdict: Verdict.Dropped, drop: DropReason.PolicyDenied)));
        Assert.False(Matches(filter, AFlow(verdict: Verdict.Dropped, drop: DropReason.StaleOrUnroutableIp)));
        Assert.False(Matches(filter, AFlow()));
    }

    [Fact]
    public void ValuesOfOneField_AreOred() =>
        Assert.True(Matches(new FlowFilter { Verdict = { Verdict.Dropped, Verdict.Forwarded } }, AFlow()));

    [Fact]
    public void WhitelistMinusBlacklist_ExcludesBlacklisted()
    {
        var match = FlowFilterMatcher.Compile(
            [new FlowFilter { SourcePod = { "shop/" } }],
            [new FlowFilter { DestinationPod = { "shop/catalog" } }]);

        Assert.False(match(AFlow()));
        Assert.True(match(AFlow(dstPod: "payments-1")));
        Assert.False(match(AFlow(srcNs: "default")));
    }

    [Fact]
    public void NoFilters_MatchEverything() => Assert.True(FlowFilterMatcher.Compile([], [])(AFlow()));

    [Theory]
    [InlineData(4, false, 0, true)]
    [InlineData(4, true, 3, false)]
    [InlineData(1, false, 0, false)]
    public void EventType_TypeAndOptionalSubType(int type, bool matchSub, int sub, bool expected) =>
        Assert.Equal(expected, Matches(new FlowFilter { EventType = { new EventTypeFilter { Type = type, MatchSubType = matchSub, SubType = sub } } }, AFlow()));

    [Theory]
    [InlineData("fedora", true)]
    [InlineData("fed*", true)]
    [InlineData("knode*", false)]
    [InlineData("kind-kind/*", false)]
    public void NodeName_Glob(string pattern, bool expected) =>
        Assert.Equal(expected, Matches(new FlowFilter { NodeName = { pattern } }, AFlow()));

    [Fact]
    public void NodeName_ClusterPrefixed_MatchesWithAndWithoutCluster()
    {
        var flow = AFlow(node: "kind-kind/kind-worker");

        Assert.True(Matches(new FlowFilter { NodeName = { "kind-kind/*" } }, flow));
        Assert.True(Matches(new FlowFilter { NodeName = { "kind-w*" } }, flow));
    }

    [Theory]
    [InlineData("*.payments.example", true)]
    [InlineData("api.payments.example", true)]
    [InlineData("*.example", false)]
    public void DestinationFqdn_Wildcards(string pattern, bool expected) =>
        Assert.Equal(expected, Matches(new FlowFilter { DestinationFqdn = { pattern } }, AFlow(dstNames: ["api.payments.example"])));

    [Theory]
    [InlineData("503", true)]
    [InlineData("5+", true)]
    [InlineData("50+", true)]
    [InlineData("4+", false)]
    [InlineData("200", false)]
    public void HttpStatusCode_ExactAndPrefix(string code, bool expected) =>
        Assert.Equal(expected, Matches(new FlowFilter { HttpStatusCode = { code } }, AFlow(l7: Http(503))));

    [Fact]
    public void HttpMethodAndPath_RegexOnPath()
    {
        var flow = AFlow(l7: Http(200));

        Assert.True(Matches(new FlowFilter { HttpMethod = { "get" }, HttpPath = { "^/api/.*" } }, flow));
        Assert.False(Matches(new FlowFilter { HttpPath = { "^/metrics$" } }, flow));
        Assert.False(Matches(new FlowFilter { HttpMethod = { "POST" } }, flow));
    }

    [Fact]
    public void DnsQuery_Regex()
    {
        var flow = AFlow(l7: new Layer7 { Dns = new DNS { Query = "catalog.shop.svc.cluster.local." } });

        Assert.True(Matches(new FlowFilter { DnsQuery = { "shop\\.svc" } }, flow));
        Assert.False(Matches(new FlowFilter { DnsQuery = { "^kube-dns" } }, flow));
    }

    [Fact]
    public void PathologicalRegex_OnLongInput_ReturnsAnswer()
    {
        var flow = AFlow(l7: new Layer7 { Dns = new DNS { Query = new string('a', 50_000) + "!" } });

        Assert.False(Matches(new FlowFilter { DnsQuery = { "^(a+)+$" } }, flow));
    }

    [Fact]
    public void Workload_NameAndKind()
    {
        Assert.True(Matches(new FlowFilter { SourceWorkload = { new Workload { Name = "cart" } } }, AFlow()));
        Assert.True(Matches(new FlowFilter { SourceWorkload = { new Workload { Kind = "Deployment" } } }, AFlow()));
        Assert.False(Matches(new FlowFilter { SourceWorkload = { new Workload { Name = "cart", Kind = "StatefulSet" } } }, AFlow()));
    }

    [Fact]
    public void IdentityReplyAndUuid()
    {
        Assert.True(Matches(new FlowFilter { SourceIdentity = { 10004 }, DestinationIdentity = { 10007 } }, AFlow()));
        Assert.False(Matches(new FlowFilter { SourceIdentity = { 2 } }, AFlow()));
        Assert.True(Matches(new FlowFilter { Reply = { false } }, AFlow()));
        Assert.False(Matches(new FlowFilter { Reply = { true } }, AFlow()));
        Assert.False(Matches(new FlowFilter { Reply = { false } }, AFlow(isReply: null)));
        Assert.True(Matches(new FlowFilter { Uuid = { "3f1c7a9e-0000-4000-8000-000000000001" } }, AFlow()));
    }

    [Fact]
    public void TcpFlags_FlowMustHaveAllFlagsOfOneEntry()
    {
        var flow = AFlow(flags: new TCPFlags { SYN = true, ACK = true });

        Assert.True(Matches(new FlowFilter { TcpFlags = { new TCPFlags { SYN = true } } }, flow));
        Assert.True(Matches(new FlowFilter { TcpFlags = { new TCPFlags { FIN = true }, new TCPFlags { SYN = true, ACK = true } } }, flow));
        Assert.False(Matches(new FlowFilter { TcpFlags = { new TCPFlags { SYN = true, FIN = true } } }, flow));
    }

    [Fact]
    public void DirectionIpVersionAndService()
    {
        Assert.True(Matches(new FlowFilter { TrafficDirection = { TrafficDirection.Ingress }, IpVersion = { IPVersion.Ipv4 } }, AFlow()));
        Assert.False(Matches(new FlowFilter { TrafficDirection = { TrafficDirection.Egress } }, AFlow()));
        Assert.True(Matches(new FlowFilter { DestinationService = { "shop/catalog" } }, AFlow()));
        Assert.False(Matches(new FlowFilter { SourceService = { "shop/" } }, AFlow()));
    }

    [Theory]
    [InlineData("bad CIDR", "source_ip")]
    [InlineData("10.0.0.0/33", "source_ip")]
    [InlineData("99999", "destination_port")]
    [InlineData("abc", "http_status_code")]
    [InlineData("(unclosed", "dns_query")]
    [InlineData("app in ()", "source_label")]
    [InlineData("", "source_pod")]
    public void MalformedValue_ThrowsNamingFieldAndValue(string value, string field)
    {
        var filter = field switch
        {
            "source_ip" => new FlowFilter { SourceIp = { value } },
            "destination_port" => new FlowFilter { DestinationPort = { value } },
            "http_status_code" => new FlowFilter { HttpStatusCode = { value } },
            "dns_query" => new FlowFilter { DnsQuery = { value } },
            "source_label" => new FlowFilter { SourceLabel = { value } },
            _ => new FlowFilter { SourcePod = { value } },
        };

        var e = Assert.Throws<FlowFilterException>(() => FlowFilterMatcher.Compile(filter));

        Assert.Contains(field, e.Message, StringComparison.Ordinal);
        Assert.Contains($"\"{value}\"", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnsupportedField_ThrowsNamingIt()
    {
        var e = Assert.Throws<FlowFilterException>(() => FlowFilterMatcher.Compile(new FlowFilter { NodeLabels = { "a=b" } }));

        Assert.Contains("node_labels", e.Message, StringComparison.Ordinal);
    }

    private static Layer7 Http(uint code) => new()
    {
        Type = code == 0 ? L7FlowType.Request : L7FlowType.Response,
        Http = new HTTP { Code = code, Method = "GET", Url = "http://catalog.shop:8080/api/products?page=2", Protocol = "HTTP/1.1" },
    };
}
