using System.Text.RegularExpressions;
using CiliumDash.Agents;
using CiliumDash.Cluster;
using CiliumDash.Connectivity;
using CiliumDash.EndToEnd.Browser;
using CiliumDash.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;
using CiliumDash.Shared;

namespace CiliumDash.EndToEnd.Pages;

/// <summary>
/// The connectivity page at scale: readable and interactive at 200 nodes, a binned overview to
/// zoom into at 1,000. The reports are ingested by the test (see <see cref="StartAsync"/>). How long ingest takes at
/// these sizes is measured by the matrix-refresh benchmark driver (docs/benchmarks.md §5), not here.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ConnectivityScaleTests
{
    private const string Red = "rgb(207, 34, 46)";
    private const string Purple = "rgb(130, 80, 223)";

    /// <summary>Probe rounds, a minute apart and ending now, that the reports span.</summary>
    private const int Rounds = 8;

    private readonly BrowserFixture _browser;

    public ConnectivityScaleTests(BrowserFixture browser) => _browser = browser;

    [Fact]
    public async Task ConnectivityPage_200Nodes_ReadableRedFailuresAndPairPanel()
    {
        var cluster = new SyntheticHealthCluster(200, DownNode: 150, EndpointDownNode: 7, SlowNode: 12, NewNode: 199, FaultsFrom: Rounds - 1);
        await using var dashboard = await StartAsync(cluster, historyRows: Enumerable.Range(0, 200).ToHashSet());

        var page = await _browser.NewPageAsync(dashboard.BaseAddress);
        // Closed before the dashboard stops: an open circuit would hold its shutdown for the whole drain timeout.
        await using var context = page.Context;
        await page.GotoAsync("connectivity");
        var matrix = page.GetByTestId("matrix");
        await Expect(matrix.Locator("td.mx").First).ToBeVisibleAsync();

        // Above the full-matrix limit: the binned overview (blocks of 5) and a full-resolution window of 48 × 48.
        await Expect(page.GetByTestId("overview").Locator("td.mx")).ToHaveCountAsync(40 * 40);
        await Expect(matrix.Locator("td.mx")).ToHaveCountAsync(48 * 48);
        var size = await page.EvaluateAsync<double[]>("() => { const r = document.querySelector('[data-testid=matrix] td.mx').getBoundingClientRect(); return [r.width, r.height]; }");
        Assert.True(size[0] >= 12 && size[1] >= 12, $"matrix cells are {size[0]}×{size[1]} px: too small to read or click");

        var failing = Cell(matrix, 3, 7);
        await Expect(failing).ToHaveAttributeAsync("data-kind", "HostOkEndpointDown");
        await Expect(failing).ToHaveCSSAsync("background-color", Purple);
        await Expect(failing).ToHaveAttributeAsync("title", new Regex(SyntheticHealthCluster.IcmpTimeout));
        await Expect(Cell(matrix, 3, 4)).ToHaveAttributeAsync("data-kind", "Ok");
        await Expect(Cell(matrix, 3, 4)).Not.ToHaveCSSAsync("background-color", Red);

        await SwitchPathOnceLiveAsync(page, "host-icmp");
        await Expect(failing).ToHaveAttributeAsync("data-kind", "Ok");
        await page.GetByTestId("path-endpoint-icmp").ClickAsync();
        await Expect(failing).ToHaveAttributeAsync("data-kind", "HostOkEndpointDown");

        await failing.ClickAsync();
        var panel = page.GetByTestId("pair-panel");
        await Expect(panel.Locator("h2")).ToContainTextAsync("worker-0003 → worker-0007");
        await Expect(failing).ToHaveClassAsync(new Regex(@"\bselected\b"));
        var endpoint = panel.Locator("tr[data-path=endpoint-icmp]");
        await Expect(endpoint.GetByTestId("last-error")).ToHaveTextAsync(SyntheticHealthCluster.IcmpTimeout);
        // The endpoint answered for seven rounds and failed in the last: a line of seven points and a red tick.
        await Expect(endpoint.GetByTestId("samples")).ToHaveTextAsync($"{Rounds} samples");
        await Expect(endpoint.Locator("svg.sparkline polyline")).ToHaveAttributeAsync("points", new Regex(@"^(\S+,\S+ ){6}\S+,\S+$"));
        await Expect(endpoint.Locator("svg.sparkline rect")).ToHaveCountAsync(1);
        await Expect(endpoint.GetByTestId("percentiles")).ToHaveTextAsync(new Regex(@"^\d[\d.]* µs / \d[\d.]* µs$"));

        await ScreenshotAsync(page, "connectivity-200.png");
    }

    [Fact]
    public async Task ConnectivityPage_1000Nodes_OverviewZoomsIntoBlockAndOpensPair()
    {
        var cluster = new SyntheticHealthCluster(1000, DownNode: 500, EndpointDownNode: 120, SlowNode: 777, NewNode: 999, FaultsFrom: Rounds - 1);
        // History only around the pair the test opens: every row's would cost the test half a minute.
        await using var dashboard = await StartAsync(cluster, historyRows: Enumerable.Range(488, 5).ToHashSet());

        var page = await _browser.NewPageAsync(dashboard.BaseAddress);
        await using var context = page.Context;
        await page.GotoAsync("connectivity");
        var overview = page.GetByTestId("overview");
        await Expect(overview.Locator("td.mx").First).ToBeVisibleAsync();

        // 1,000 nodes in blocks of 21: 48 × 48 blocks; every block of the down node's column (block 23) shows red.
        await Expect(overview.Locator("tr")).ToHaveCountAsync(48);
        await Expect(overview.Locator("td.mx")).ToHaveCountAsync(48 * 48);
        var downColumn = Block(overview, 3, 23);
        await Expect(downColumn).ToHaveCSSAsync("background-color", Red);
        await Expect(downColumn).ToHaveAttributeAsync("title", new Regex("worker-0063 … → worker-0483 …: failing; 21 of 441 cells failing"));
        await Expect(Block(overview, 3, 10)).Not.ToHaveCSSAsync("background-color", Red);

        await SwitchPathOnceLiveAsync(page, "host-icmp");
        await Block(overview, 23, 23).ClickAsync();
        var matrix = page.GetByTestId("matrix");
        var pair = Cell(matrix, 490, 500);
        await Expect(pair).ToHaveAttributeAsync("data-kind", "Failed");
        await Expect(page.GetByTestId("window-title")).ToHaveTextAsync("Rows worker-0483 … worker-0530 × columns worker-0483 … worker-0530");
        await Expect(matrix.Locator("td.mx")).ToHaveCountAsync(48 * 48);
        await Expect(pair).ToHaveCSSAsync("background-color", Red);
        await page.Locator(".overview-wrap").ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(Artifacts.Screenshots, "connectivity-1000-overview.png") });

        await pair.ClickAsync();
        var panel = page.GetByTestId("pair-panel");
        await Expect(panel.Locator("h2")).ToContainTextAsync("worker-0490 → worker-0500");
        var host = panel.Locator("tr[data-path=host-icmp]");
        await Expect(host.GetByTestId("last-error")).ToHaveTextAsync(SyntheticHealthCluster.IcmpTimeout);
        await Expect(host.GetByTestId("samples")).ToHaveTextAsync($"{Rounds} samples");
        await Expect(host.Locator("svg.sparkline polyline")).ToHaveCountAsync(1);
        await Expect(host.GetByTestId("percentiles")).ToHaveTextAsync(new Regex(@"^\d[\d.]* µs / \d[\d.]* µs$"));

        await ScreenshotAsync(page, "connectivity-1000.png");
    }

    /// <summary>
    /// A dashboard whose matrix holds the cluster's reports as if its poller had read them for <see cref="Rounds"/>
    /// minutes: the latest round of every node, the earlier ones for <paramref name="historyRows"/>. The simulator would
    /// exec into every agent instead, which takes 20-30 s at 200 nodes on two busy cores and minutes at 1,000, so the
    /// poller is left out (it would also drop the rows of nodes it does not know).
    /// </summary>
    private static async Task<DashboardServer> StartAsync(SyntheticHealthCluster cluster, HashSet<int> historyRows)
    {
        var dashboard = new DashboardServer(services: services =>
            services.Remove(services.Single(s => s.ServiceType == typeof(IHostedService) && s.ImplementationType == typeof(AgentStatusPoller))));
        var store = dashboard.Services.GetRequiredService<ConnectivityStore>();
        var now = DateTimeOffset.UtcNow;
        await Task.Run(() => Parallel.For(0, cluster.Nodes, source =>
        {
            for (var round = historyRows.Contains(source) ? 0 : Rounds - 1; round < Rounds; round++)
            {
                var result = store.Ingest(SyntheticHealthCluster.Name(source), cluster.Report(source, round, now.AddMinutes(round - Rounds + 1)));
                Assert.Null(result.Error);
            }
        }));
        Assert.Equal(cluster.Nodes, store.Summary().Reporting);
        dashboard.Services.GetRequiredService<ClusterStore>().SetAgentSource(
            SourceHealth.Initial("agents", $"{cluster.Nodes} cilium-health reports") with { State = SourceState.Connected, LastSuccess = now });
        return dashboard;
    }

    /// <summary>From the top: a full-page shot of a scrolled page draws the fixed app bar across its middle.</summary>
    private static async Task ScreenshotAsync(IPage page, string name)
    {
        await page.EvaluateAsync("() => window.scrollTo(0, 0)");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts.Screenshots, name), FullPage = true });
    }

    private static ILocator Cell(ILocator matrix, int from, int to) =>
        matrix.Locator($"td.mx[data-from={SyntheticHealthCluster.Name(from)}][data-to={SyntheticHealthCluster.Name(to)}]");

    private static ILocator Block(ILocator overview, int row, int col) => overview.Locator($"tr:nth-child({row + 1}) td:nth-child({col + 1})");

    /// <summary>
    /// Prerendered controls ignore clicks until the circuit is up; a path button is idempotent, so it is clicked until
    /// the page answers.
    /// </summary>
    private static async Task SwitchPathOnceLiveAsync(IPage page, string slug)
    {
        var button = page.GetByTestId($"path-{slug}");
        await Eventually.True(async () =>
        {
            await button.ClickAsync();
            return await button.GetAttributeAsync("aria-pressed") == "true";
        }, "the live circuit to switch the probe path");
    }
}
