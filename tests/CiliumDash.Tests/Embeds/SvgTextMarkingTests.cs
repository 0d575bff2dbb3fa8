using System.Xml.Linq;
using CiliumDash.Embeds;

namespace CiliumDash.Tests.Embeds;

/// <summary>SVG images show hidden and direction-changing characters as the pages do: as visible markers.</summary>
public sealed class SvgTextMarkingTests
{
    [Fact]
    public void Escape_RightToLeftOverride_VisibleMarker() =>
        Assert.Equal("worker-⟨U+202E⟩1-edon", SvgWriter.Escape("worker-\u202E1-edon"));

    [Theory]
    [InlineData("a\u200Bb", "a⟨U+200B⟩b")]
    [InlineData("a\u0000b", "a⟨U+0000⟩b")]
    [InlineData("a\nb", "a⟨U+000A⟩b")]
    [InlineData("a\uFFFEb", "a⟨U+FFFE⟩b")]
    [InlineData("<a\u2066>", "&lt;a⟨U+2066⟩&gt;")]
    public void Escape_HiddenCharacters_MarkedAndEscaped(string text, string escaped) =>
        Assert.Equal(escaped, SvgWriter.Escape(text));

    [Fact]
    public void Render_HostileNodeName_WellFormedWithTheMarker()
    {
        const string Node = "worker-\u202E1-edon\u0007";
        var view = new PanelView(Node, ["node", "state"], [new PanelRow([Node, "Ok"], "Ok")], null);

        var svg = EmbedSvgEndpoints.Render(view, Theme.Light, 2000);

        var texts = XDocument.Parse(svg).Descendants().Where(e => e.Name.LocalName == "text").Select(t => t.Value).ToList();
        Assert.Contains("worker-⟨U+202E⟩1-edon⟨U+0007⟩", texts);
        Assert.DoesNotContain('\u202E', svg);
    }
}
