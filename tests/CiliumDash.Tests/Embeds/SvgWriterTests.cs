using System.Xml.Linq;
using CiliumDash.Embeds;

namespace CiliumDash.Tests.Embeds;

public sealed class SvgWriterTests
{
    private const string Hostile = "<script>alert(1)</script>&\"'\u0001";

    [Fact]
    public void Render_HostileTexts_WellFormedAndInert()
    {
        var view = new PanelView(Hostile, [Hostile, "b"], [new PanelRow([Hostile, Hostile], Hostile)], Hostile);

        var svg = EmbedSvgEndpoints.Render(view, Theme.Dark, 2000);

        var doc = XDocument.Parse(svg);
        Assert.DoesNotContain(doc.Descendants(), e => e.Name.LocalName == "script");
        Assert.Contains(doc.Descendants().Where(e => e.Name.LocalName == "text"), t => t.Value == "<script>alert(1)</script>&\"'⟨U+0001⟩");
        Assert.DoesNotContain("<script", svg, StringComparison.Ordinal);
    }

    [Fact]
    public void Escape_AllMarkupCharacters_Entities() =>
        Assert.Equal("&lt;a&gt;&amp;&quot;&apos;", SvgWriter.Escape("<a>&\"'"));
}
