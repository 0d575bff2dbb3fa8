using Bunit;
using CiliumDash.Components.Controls;
using CiliumDash.Shared;

namespace CiliumDash.Components.Tests;

/// <summary>The rule for text from the cluster, and the component that renders it.</summary>
public sealed class VisibleTextTests
{
    [Fact]
    public void Show_RightToLeftOverride_MarkerInPlaceOfTheCharacter()
    {
        var shown = VisibleText.Show("invoice\u202Etxt.exe");

        Assert.Equal(["invoice", "⟨U+202E⟩", "txt.exe"], shown.Parts.Select(p => p.Text));
        Assert.Equal(0x202E, shown.Parts[1].CodePoint);
        Assert.True(shown.HasMarkers);
        Assert.False(shown.IsCut);
        Assert.Equal("invoice⟨U+202E⟩txt.exe", shown.Full);
    }

    [Theory]
    [InlineData("\u200B", 0x200B)]   // zero width space
    [InlineData("\u200D", 0x200D)]   // zero width joiner
    [InlineData("\u200F", 0x200F)]   // right-to-left mark
    [InlineData("\u2066", 0x2066)]   // left-to-right isolate
    [InlineData("\u061C", 0x061C)]   // Arabic letter mark
    [InlineData("\uFEFF", 0xFEFF)]   // byte order mark
    [InlineData("\u00AD", 0x00AD)]   // soft hyphen
    [InlineData("\u00A0", 0x00A0)]   // no-break space
    [InlineData("\u3000", 0x3000)]   // ideographic space
    [InlineData("\u2028", 0x2028)]   // line separator
    [InlineData("\u0000", 0x0000)]
    [InlineData("\u001B", 0x001B)]   // escape
    [InlineData("\n", 0x000A)]
    [InlineData("\u0085", 0x0085)]   // next line (C1)
    [InlineData("\u3164", 0x3164)]   // Hangul filler
    [InlineData("\uFE0F", 0xFE0F)]   // variation selector
    [InlineData("\U000E0041", 0xE0041)]   // tag letter A (a surrogate pair)
    public void Show_HiddenCharacter_Marked(string hidden, int codePoint)
    {
        var shown = VisibleText.Show("knode" + hidden + "1");

        Assert.Equal(["knode", VisibleText.Marker(codePoint), "1"], shown.Parts.Select(p => p.Text));
        Assert.Equal(codePoint, shown.Parts[1].CodePoint);
    }

    [Fact]
    public void Show_LoneSurrogate_Marked()
    {
        // Built here: test data passed through the runner would be re-encoded (a lone surrogate becomes U+FFFD).
        var shown = VisibleText.Show("knode" + '\uD800' + "1");

        Assert.Equal(["knode", "⟨U+D800⟩", "1"], shown.Parts.Select(p => p.Text));
    }

    [Theory]
    [InlineData("worker-0003")]
    [InlineData("café-été")]
    [InlineData("節點-😀")]
    [InlineData("צומת-1")]
    [InlineData("k8s:app=frontend with spaces")]
    public void Show_VisibleText_Plain(string text)
    {
        var shown = VisibleText.Show(text);

        Assert.True(shown.IsPlain);
        Assert.True(VisibleText.IsPlain(text));
        Assert.Equal(text, Assert.Single(shown.Parts).Text);
    }

    [Fact]
    public void Show_300Characters_CutAt256WithTheWholeValue()
    {
        var name = new string('p', 300);

        var shown = VisibleText.Show(name);

        Assert.True(shown.IsCut);
        Assert.Equal(300, shown.Length);
        Assert.Equal(new string('p', 255) + "…", string.Concat(shown.Parts.Select(p => p.Text)));
        Assert.Equal(name, shown.Full);
        Assert.Equal(256, VisibleText.Show(new string('p', 256)).Parts.Single().Text.Length);
    }

    [Fact]
    public void Show_CutInsideASurrogatePair_PairKeptWhole()
    {
        var name = new string('p', 254) + "😀" + new string('q', 10);

        var shown = VisibleText.Show(name);

        var text = string.Concat(shown.Parts.Select(p => p.Text));
        Assert.Equal(new string('p', 254) + "…", text);
        Assert.False(shown.HasMarkers);
    }

    [Fact]
    public void Show_NoLimit_NeverCut()
    {
        var shown = VisibleText.Show(new string('x', 10_000), max: 0);

        Assert.False(shown.IsCut);
        Assert.Equal(10_000, shown.Parts.Single().Text.Length);
    }

    [Fact]
    public void Mark_MixedText_MarkersInline()
    {
        Assert.Equal("a⟨U+202E⟩b⟨U+200B⟩c", VisibleText.Mark("a\u202Eb\u200Bc"));
        Assert.Null(VisibleText.Mark(null));
        Assert.Equal("plain", VisibleText.Mark("plain"));
    }

    [Fact]
    public void Describe_RightToLeftOverride_Named() =>
        Assert.Equal("U+202E RIGHT-TO-LEFT OVERRIDE", VisibleText.Describe(0x202E));
}

public sealed class SafeTextComponentTests : BunitContext
{
    [Fact]
    public void SafeText_RightToLeftOverride_IsolatedWithAVisibleMarkerAndNoRawCharacter()
    {
        var cut = Render<SafeText>(p => p.Add(s => s.Value, "worker-\u202E1-edon"));

        var bdi = cut.Find("bdi.safe");
        Assert.Equal("worker-⟨U+202E⟩1-edon", bdi.TextContent);
        var marker = bdi.QuerySelector("[data-testid=ctl-mark]")!;
        Assert.Equal("⟨U+202E⟩", marker.TextContent);
        Assert.Equal("U+202E RIGHT-TO-LEFT OVERRIDE", marker.GetAttribute("title"));
        Assert.DoesNotContain('\u202E', cut.Markup);
    }

    [Fact]
    public void SafeText_300Characters_CutMarkedWithTheWholeValueAsTooltip()
    {
        var name = "frontend-" + new string('x', 291);

        var cut = Render<SafeText>(p => p.Add(s => s.Value, name));

        var bdi = cut.Find("bdi.safe.cut");
        Assert.Equal(name, bdi.GetAttribute("title"));
        Assert.Equal("300", bdi.GetAttribute("data-length"));
        Assert.Equal(name[..255] + "…", bdi.TextContent);
        Assert.Equal("cut, 300 characters in all", cut.Find("[data-testid=cut-mark]").GetAttribute("aria-label"));
    }

    [Fact]
    public void SafeText_Markup_StaysText()
    {
        var cut = Render<SafeText>(p => p.Add(s => s.Value, "<img src=x onerror=alert(1)>"));

        Assert.Empty(cut.FindAll("img"));
        Assert.Equal("<img src=x onerror=alert(1)>", string.Concat(cut.Nodes.Select(n => n.TextContent)));
    }

    [Fact]
    public void SafeText_ShortAsciiName_BareText()
    {
        var cut = Render<SafeText>(p => p.Add(s => s.Value, "fedora"));

        cut.MarkupMatches("fedora");
    }

    [Fact]
    public void SafeText_RightToLeftScriptName_IsolatedWithoutMarkers()
    {
        var cut = Render<SafeText>(p => p.Add(s => s.Value, "צומת-1"));

        cut.MarkupMatches("<bdi class=\"safe\">צומת-1</bdi>");
    }

    [Fact]
    public void SafeText_LongName_MayBreakAnywhere()
    {
        var name = new string('n', SafeText.Breakable + 1);

        var cut = Render<SafeText>(p => p.Add(s => s.Value, name));

        cut.MarkupMatches($"<bdi class=\"safe long\">{name}</bdi>");
    }
}
