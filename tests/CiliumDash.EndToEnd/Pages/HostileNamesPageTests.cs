using CiliumDash.EndToEnd.Browser;
using CiliumDash.Flows;
using CiliumDash.Testing;
using Microsoft.Playwright;
using static CiliumDash.Tests.Builders.FlowData;
using static Microsoft.Playwright.Assertions;

namespace CiliumDash.EndToEnd.Pages;

/// <summary>
/// A recorded cluster with hostile names, replayed by the simulator over the real protocols: a node whose name carries
/// a right-to-left override (it reads as "worker-node-1"), a 250-character node name (Kubernetes allows 253), and flows
/// with a 300-character pod name, an overridden pod name and 10,000 labels.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class HostileNamesPageTests : IAsyncLifetime, IAsyncDisposable
{
    private const string RloNode = "worker-\u202E1-edon";
    private const string LabelsUuid = "00000000-0000-4000-8000-000000010000";
    private static readonly string LongNode = "node-" + new string('n', 245);
    private static readonly string LongPod = "frontend-" + new string('x', 291);

    private readonly BrowserFixture _browser;
    private readonly string _dir = Directory.CreateTempSubdirectory("ciliumdash-hostile-").FullName;
    private DashboardServer _dashboard = null!;

    public HostileNamesPageTests(BrowserFixture browser) => _browser = browser;

    public async Task InitializeAsync()
    {
        // Node folders without documents: the simulator's agents answer with generated status under these names.
        Directory.CreateDirectory(Path.Combine(_dir, "nodes", RloNode));
        Directory.CreateDirectory(Path.Combine(_dir, "nodes", LongNode));
        var labels = Enumerable.Range(0, 10_000).Select(i => $"k8s:label-{i}=value-{i}").ToArray();
        await File.WriteAllLinesAsync(Path.Combine(_dir, "flows.jsonl"),
        [
            FlowJson.Line(Flow(1, node: RloNode, sourcePod: LongPod)),
            FlowJson.Line(Flow(2, node: RloNode, sourcePod: "cart\u202Elmth.exe")),
            FlowJson.Line(Flow(3, uuid: LabelsUuid, node: LongNode, sourceLabels: labels)),
        ]);
        _dashboard = new DashboardServer(new Dictionary<string, string?> { ["CiliumDash:Simulator:Scenario"] = _dir });
    }

    // xunit also disposes the instance itself (IAsyncDisposable): the teardown is there, where ownership is visible.
    Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        await _dashboard.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task FlowsAndNodes_HostileNames_MarkedCutAndNoSidewaysScroll()
    {
        var page = await _browser.NewPageAsync(_dashboard.BaseAddress);
        // Closed before the dashboard stops: an open circuit would hold its shutdown for the whole drain timeout.
        await using var context = page.Context;

        await page.GotoAsync("flows");
        await Expect(page.Locator("[data-testid=flows-table] tbody tr[data-uuid]")).ToHaveCountAsync(3);
        await ExpectMarkerVisibleAsync(page.GetByTestId("flows-table"));
        var cut = page.Locator("[data-testid=flows-table] bdi.cut").First;
        await Expect(cut).ToHaveAttributeAsync("title", $"default/{LongPod}:41234");
        await Expect(cut.GetByTestId("cut-mark")).ToBeVisibleAsync();
        await ExpectNoSidewaysScrollAsync(page, "flows-table");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts.Screenshots, "flows-hostile.png"), FullPage = true });

        await page.GotoAsync("nodes");
        await Expect(page.Locator("[data-testid=nodes-table] tbody tr[data-node]")).ToHaveCountAsync(2);
        await ExpectMarkerVisibleAsync(page.GetByTestId("nodes-table"));
        await ExpectNoSidewaysScrollAsync(page, "nodes-table");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts.Screenshots, "nodes-hostile.png"), FullPage = true });
    }

    [Fact]
    public async Task FlowDrawer_10000Labels_First100UntilShowAll()
    {
        var page = await _browser.NewPageAsync(_dashboard.BaseAddress);
        await using var context = page.Context;
        await page.GotoAsync("flows");
        var row = page.Locator($"tr[data-uuid='{LabelsUuid}']");
        await Expect(row).ToBeVisibleAsync();

        // Prerendered rows ignore clicks until the circuit is up; opening a row is idempotent.
        var drawer = page.GetByTestId("flow-drawer");
        await Eventually.True(async () =>
        {
            await row.ClickAsync();
            return await drawer.CountAsync() == 1;
        }, "the live circuit to open the flow drawer");

        await drawer.Locator("[data-testid=drawer-all-fields] > summary").ClickAsync();
        var labelRows = drawer.Locator("[data-testid=drawer-fields] tr:not([data-testid=drawer-more]) th", new LocatorLocatorOptions { HasTextString = "source.labels[" });
        await Expect(labelRows).ToHaveCountAsync(100);
        await Expect(drawer.GetByTestId("drawer-more")).ToContainTextAsync("9,900 more of 10,000 items");
        await Expect(drawer.GetByTestId("drawer-json")).ToHaveCountAsync(0);

        await drawer.GetByTestId("drawer-show-all").ClickAsync();

        await Expect(labelRows).ToHaveCountAsync(10_000);
        await Expect(drawer.GetByTestId("drawer-more")).ToHaveCountAsync(0);
    }

    /// <summary>The U+202E marker is drawn (has a box on screen), and the raw character is nowhere in the table's text.</summary>
    private static async Task ExpectMarkerVisibleAsync(ILocator table)
    {
        var marker = table.GetByTestId("ctl-mark").First;
        await Expect(marker).ToBeVisibleAsync();
        await Expect(marker).ToHaveTextAsync("⟨U+202E⟩");
        Assert.DoesNotContain('\u202E', await table.InnerTextAsync());
    }

    /// <summary>Neither the document nor the table's own scroll box is wider than the window.</summary>
    private static async Task ExpectNoSidewaysScrollAsync(IPage page, string table)
    {
        var widths = await page.EvaluateAsync<int[]>(
            "id => { const t = document.querySelector(`[data-testid=${id}]`); const box = t.closest('.table-wrap, .scroll-table'); " +
            "return [document.documentElement.scrollWidth, window.innerWidth, box.scrollWidth, box.clientWidth]; }",
            table);
        Assert.True(widths[0] <= widths[1], $"the document is {widths[0]} px wide in a {widths[1]} px window");
        Assert.True(widths[2] <= widths[3], $"{table} is {widths[2]} px wide in its {widths[3]} px box");
    }
}
