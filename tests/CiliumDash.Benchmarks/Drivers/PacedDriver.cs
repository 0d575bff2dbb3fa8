using System.Text.Json;
using Microsoft.Playwright;

namespace CiliumDash.Benchmarks.Drivers;

/// <summary>
/// The real dashboard app and the simulator, each its own process, at a paced flow rate: <c>paced</c> samples the
/// dashboard's CPU and RSS from /proc every second with no browser attached; <c>longtasks</c> does the same with
/// headless Chromium on /flows and reports the page's main-thread long tasks, table rows and DOM update batches.
/// </summary>
internal static class PacedDriver
{
    public const string PacedCommand = "paced";
    public const string LongTasksCommand = "longtasks";

    // Installed before the page's scripts: long tasks (buffered, so none from the load is missed) and one entry per
    // MutationObserver callback on the flows table, which fires once per applied render batch touching it.
    private const string Probe = """
        window.__longTasks = [];
        new PerformanceObserver(list => { for (const e of list.getEntries()) window.__longTasks.push([e.startTime, e.duration]); })
            .observe({ type: 'longtask', buffered: true });
        window.__tableUpdates = [];
        window.__observed = null;
        setInterval(() => {
            const table = document.querySelector('[data-testid=flows-table]');
            if (table && window.__observed !== table) {
                window.__observed = table;
                new MutationObserver(() => window.__tableUpdates.push(performance.now())).observe(table, { childList: true, subtree: true, characterData: true });
            }
        }, 100);
        """;

    public static async Task<int> RunAsync(DriverArguments args, bool browser)
    {
        var rate = args.Double("flows-per-second", 10_000);
        var seconds = args.Int("seconds", 30);
        var warmup = args.Int("warmup-seconds", 10);
        var nodes = args.Int("nodes", 16);
        args.RejectUnknown();

        var work = Directory.CreateTempSubdirectory("ciliumdash-paced-").FullName;
        Console.WriteLine($"{(browser ? LongTasksCommand : PacedCommand)}: {nodes} nodes, {rate:N0} flows/s offered, {warmup} s warm-up, {seconds} s measured; logs in {work}");
        Console.WriteLine($"machine: {ProcessInfo.Machine()}");
        await using var sim = await SimulatorProcess.StartAsync(rate, nodes, work);
        await using var dashboard = DashboardProcess.Start(sim, work);
        var dash = dashboard.Process;
        var baseUrl = dashboard.BaseUrl;
        using var http = new HttpClient { BaseAddress = baseUrl };
        await SimulatorProcess.WaitAsync(() => Summary(http).GetAwaiter().GetResult() is { Received: > 0 }, dash, "the dashboard (flows received)");

        IPlaywright? playwright = null;
        IBrowser? chromium = null;
        IPage? page = null;
        if (browser)
        {
            playwright = await Playwright.CreateAsync();
            chromium = await DashboardProcess.LaunchChromiumAsync(playwright);
            page = await chromium.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1440, Height = 900 } });
            await page.AddInitScriptAsync(Probe);
            await page.GotoAsync(new Uri(baseUrl, "flows").ToString());
            await page.Locator("[data-testid=flows-table] tbody tr").First.WaitForAsync();
        }

        await Task.Delay(TimeSpan.FromSeconds(warmup));
        var first = await Summary(http) ?? throw new InvalidOperationException("no summary");
        var pageStart = page is null ? 0 : await page.EvaluateAsync<double>("performance.now()");
        var samples = new List<ProcSample> { dash.Sample() };
        var simStart = sim.Process.Sample();
        var maxRows = 0;
        using (var timer = new PeriodicTimer(TimeSpan.FromSeconds(1)))
        {
            for (var s = 0; s < seconds; s++)
            {
                await timer.WaitForNextTickAsync();
                samples.Add(dash.Sample());
                if (page is not null)
                {
                    maxRows = Math.Max(maxRows, await page.EvaluateAsync<int>("document.querySelectorAll('[data-testid=flows-table] tbody tr').length"));
                }
            }
        }

        var simEnd = sim.Process.Sample();
        var pageEnd = page is null ? 0 : await page.EvaluateAsync<double>("performance.now()");
        var last = await Summary(http) ?? throw new InvalidOperationException("no summary");

        var start = samples[0];
        var end = samples[^1];
        var wall = System.Diagnostics.Stopwatch.GetElapsedTime(start.Timestamp, end.Timestamp).TotalSeconds;
        var perSecond = samples.Zip(samples.Skip(1), ProcSample.CoreShare).ToArray();
        Console.WriteLine();
        Console.WriteLine($"dashboard received: {(last.Received - first.Received) / wall:N0} flows/s ({last.Received - first.Received:N0} in {wall:0.0} s); " +
            $"total received {last.Received:N0}, evicted {last.Evicted:N0}, lost events {last.Lost:N0} ({last.Lost - first.Lost:N0} while measuring), window {last.Window:N0}");
        Console.WriteLine($"dashboard CPU:      mean {ProcSample.CoreShare(start, end):P1} of one core (per-second max {perSecond.Max():P1}, min {perSecond.Min():P1})");
        Console.WriteLine($"dashboard RSS:      peak {ProcessInfo.Mb(samples.Max(s => s.Rss))}, at end {ProcessInfo.Mb(end.Rss)}");
        Console.WriteLine($"simulator CPU:      mean {ProcSample.CoreShare(simStart, simEnd):P1} of one core");
        if (page is not null)
        {
            var tasks = await page.EvaluateAsync<double[][]>("window.__longTasks");
            var inWindow = tasks.Where(t => t[0] >= pageStart && t[0] <= pageEnd).Select(t => t[1]).ToArray();
            var updates = await page.EvaluateAsync<double[]>("window.__tableUpdates");
            var updateRates = updates.Where(t => t >= pageStart && t <= pageEnd).GroupBy(t => (int)((t - pageStart) / 1000)).Select(g => g.Count()).ToArray();
            Console.WriteLine($"long tasks:         {inWindow.Length} (> 50 ms), {inWindow.Sum() / (pageEnd - pageStart):P1} of the time, longest {(inWindow.Length == 0 ? 0 : inWindow.Max()):N0} ms " +
                $"({tasks.Length} since the page loaded, longest {(tasks.Length == 0 ? 0 : tasks.Max(t => t[1])):N0} ms)");
            Console.WriteLine($"flows table:        at most {maxRows} rows in the DOM");
            Console.WriteLine($"table updates:      {updates.Count(t => t >= pageStart && t <= pageEnd) / ((pageEnd - pageStart) / 1000):0.0}/s mean, {(updateRates.Length == 0 ? 0 : updateRates.Max())}/s max (MutationObserver callbacks on the table; one per applied render batch)");
            await chromium!.DisposeAsync();
            playwright!.Dispose();
        }

        return 0;
    }

    private static async Task<FlowCounts?> Summary(HttpClient http)
    {
        try
        {
            using var doc = JsonDocument.Parse(await http.GetStringAsync("api/v1/flows/summary?limit=1"));
            var root = doc.RootElement;
            long lost = 0;
            foreach (var source in root.GetProperty("lostEvents").EnumerateObject())
            {
                lost += source.Value.GetInt64();
            }

            return new FlowCounts(root.GetProperty("received").GetInt64(), root.GetProperty("evicted").GetInt64(), lost,
                root.GetProperty("window").GetProperty("count").GetInt32());
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    private sealed record FlowCounts(long Received, long Evicted, long Lost, int Window);
}
