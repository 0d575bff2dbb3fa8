using CiliumDash.Flows.Query;
using CiliumDash.Protocols.Hubble;

namespace CiliumDash.Tests.Flows;

public sealed class FlowQueryTests
{
    [Fact]
    public void TryParse_RepeatedAndNegated_TermsInOrder()
    {
        var q = FlowQuery.Parse("?namespace=shop&namespace=default&not-verdict=FORWARDED&to-port=8080&limit=50&format=csv");

        Assert.Equal(
            [new FlowQueryTerm("namespace", "shop", false), new FlowQueryTerm("namespace", "default", false),
             new FlowQueryTerm("verdict", "FORWARDED", true), new FlowQueryTerm("to-port", "8080", false)],
            q.Terms);
        Assert.Equal((50, "csv"), (q.Limit, q.Format));
    }

    [Theory]
    [InlineData("bogus=1", "unknown filter \"bogus\"")]
    [InlineData("to-port=http", "to-port")]
    [InlineData("verdict=MAYBE", "verdict=\"MAYBE\"")]
    [InlineData("ip=10.0.0.300", "ip")]
    [InlineData("from-ip=10.0.0.0/33", "from-ip")]
    [InlineData("http-path=(a", "http-path")]
    [InlineData("label=app%3D%3D%3D", "label")]
    [InlineData("limit=0", "limit")]
    [InlineData("format=xml", "format")]
    [InlineData("pod=", "pod: empty value")]
    [InlineData("type=nonsense", "type")]
    [InlineData("tcp-flags=SYN,XMAS", "tcp-flags")]
    [InlineData("identity=-1", "identity")]
    [InlineData("http-status=99x", "http-status")]
    [InlineData("namespace=a/b", "namespace")]
    public void TryParse_BadPart_ErrorNamesIt(string queryString, string expected)
    {
        var result = FlowQuery.TryParse(queryString);

        Assert.Null(result.Query);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_TooManyTerms_Refused()
    {
        var result = FlowQuery.TryParse(string.Join('&', Enumerable.Range(0, FlowQuery.MaxTerms + 1).Select(i => $"port={i}")));

        Assert.Contains("more than", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void ToQueryString_ParseRoundTrip_Same()
    {
        var text = "from-pod=shop%2Fcart&not-label=k8s%3Aapp%3Dx&http-path=%2Fapi%2F.%2A&limit=10&format=jsonl";

        var q = FlowQuery.Parse(text);

        Assert.Equal(text, q.ToQueryString());
        Assert.Equal(q.Terms, FlowQuery.Parse(q.ToQueryString()).Terms);
    }

    [Fact]
    public void ToHubbleCommand_FlagsNotAndQuoting_LikeTheCli()
    {
        var q = FlowQuery.Parse("namespace=shop&not-to-port=53&http-path=%2Fa+b&label=k8s%3Aapp%3Dcart&limit=100&format=jsonl");

        Assert.Equal("hubble observe --namespace shop --not --to-port 53 --http-path '/a b' --label k8s:app=cart --last 100 -o json", q.ToHubbleCommand());
    }

    [Fact]
    public void ToHubbleCommand_ValueWithQuoteAndScript_SafelyQuoted()
    {
        var q = FlowQuery.Parse("pod=" + Uri.EscapeDataString("x';rm -rf /;'<script>"));

        Assert.Equal("hubble observe --pod 'x'\\'';rm -rf /;'\\''<script>'", q.ToHubbleCommand());
    }

    [Fact]
    public void ToFlowFilters_EitherDirection_LeftSourceRightDestination()
    {
        var (white, black) = FlowQuery.Parse("pod=shop/cart&to-port=80&verdict=DROPPED").ToFlowFilters();

        Assert.Empty(black);
        Assert.Equal(2, white.Count);
        Assert.Equal(["shop/cart"], white[0].SourcePod);
        Assert.Equal(["80"], white[0].DestinationPort);
        Assert.Equal(["shop/cart"], white[1].DestinationPod);
        Assert.Equal(["80"], white[1].DestinationPort);
        Assert.All(white, f => Assert.Equal([Verdict.Dropped], f.Verdict));
    }

    [Fact]
    public void ToFlowFilters_DirectionlessOnly_OneFilter()
    {
        var (white, _) = FlowQuery.Parse("verdict=DROPPED&verdict=AUDIT&node-name=fedora").ToFlowFilters();

        var only = Assert.Single(white);
        Assert.Equal([Verdict.Dropped, Verdict.Audit], only.Verdict);
    }

    [Fact]
    public void ToFlowFilters_Negated_GoToBlacklist()
    {
        var (white, black) = FlowQuery.Parse("not-namespace=kube-system&type=trace%3Ato-endpoint").ToFlowFilters();

        Assert.Equal(new EventTypeFilter { Type = 4, MatchSubType = true, SubType = 0 }, Assert.Single(white).EventType.Single());
        Assert.Equal(2, black.Count);
        Assert.Equal(["kube-system/"], black[0].SourcePod);
        Assert.Equal(["kube-system/"], black[1].DestinationPod);
    }
}
