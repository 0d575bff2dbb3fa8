using System.Net.Sockets;

namespace CiliumDash.Benchmarks.Drivers;

/// <summary>The standalone simulator on two free loopback ports, with its kubeconfig written for the dashboard.</summary>
internal sealed class SimulatorProcess : IAsyncDisposable
{
    public const string Dll = "src/CiliumDash.Simulator/bin/Release/net10.0/CiliumDash.Simulator.dll";

    private SimulatorProcess(ChildProcess process, int relayPort, string kubeconfig)
    {
        Process = process;
        RelayUrl = new Uri($"http://127.0.0.1:{relayPort}");
        Kubeconfig = kubeconfig;
    }

    public ChildProcess Process { get; }

    public Uri RelayUrl { get; }

    public string Kubeconfig { get; }

    /// <param name="extra">more simulator options (faults such as <c>--endpoint-unreachable</c>).</param>
    public static async Task<SimulatorProcess> StartAsync(double flowsPerSecond, int nodes, string workDir, IReadOnlyList<string>? extra = null)
    {
        var relay = ChildProcess.FreePort();
        var kube = ChildProcess.FreePort();
        var kubeconfig = Path.Combine(workDir, "kubeconfig");
        File.Delete(kubeconfig);
        var process = ChildProcess.Start("simulator", Dll,
            ["--relay-listen", $"127.0.0.1:{relay}", "--kube-listen", $"127.0.0.1:{kube}", "--flows-per-second", ((int)flowsPerSecond).ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--nodes", nodes.ToString(System.Globalization.CultureInfo.InvariantCulture), "--write-kubeconfig", kubeconfig, .. extra ?? []], workDir);
        var sim = new SimulatorProcess(process, relay, kubeconfig);
        await WaitAsync(() => File.Exists(kubeconfig) && Accepts(relay), process, "the simulator");
        return sim;
    }

    /// <summary>Polls until <paramref name="ready"/> holds; fails with the child's log if it exits or takes a minute.</summary>
    public static async Task WaitAsync(Func<bool> ready, ChildProcess process, string what)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(200));
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (!ready())
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"{what} did not come up; its output:\n{File.ReadAllText(process.Log)}");
            }

            await timer.WaitForNextTickAsync();
        }
    }

    public ValueTask DisposeAsync() => Process.DisposeAsync();

    public static bool Accepts(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
