using CiliumDash.Flows;
using CiliumDash.Protocols.Hubble;
using static CiliumDash.Tests.Builders.FlowData;

namespace CiliumDash.Tests.Flows;

public sealed class FlowRedactorTests
{
    [Theory]
    [InlineData("http://cart.shop/api/items", "http://cart.shop/api/items")]
    [InlineData("http://alice:s3cret@cart.shop/api", "http://REDACTED@cart.shop/api")]
    [InlineData("https://x-access-token:ghp_abc@github.com", "https://REDACTED@github.com")]
    [InlineData("http://cart.shop/api?token=abc&page=2", "http://cart.shop/api?token=REDACTED&page=REDACTED")]
    [InlineData("http://u:p@h:8080/p?sig=1#frag", "http://REDACTED@h:8080/p?sig=REDACTED#frag")]
    [InlineData("/api/items?SECRETTOKEN&empty=", "/api/items?REDACTED&empty=")]
    [InlineData("http://cart.shop/a@b?", "http://cart.shop/a@b?")]
    [InlineData("http://REDACTED@h/?a=REDACTED", "http://REDACTED@h/?a=REDACTED")]
    public void RedactUrl_UserInfoAndQueryValues_NamesKept(string url, string expected) =>
        Assert.Equal(expected, FlowRedactor.RedactUrl(url));

    [Fact]
    public void RedactUrlsIn_SummaryText_EveryUrl() =>
        Assert.Equal("HTTP/1.1 200 2ms (GET http://REDACTED@cart.shop/api?token=REDACTED)",
            FlowRedactor.RedactUrlsIn("HTTP/1.1 200 2ms (GET http://bob:pw@cart.shop/api?token=t0k)"));

    [Fact]
    public void Redact_HttpFlow_HeaderValuesUrlAndSummary()
    {
        var flow = SecretFlow();

        Assert.True(new FlowRedactor(enabled: true, ["X-Api-Key"]).Redact(flow));

        var http = flow.L7.Http;
        Assert.Equal("http://REDACTED@cart.shop/api/items?token=REDACTED", http.Url);
        Assert.Equal(
            [("Authorization", "REDACTED"), ("cookie", "REDACTED"), ("Set-Cookie", "REDACTED"), ("Proxy-Authorization", "REDACTED"), ("X-Api-Key", "REDACTED"), ("Accept", "*/*")],
            http.Headers.Select(h => (h.Key, h.Value)));
        Assert.DoesNotContain("hunter2", flow.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("t0k3n", flow.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Redact_Off_LeavesTheFlow()
    {
        var flow = SecretFlow();
        var before = flow.Clone();

        Assert.False(FlowRedactor.Off.Redact(flow));
        Assert.Equal(before, flow);
    }

    [Fact]
    public void Redact_DnsAndPlainFlows_Untouched()
    {
        var dns = Flow(1, l7: Dns("shop.example.com."));
        var plain = Flow(2, summary: "TCP Flags: SYN");
        var (d, p) = (dns.Clone(), plain.Clone());

        Assert.False(FlowRedactor.Default.Redact(dns));
        Assert.False(FlowRedactor.Default.Redact(plain));
        Assert.Equal((d, p), (dns, plain));
    }

    /// <summary>An HTTP flow with every kind of secret the redactor knows, all spelled "hunter2" or "t0k3n".</summary>
    public static Flow SecretFlow(int sequence = 1)
    {
        var l7 = Http(url: "http://alice:hunter2@cart.shop/api/items?token=t0k3n");
        l7.Http.Headers.Add(new HTTPHeader { Key = "Authorization", Value = "Bearer hunter2" });
        l7.Http.Headers.Add(new HTTPHeader { Key = "cookie", Value = "session=hunter2" });
        l7.Http.Headers.Add(new HTTPHeader { Key = "Set-Cookie", Value = "session=hunter2; HttpOnly" });
        l7.Http.Headers.Add(new HTTPHeader { Key = "Proxy-Authorization", Value = "Basic aHVudGVyMg==hunter2" });
        l7.Http.Headers.Add(new HTTPHeader { Key = "X-Api-Key", Value = "hunter2" });
        l7.Http.Headers.Add(new HTTPHeader { Key = "Accept", Value = "*/*" });
        return Flow(sequence, l7: l7, summary: "HTTP/1.1 GET http://alice:hunter2@cart.shop/api/items?token=t0k3n");
    }
}
