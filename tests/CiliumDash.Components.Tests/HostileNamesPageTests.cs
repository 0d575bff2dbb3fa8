using Bunit;
using CiliumDash.Components.Controls;
using CiliumDash.Components.Pages;
using static CiliumDash.Tests.Builders.ClusterData;
using static CiliumDash.Tests.Builders.FlowData;

namespace CiliumDash.Components.Tests;

/// <summary>
/// Names a hostile or broken cluster can send: a right-to-left override that makes "worker-1-node" read as another
/// name, zero-width characters, 300-character names, a flow with 10,000 labels.
/// </summary>
public sealed class HostileNamesPageTests : DashboardContext
{
    private const string Rlo = "worker-\u202E1-edon";
    private static readonly string LongName = "node-" + new string('n', 295);
    private static readonly string LongPod = "frontend-" + new string('x', 291);

    [Fact]
    public void Nodes_RightToLeftOverrideAndLongName_MarkedAndCut()
    {
        AddNodes(Node(Rlo), Node(LongName, error: "read failed:\u200B zero width"));

        var page = Render<Nodes>();

        AssertShownWithout(page, '\u202E');
        AssertShownWithout(page, '\u200B');
        var rlo = page.Find($"tr[data-node='{Rlo}']");
        Assert.Equal(["⟨U+202E⟩", "⟨U+202E⟩"], rlo.QuerySelectorAll("[data-testid=ctl-mark]").Select(m => m.TextContent));   // node and agent pod
        Assert.Contains("worker-⟨U+202E⟩1-edon", rlo.TextContent, StringComparison.Ordinal);
        var cut = page.Find($"tr[data-node='{LongName}'] td.name a bdi.cut");
        Assert.Equal(LongName, cut.GetAttribute("title"));
        Assert.Equal(LongName[..255] + "…", cut.TextContent);
        Assert.Contains("read failed:⟨U+200B⟩ zero width", page.Find($"tr[data-node='{LongName}'] td.problems-cell").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Flows_HostilePodNames_MarkedAndCutInTheTable()
    {
        Flows.Add(Flow(1, sourcePod: LongPod));
        Flows.Add(Flow(2, sourcePod: "cart\u202Elmth.exe", node: Rlo));

        var page = Render<CiliumDash.Components.Pages.Flows>();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("tr[data-uuid]").Count));

        AssertShownWithout(page, '\u202E');
        var rows = page.FindAll("tr[data-uuid]");
        Assert.Contains("default/cart⟨U+202E⟩lmth.exe:41234", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Equal(2, rows[0].QuerySelectorAll("[data-testid=ctl-mark]").Length);   // node and source
        var cut = rows[1].QuerySelector("bdi.cut")!;
        Assert.Equal($"default/{LongPod}:41234", cut.GetAttribute("title"));
        Assert.NotNull(cut.QuerySelector("[data-testid=cut-mark]"));
    }

    [Fact]
    public void FlowDrawer_10000Labels_First100UntilShowAll()
    {
        var labels = Enumerable.Range(0, 10_000).Select(i => $"k8s:label-{i}=value-{i}").ToArray();
        Flows.Add(Flow(1, sourceLabels: labels));
        var page = Render<CiliumDash.Components.Pages.Flows>();
        page.WaitForAssertion(() => Assert.Single(page.FindAll("tr[data-uuid]")));

        page.Find("tr[data-uuid]").Click();

        Assert.Equal(DrawerFields.ListLimit, LabelRows(page));
        Assert.Equal("9,900 more of 10,000 items", page.Find("[data-testid=drawer-more] td").TextContent);
        // What follows the list is still shown: the destination, the verdict, L4.
        Assert.Contains("destination.pod_name", page.Find("[data-testid=drawer-fields]").TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=drawer-json]"));

        page.Find("[data-testid=drawer-show-all]").Click();

        Assert.Equal(10_000, LabelRows(page));
        Assert.Empty(page.FindAll("[data-testid=drawer-more]"));
        Assert.Empty(page.FindAll("[data-testid=drawer-show-all]"));
    }

    [Fact]
    public void FlowDrawer_HubbleJson_RenderedOnRequest()
    {
        Flows.Add(Flow(1, sourcePod: "cart\u202Elmth.exe"));
        var page = Render<CiliumDash.Components.Pages.Flows>();
        page.WaitForAssertion(() => Assert.Single(page.FindAll("tr[data-uuid]")));
        page.Find("tr[data-uuid]").Click();

        page.Find("[data-testid=drawer-json-toggle]").Click();

        Assert.Contains("\"pod_name\"", page.Find("[data-testid=drawer-json]").TextContent, StringComparison.Ordinal);
        AssertShownWithout(page, '\u202E');
        Assert.Contains("cart⟨U+202E⟩lmth.exe", page.Find("[data-testid=drawer-fields]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Controllers_HostileControllerNameAndMessage_Marked()
    {
        var status = Status(controllers: [Controller("sync\u2066-to-k8s", consecutiveFailures: 2, lastFailureMessage: "denied\u202E by policy")]);
        AddNodes(Node(Rlo, status));

        var page = Render<Controllers>();

        var row = page.Find("[data-testid=failing-controllers] tbody tr");
        Assert.Equal(["⟨U+2066⟩", "⟨U+202E⟩", "⟨U+202E⟩"], row.QuerySelectorAll("[data-testid=ctl-mark]").Select(m => m.TextContent));
        AssertShownWithout(page, '\u202E');
        AssertShownWithout(page, '\u2066');
    }

    [Fact]
    public void NodeDetail_RightToLeftOverrideName_MarkedInHeadingAndControllers()
    {
        var status = Status(controllers: [Controller("ipcache\u200D-inject-labels")]);
        AddNodes(Node(Rlo, status));

        var page = Render<NodeDetail>(p => p.Add(n => n.Name, Rlo));

        Assert.Equal("worker-⟨U+202E⟩1-edon", page.Find("h1 .mono").TextContent);
        Assert.Contains("ipcache⟨U+200D⟩-inject-labels", page.Find("[data-testid=controllers-table]").TextContent, StringComparison.Ordinal);
        AssertShownWithout(page, '\u202E');
        AssertShownWithout(page, '\u200D');
    }

    /// <summary>No text and no tooltip or accessible name holds the raw character (data-* attributes keep the real name).</summary>
    private static void AssertShownWithout<T>(IRenderedComponent<T> page, char raw)
        where T : Microsoft.AspNetCore.Components.IComponent
    {
        Assert.DoesNotContain(raw, string.Concat(page.Nodes.Select(n => n.TextContent)));
        foreach (var element in page.FindAll("*"))
        {
            Assert.DoesNotContain(raw, element.GetAttribute("title") ?? "");
            Assert.DoesNotContain(raw, element.GetAttribute("aria-label") ?? "");
        }
    }

    private static int LabelRows(IRenderedComponent<CiliumDash.Components.Pages.Flows> page) =>
        page.FindAll("[data-testid=drawer-fields] tr th").Count(th => th.TextContent.StartsWith("source.labels[", StringComparison.Ordinal) && !th.TextContent.EndsWith("[…]", StringComparison.Ordinal));
}
