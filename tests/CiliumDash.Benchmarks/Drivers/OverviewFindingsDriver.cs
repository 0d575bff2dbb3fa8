using System.Text.Json;
using Microsoft.Playwright;

namespace CiliumDash.Benchmarks.Drivers;

/// <summary>
/// <c>overview-findings</c>: the overview in headless Chromium on a large simulated cluster, once with a share of the
/// nodes failing (failing controllers, health endpoints nobody reaches, full maps) and once healthy, side by side in
/// one run. Reports the page's main-thread long tasks (PerformanceObserver 'longtask') while the findings render and
/// update live, the findings shown, and the dashboard's CPU.
/// </summary>
internal static class OverviewFindingsDriver
{
    public const string Command = "overview-findings";

    private const string Probe = """
        window.__longTasks = [];
        new PerformanceObserver(list => { for (const e of list.getEntries()) window.__longTasks.push([e.startTime, e.duration]); })
            .observe({ type: 'longtask', buffered: true });
        """;

    public static async Task<int> RunAsync(DriverArguments args)
    {
        var nodes = args.Int("nodes", 1000);
        var failing = args.Double("failing", 0.05);
        var seconds = args.Int("seconds", 30);
        args.RejectUnknown();

        Console.WriteLine($"{Command}: {nodes} nodes, {failing:P0} failing vs none, {seconds} s measured each, after the first findings show");
        Console.WriteLine($"machine: {ProcessInfo.Machine()}");
        var names = Enumerable.Range(0, nodes).Select(i => i == 0 ? "fedora" : nodes <= 9 ? $"knode{i}" : $"knode{i:D4}").ToList();
        // Spread the faulty nodes over the cluster, a third of each kind.
        var faulty = names.Where((_, i) => i % (int)Math.Round(1 / failing) == 1).ToList();
        string Join(int part) => string.Join(',', faulty.Where((_, i) => i % 3 == part));
        IReadOnlyList<string> faults = ["--failing-controllers", Join(0), "--endpoint-unreachable", Join(1), "--map-pressure", Join(2)];

        var withFaults = await MeasureAsync(nodes, faults, expectFindings: true, seconds);
        var healthy = await MeasureAsync(nodes, [], expectFindings: false, seconds);
        Console.WriteLine();
        Console.WriteLine($"{"",-22} {"findings",9} {"shown",6} {"long tasks",11} {"> 200 ms",9} {"longest",9} {"busy",6} {"first render",13} {"dashboard CPU",14}");
        foreach (var (label, r) in new[] { ($"{faulty.Count} of {nodes} failing", withFaults), ("healthy", healthy) })
        {
            Console.WriteLine($"{label,-22} {r.Findings,9:N0} {r.Shown,6:N0} {r.LongTasks,11:N0} {r.Over200,9:N0} {r.Longest,7:N0} ms {r.Busy,6:P1} {r.FirstRender,10:N0} ms {r.Cpu,14:P1}");
        }

        return 0;
    }

    private static async Task<Result> MeasureAsync(int nodes, IReadOnlyList<string> faults, bool expectFindings, int seconds)
    {
        var work = Directory.CreateTempSubdirectory("ciliumdash-overview-").FullName;
        await using var sim = await SimulatorProcess.StartAsync(100, nodes, work, faults);
        await using var dashboard = DashboardProcess.Start(sim, work);
        var dash = dashboard.Process;
        using var http = new HttpClient { BaseAddress = dashboard.BaseUrl };
        // The first full poll of every node (minutes at 1,000 nodes on a small machine), read from the small cluster record.
        var ready = System.Diagnostics.Stopwatch.GetTimestamp();
        using (var wait = new PeriodicTimer(TimeSpan.FromSeconds(2)))
        {
            while (Ready(http) < nodes)
            {
                if (dash.HasExited || System.Diagnostics.Stopwatch.GetElapsedTime(ready) > TimeSpan.FromMinutes(6))
                {
                    throw new InvalidOperationException($"the dashboard did not read all {nodes} nodes; its log: {dash.Log}");
                }

                await wait.WaitForNextTickAsync();
            }
        }

        Console.WriteLine($"  {(expectFindings ? "faults" : "healthy")}: all {nodes} nodes read after {System.Diagnostics.Stopwatch.GetElapsedTime(ready).TotalSeconds:0} s");
        using var playwright = await Playwright.CreateAsync();
        await using var chromium = await DashboardProcess.LaunchChromiumAsync(playwright);
        var page = await chromium.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1440, Height = 900 } });
        await page.AddInitScriptAsync(Probe);
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        await page.GotoAsync(dashboard.BaseUrl.ToString());
        await page.Locator("[data-testid=overview-findings] li.finding, [data-testid=findings-none]").First.WaitForAsync(new() { Timeout = 120_000 });
        var firstRender = System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalMilliseconds;

        var pageStart = await page.EvaluateAsync<double>("performance.now()");
        var cpuStart = dash.Sample();
        using (var timer = new PeriodicTimer(TimeSpan.FromSeconds(seconds)))
        {
            await timer.WaitForNextTickAsync();
        }

        var cpuEnd = dash.Sample();
        var pageEnd = await page.EvaluateAsync<double>("performance.now()");
        var tasks = await page.EvaluateAsync<double[][]>("window.__longTasks");
        var shown = await page.Locator("li.finding").CountAsync();
        var findings = Count(http, "api/v1/findings", _ => true);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(work, "overview.png"), FullPage = true });
        Console.WriteLine($"  {(expectFindings ? "faults" : "healthy")}: screenshot {Path.Combine(work, "overview.png")}");
        // From the page's load on: the first render of the findings is part of what is measured.
        var all = tasks.Select(t => t[1]).ToArray();
        return new Result(findings, shown, all.Length, all.Count(d => d > 200), all.Length == 0 ? 0 : all.Max(),
            tasks.Where(t => t[0] >= pageStart).Sum(t => t[1]) / (pageEnd - pageStart), firstRender, ProcSample.CoreShare(cpuStart, cpuEnd));
    }

    private static int Ready(HttpClient http)
    {
        try
        {
            using var doc = JsonDocument.Parse(http.GetStringAsync("api/v1/cluster").GetAwaiter().GetResult());
            return doc.RootElement.GetProperty("nodes").GetProperty("ready").GetInt32();
        }
        catch (HttpRequestException)
        {
            return -1;
        }
    }

    private static int Count(HttpClient http, string path, Func<JsonElement, bool> where)
    {
        try
        {
            using var doc = JsonDocument.Parse(http.GetStringAsync(path).GetAwaiter().GetResult());
            return doc.RootElement.EnumerateArray().Count(where);
        }
        catch (HttpRequestException)
        {
            return -1;
        }
    }

    private sealed record Result(int Findings, int Shown, int LongTasks, int Over200, double Longest, double Busy, double FirstRender, double Cpu);
}
