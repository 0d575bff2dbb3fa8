using CiliumDash.Configuration;
using CiliumDash.Embeds;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CiliumDash.Tests.Embeds;

public sealed class EmbedLinksTests
{
    public const string Key = "a-test-signing-key-of-at-least-32-chars";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero));

    internal static EmbedLinks Links(TimeProvider time, string? key = Key) =>
        new(Options.Create(new CiliumDashOptions { Embeds = new EmbedOptions { SigningKey = key } }), time, NullLogger<EmbedLinks>.Instance);

    private static (string Panel, Dictionary<string, Microsoft.Extensions.Primitives.StringValues> Query) Parse(string url)
    {
        var uri = new Uri("http://dash/" + url);
        var panel = uri.AbsolutePath["/embed/".Length..].Replace(".svg", "", StringComparison.Ordinal);
        return (panel, QueryHelpers.ParseQuery(uri.Query));
    }

    [Fact]
    public void Check_FreshLink_Valid()
    {
        var links = Links(_time);
        var link = links.Create("flows", "verdict=DROPPED&namespace=default", TimeSpan.FromHours(1));

        var (panel, query) = Parse(link.Url);

        Assert.Equal(EmbedLinkStatus.Valid, links.Check(panel, query).Status);
        Assert.Equal(EmbedLinkStatus.Valid, links.Check(Parse(link.SvgUrl).Panel, Parse(link.SvgUrl).Query).Status);
    }

    [Fact]
    public void Check_AfterExpiry_ExpiredWithTime()
    {
        var links = Links(_time);
        var (panel, query) = Parse(links.Create("cluster", null, TimeSpan.FromMinutes(30)).Url);

        _time.Advance(TimeSpan.FromMinutes(31));
        var check = links.Check(panel, query);

        Assert.Equal(EmbedLinkStatus.Expired, check.Status);
        Assert.Contains("expired at 2025-03-01 12:30:00 UTC", check.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("namespace", "kube-system")]
    [InlineData("verdict", "FORWARDED")]
    [InlineData("exp", "99999999999")]
    public void Check_AlteredParameter_Invalid(string key, string value)
    {
        var links = Links(_time);
        var (panel, query) = Parse(links.Create("flows", "verdict=DROPPED&namespace=default", TimeSpan.FromHours(1)).Url);

        query[key] = value;

        Assert.Equal(EmbedLinkStatus.Invalid, links.Check(panel, query).Status);
    }

    [Fact]
    public void Check_AddedFilter_Invalid()
    {
        var links = Links(_time);
        var (panel, query) = Parse(links.Create("flows", "namespace=default", TimeSpan.FromHours(1)).Url);

        query["pod"] = "x";

        Assert.Contains("invalid signature", links.Check(panel, query).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_OtherPanel_Invalid()
    {
        var links = Links(_time);
        var (_, query) = Parse(links.Create("cluster", null, TimeSpan.FromHours(1)).Url);

        Assert.Equal(EmbedLinkStatus.Invalid, links.Check("bpf-maps", query).Status);
    }

    [Fact]
    public void Check_ThemeAndSizeChanged_StillValid()
    {
        var links = Links(_time);
        var (panel, query) = Parse(links.Create("node", "name=knode1", TimeSpan.FromHours(1)).Url);

        query["theme"] = "dark";
        query["width"] = "300";

        Assert.Equal(EmbedLinkStatus.Valid, links.Check(panel, query).Status);
    }

    [Fact]
    public void Check_OtherKey_Invalid()
    {
        var (panel, query) = Parse(Links(_time).Create("cluster", null, TimeSpan.FromHours(1)).Url);

        Assert.Equal(EmbedLinkStatus.Invalid, Links(_time, key: null).Check(panel, query).Status);
    }

    [Theory]
    [InlineData("sig=&exp=1")]
    [InlineData("sig=%%%%&exp=1900000000")]
    [InlineData("sig=abc&exp=-5")]
    [InlineData("sig=abc")]
    [InlineData("exp=1900000000")]
    public void Check_Garbage_InvalidNotThrowing(string raw)
    {
        Assert.Equal(EmbedLinkStatus.Invalid, Links(_time).Check("cluster", QueryHelpers.ParseQuery(raw)).Status);
    }

    [Fact]
    public void Check_NoSignature_NotSigned() =>
        Assert.Equal(EmbedLinkStatus.NotSigned, Links(_time).Check("cluster", QueryHelpers.ParseQuery("theme=dark")).Status);

    [Theory]
    [InlineData("30m", 30)]
    [InlineData("12h", 720)]
    [InlineData("7d", 10080)]
    [InlineData("1.00:00:00", 1440)]
    public void ParseLifetime_Forms_Minutes(string text, double minutes) =>
        Assert.Equal(TimeSpan.FromMinutes(minutes), Links(_time).ParseLifetime(text));

    [Theory]
    [InlineData("")]
    [InlineData("0m")]
    [InlineData("31d")]
    [InlineData("400d")]
    [InlineData("soon")]
    public void ParseLifetime_Bad_Null(string text) => Assert.Null(Links(_time).ParseLifetime(text));

    [Fact]
    public void ParseLifetime_ConfiguredMaximum_Caps()
    {
        var links = new EmbedLinks(Options.Create(new CiliumDashOptions { Embeds = new EmbedOptions { SigningKey = Key, MaxLinkLifetime = TimeSpan.FromDays(2) } }), _time, NullLogger<EmbedLinks>.Instance);

        Assert.Equal(TimeSpan.FromDays(2), links.ParseLifetime("2d"));
        Assert.Null(links.ParseLifetime("3d"));
        Assert.Throws<ArgumentOutOfRangeException>(() => links.Create("cluster", null, TimeSpan.FromDays(3)));
    }
}
