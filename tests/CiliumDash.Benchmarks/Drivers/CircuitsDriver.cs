using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace CiliumDash.Benchmarks.Drivers;

/// <summary>
/// Memory per idle Blazor circuit: the real dashboard in its own process, headless Chromium opening the overview in
/// N, then 2N pages (one browser, one page each, so one circuit each), and the dashboard's resident memory read from
/// /proc at 0, N and 2N open circuits after an idle period. The app has no GC figure on /metrics, so the per-circuit
/// cost is a difference of RSS: it includes the managed objects of the circuits and whatever native memory and GC
/// heap headroom came with them.
/// </summary>
internal static partial class CircuitsDriver
{
    public const string Command = "circuits";

    // One count per applied render batch anywhere on the page: proves the circuit pushes live updates.
    private const string Probe = """
        window.__renders = 0;
        new MutationObserver(() => window.__renders++).observe(document, { childList: true, subtree: true, characterData: true });
        """;

    public static async Task<int> RunAsync(DriverArguments args)
    {
        var count = args.Int("count", 100);
        var steps = args.Int("steps", 2);
        var idle = args.Int("idle-seconds", 30);
        var nodes = args.Int("nodes", 2);
        // With no traffic a steady simulated cluster changes nothing the overview shows, so it would never update;
        // a modest flow rate keeps it live (at most 5 pushes/s per circuit, the change signal's throttle).
        var rate = args.Double("flows-per-second", 1000);
        // Optional: dotnet-gcdump (a dotnet tool) forces a full blocking GC in the dashboard and reports the live heap.
        var gcdump = args.Text("gcdump");
        args.RejectUnknown();

        var work = Directory.CreateTempSubdirectory("ciliumdash-circuits-").FullName;
        Console.WriteLine($"{Command}: {count} pages of / per step, {steps} steps, {idle} s idle before each reading, {nodes} nodes, {rate:N0} flows/s; logs in {work}");
        Console.WriteLine($"machine: {ProcessInfo.Machine()}");
        await using var sim = await SimulatorProcess.StartAsync(rate, nodes, work);
        await using var dashboard = DashboardProcess.Start(sim, work);
        using var http = new HttpClient { BaseAddress = dashboard.BaseUrl };
        await SimulatorProcess.WaitAsync(() => OpenCircuits(http) == 0, dashboard.Process, "the dashboard (/metrics)");
        // A full flow window before the baseline, so the window's growth is not counted against the circuits.
        await SimulatorProcess.WaitAsync(() => Metric(http, FlowsEvicted()) > 0, dashboard.Process, "the dashboard (flow window full)");

        using var playwright = await Playwright.CreateAsync();
        await using var chromium = await DashboardProcess.LaunchChromiumAsync(playwright);
        var context = await chromium.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 800 } });
        await context.AddInitScriptAsync(Probe);
        var expected = $"{nodes}/{nodes}";

        // Warm-up: the first circuit pays for JIT, component metadata and MudBlazor's statics; the baseline comes after it.
        var warm = await OpenAsync(context, dashboard.BaseUrl, expected);
        await warm.CloseAsync(new PageCloseOptions { RunBeforeUnload = true });
        await WaitForCircuitsAsync(http, 0, dashboard.Process);

        var readings = new List<Reading> { await IdleReadingAsync(0, idle, http, dashboard.Process, gcdump) };
        var pages = new List<IPage>();
        for (var step = 1; step <= steps; step++)
        {
            var opened = System.Diagnostics.Stopwatch.StartNew();
            // A few pages at a time: all at once makes 2 cores time out on the first render.
            foreach (var batch in Enumerable.Range(0, count).Chunk(10))
            {
                pages.AddRange(await Task.WhenAll(batch.Select(_ => OpenAsync(context, dashboard.BaseUrl, expected))));
            }

            await WaitForCircuitsAsync(http, pages.Count, dashboard.Process);
            Console.WriteLine($"{pages.Count} pages connected in {opened.Elapsed.TotalSeconds:0} s");
            readings.Add(await IdleReadingAsync(pages.Count, idle, http, dashboard.Process, gcdump));
        }

        // Still live after idling: every page has rendered an update since it was last checked.
        var stillLive = await LiveCountAsync(pages);
        foreach (var page in pages)
        {
            await page.CloseAsync(new PageCloseOptions { RunBeforeUnload = true });
        }

        await WaitForCircuitsAsync(http, 0, dashboard.Process);
        var closed = await IdleReadingAsync(0, idle, http, dashboard.Process, gcdump);

        Console.WriteLine();
        Console.WriteLine("circuits  RSS (median of the idle window)  RssAnon     per circuit vs 0 (RSS / RssAnon)   slope from the previous step");
        for (var i = 0; i < readings.Count; i++)
        {
            var r = readings[i];
            var perCircuit = r.Circuits == 0 ? "" : $"{Kb(r.Rss - readings[0].Rss) / r.Circuits:N0} KB / {Kb(r.Anon - readings[0].Anon) / r.Circuits:N0} KB";
            var slope = i < 2 ? "" : $"{Kb(r.Rss - readings[i - 1].Rss) / (r.Circuits - readings[i - 1].Circuits):N0} KB / {Kb(r.Anon - readings[i - 1].Anon) / (r.Circuits - readings[i - 1].Circuits):N0} KB";
            Console.WriteLine($"{r.Circuits,8}  {ProcessInfo.Mb(r.Rss),30}  {ProcessInfo.Mb(r.Anon),8}     {perCircuit,-32}   {slope}");
        }

        Console.WriteLine($"after closing all: RSS {ProcessInfo.Mb(closed.Rss)}, RssAnon {ProcessInfo.Mb(closed.Anon)} (the GC keeps freed heap mapped)");

        if (gcdump is not null)
        {
            Console.WriteLine();
            Console.WriteLine("circuits  live GC heap after a forced full GC   per circuit vs 0   slope from the previous step");
            for (var i = 0; i < readings.Count; i++)
            {
                var r = readings[i];
                var perCircuit = r.Circuits == 0 ? "" : $"{Kb(r.Heap - readings[0].Heap) / r.Circuits:N0} KB";
                var slope = i < 2 ? "" : $"{Kb(r.Heap - readings[i - 1].Heap) / (r.Circuits - readings[i - 1].Circuits):N0} KB";
                Console.WriteLine($"{r.Circuits,8}  {ProcessInfo.Mb(r.Heap),36}   {perCircuit,-16}   {slope}");
            }

            Console.WriteLine($"after closing all: live GC heap {ProcessInfo.Mb(closed.Heap)}");
        }

        Console.WriteLine($"pages still receiving live updates at the end: {stillLive}/{pages.Count}");
        Console.WriteLine($"dashboard CPU while idle at {readings[^1].Circuits} circuits: {readings[^1].Cpu:P1} of one core");
        return stillLive == pages.Count ? 0 : 1;
    }

    /// <summary>Opens the overview and waits until its circuit shows every node ready and then renders a live update.</summary>
    private static async Task<IPage> OpenAsync(IBrowserContext context, Uri baseUrl, string expected)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync(baseUrl.ToString(), new PageGotoOptions { Timeout = 120_000 });
        await page.Locator("[data-testid=node-count]").Filter(new LocatorFilterOptions { HasText = expected }).WaitForAsync(new LocatorWaitForOptions { Timeout = 120_000 });
        // Polled from here: the app's CSP (script-src 'self') refuses the eval Playwright's WaitForFunction uses.
        var seen = await page.EvaluateAsync<int>("window.__renders");
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(500));
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (await page.EvaluateAsync<int>("window.__renders") <= seen)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("the overview rendered no live update within 2 minutes");
            }

            await timer.WaitForNextTickAsync();
        }

        return page;
    }

    private static async Task<int> LiveCountAsync(List<IPage> pages)
    {
        var before = await Task.WhenAll(pages.Select(p => p.EvaluateAsync<int>("window.__renders")));
        await Task.Delay(TimeSpan.FromSeconds(15));
        var after = await Task.WhenAll(pages.Select(p => p.EvaluateAsync<int>("window.__renders")));
        return before.Zip(after).Count(x => x.Second > x.First);
    }

    /// <summary>Waits <paramref name="seconds"/>, sampling every second; the median damps a GC that happens to run at a reading.</summary>
    private static async Task<Reading> IdleReadingAsync(int circuits, int seconds, HttpClient http, ChildProcess dashboard, string? gcdump)
    {
        var rss = new List<long>();
        var anon = new List<long>();
        var first = dashboard.Sample();
        var last = first;
        using (var timer = new PeriodicTimer(TimeSpan.FromSeconds(1)))
        {
            for (var s = 0; s < seconds; s++)
            {
                await timer.WaitForNextTickAsync();
                last = dashboard.Sample();
                rss.Add(last.Rss);
                anon.Add(RssAnon(dashboard.Id));
            }
        }

        var open = OpenCircuits(http);
        if (open != circuits)
        {
            throw new InvalidOperationException($"expected {circuits} open circuits, /metrics says {open}");
        }

        var heap = gcdump is null ? 0 : await LiveHeapAsync(gcdump, dashboard.Id);
        var reading = new Reading(circuits, Median(rss), Median(anon), ProcSample.CoreShare(first, last), heap);
        Console.WriteLine($"{circuits} circuits (/metrics): RSS {ProcessInfo.Mb(reading.Rss)} (min {ProcessInfo.Mb(rss.Min())}, max {ProcessInfo.Mb(rss.Max())}), RssAnon {ProcessInfo.Mb(reading.Anon)}, CPU {reading.Cpu:P1} of one core" +
            (gcdump is null ? "" : $"; live GC heap {ProcessInfo.Mb(heap)}, RSS after that GC {ProcessInfo.Mb(dashboard.Sample().Rss)}"));
        return reading;
    }

    /// <summary><c>dotnet-gcdump report -p</c>: a full blocking GC in the target, then the bytes of the objects it kept.</summary>
    private static async Task<long> LiveHeapAsync(string gcdump, int pid)
    {
        var info = new System.Diagnostics.ProcessStartInfo(gcdump) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "report", "-p", pid.ToString(CultureInfo.InvariantCulture) })
        {
            info.ArgumentList.Add(arg);
        }

        using var process = System.Diagnostics.Process.Start(info) ?? throw new InvalidOperationException($"could not start {gcdump}");
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        var match = GcHeapBytes().Match(output);
        return match.Success
            ? long.Parse(match.Groups[1].Value.Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture)
            : throw new InvalidOperationException($"{gcdump} printed no heap size: {output}{await process.StandardError.ReadToEndAsync()}");
    }

    private static async Task WaitForCircuitsAsync(HttpClient http, int expected, ChildProcess dashboard)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(500));
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (OpenCircuits(http) != expected)
        {
            if (dashboard.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"expected {expected} open circuits, /metrics says {OpenCircuits(http)}");
            }

            await timer.WaitForNextTickAsync();
        }
    }

    /// <summary><c>ciliumdash_connected_clients{kind="blazor"}</c>, or -1 while the app does not answer.</summary>
    private static int OpenCircuits(HttpClient http) => (int)Metric(http, BlazorClients());

    private static long Metric(HttpClient http, Regex sample)
    {
        try
        {
            var text = http.GetStringAsync("metrics").GetAwaiter().GetResult();
            var match = sample.Match(text);
            return match.Success ? long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : -1;
        }
        catch (HttpRequestException)
        {
            return -1;
        }
    }

    /// <summary>Anonymous resident memory (heaps, stacks): RSS without the mapped runtime and assembly files.</summary>
    private static long RssAnon(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("RssAnon:", StringComparison.Ordinal));
        return long.Parse(line["RssAnon:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
    }

    private static long Median(List<long> values) => values.Order().ElementAt(values.Count / 2);

    private static double Kb(long bytes) => bytes / 1024.0;

    [GeneratedRegex("""^ciliumdash_connected_clients\{kind="blazor"\} (\d+)""", RegexOptions.Multiline)]
    private static partial Regex BlazorClients();

    [GeneratedRegex("""^ciliumdash_flows_evicted_total(?:\{\})? (\d+)""", RegexOptions.Multiline)]
    private static partial Regex FlowsEvicted();

    [GeneratedRegex(@"^\s*([\d,]+)\s+GC Heap bytes", RegexOptions.Multiline)]
    private static partial Regex GcHeapBytes();

    private sealed record Reading(int Circuits, long Rss, long Anon, double Cpu, long Heap);
}
