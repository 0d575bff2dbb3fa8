using Microsoft.Playwright;

namespace CiliumDash.Benchmarks.Drivers;

/// <summary>The real dashboard app as its own process on the standalone simulator, and the headless Chromium that drives it.</summary>
internal sealed class DashboardProcess : IAsyncDisposable
{
    private const string Dll = "src/CiliumDash/bin/Release/net10.0/CiliumDash.dll";

    private DashboardProcess(ChildProcess process, Uri baseUrl)
    {
        Process = process;
        BaseUrl = baseUrl;
    }

    public ChildProcess Process { get; }

    public Uri BaseUrl { get; }

    public static DashboardProcess Start(SimulatorProcess sim, string workDir)
    {
        var baseUrl = new Uri($"http://127.0.0.1:{ChildProcess.FreePort()}/");
        var process = ChildProcess.Start("dashboard", Dll,
            ["--urls", baseUrl.ToString().TrimEnd('/'), "--CiliumDash:Source=Kubernetes", $"--CiliumDash:Kubernetes:Kubeconfig={sim.Kubeconfig}",
                $"--CiliumDash:Relay:Address={sim.RelayUrl.ToString().TrimEnd('/')}"], workDir);
        return new DashboardProcess(process, baseUrl);
    }

    /// <summary>Debian's Chromium with the end-to-end tests' flags.</summary>
    public static Task<IBrowser> LaunchChromiumAsync(IPlaywright playwright) =>
        playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
        });

    public ValueTask DisposeAsync() => Process.DisposeAsync();
}
