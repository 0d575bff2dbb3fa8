using System.Globalization;
using System.Xml.Linq;
using CiliumDash.Embeds;

namespace CiliumDash.Tests.Embeds;

/// <summary>The images never cut their key text: every text's estimated width stays inside the image.</summary>
public sealed class SvgFitTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    // The longest name Kubernetes allows (253 characters), wide letters, a bidi override.
    private static readonly string LongNode = "kvm-worker-" + string.Concat(Enumerable.Repeat("MW", 121)) + "\u202E";

    private static XElement Parse(string svg) => XDocument.Parse(svg).Root!;

    private static double Width(XElement root) => double.Parse(root.Attribute("width")!.Value, CultureInfo.InvariantCulture);

    private static void AssertEveryTextInside(XElement root)
    {
        var width = Width(root);
        foreach (var text in root.Descendants(Svg + "text"))
        {
            var x = double.Parse(text.Attribute("x")!.Value, CultureInfo.InvariantCulture);
            var bold = text.Attribute("font-weight") is not null;
            var mono = text.Attribute("font-family")!.Value.Contains("Mono", StringComparison.Ordinal);
            var drawn = SvgWriter.TextWidth(text.Value, bold, mono);
            Assert.True(x + drawn <= width + 0.5, $"'{text.Value}' needs {x + drawn:0} px in a {width:0} px image");
        }
    }

    [Fact]
    public void Render_ControllersWithLongestNodeName_NameWholeAndInside()
    {
        var view = new PanelView("Failing controllers (1)", ["Node", "Controller", "Consecutive", "Last message"],
            [new PanelRow([LongNode, "ipcache-inject-labels", "3", new string('x', 2000)], "Error")], null);

        var root = Parse(EmbedSvgEndpoints.Render(view, Theme.Light, 520));

        AssertEveryTextInside(root);
        Assert.Contains(root.Descendants(Svg + "text"), t => t.Value == CiliumDash.Shared.VisibleText.Mark(LongNode));
        // Only the message is cut, and it says so.
        Assert.Contains(root.Descendants(Svg + "text"), t => t.Value.StartsWith("xxx", StringComparison.Ordinal) && t.Value.EndsWith('…'));
        Assert.Equal("Failing controllers (1)", root.Element(Svg + "title")!.Value);
        Assert.Contains("Node, Controller", root.Element(Svg + "desc")!.Value, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_FlowsAtNarrowWidth_TimesAndVerdictsUncut()
    {
        var view = new PanelView("Flows verdict=DROPPED", ["Time (UTC)", "Source", "Destination", "Verdict"],
            [new PanelRow(["02:14:59", "kube-system/coredns-668d6bf9bc-xk2lp", "default/very-long-deployment-name-7d9f8b6c5d-abcde:8080", "DROPPED POLICY_DENIED"], "DROPPED")], "1 matching flows in the live window");

        var root = Parse(EmbedSvgEndpoints.Render(view, Theme.Dark, 200));

        AssertEveryTextInside(root);
        var texts = root.Descendants(Svg + "text").Select(t => t.Value).ToList();
        Assert.Contains("02:14:59", texts);
        Assert.Contains("DROPPED POLICY_DENIED", texts);
        Assert.Contains("Flows verdict=DROPPED", texts);
        Assert.DoesNotContain(texts, t => t.EndsWith('…'));
    }

    [Fact]
    public void Render_ErrorAndHostileTitle_TitleAndDescPresent()
    {
        var root = Parse(EmbedSvgEndpoints.Message("Flows <b>", "verdict 'FOO' is not one of FORWARDED, DROPPED"));

        AssertEveryTextInside(root);
        Assert.Equal("Flows <b>", root.Element(Svg + "title")!.Value);
        Assert.Equal("verdict 'FOO' is not one of FORWARDED, DROPPED", root.Element(Svg + "desc")!.Value);
    }

    [Fact]
    public void Fit_TooWide_CutsWithEllipsisWithinWidth()
    {
        var cut = SvgWriter.Fit(new string('m', 100), 100);

        Assert.EndsWith("…", cut, StringComparison.Ordinal);
        Assert.True(SvgWriter.TextWidth(cut) <= 100);
        Assert.Equal("short", SvgWriter.Fit("short", 100));
    }
}
