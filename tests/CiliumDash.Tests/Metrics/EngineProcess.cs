using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using CiliumDash.Testing;

namespace CiliumDash.Tests.Metrics;

/// <summary>
/// A real server binary (Prometheus, Alertmanager) run by a test on a loopback port with its files in a temporary
/// folder; killed with its process tree and the folder removed on disposal. Its output is kept for failure messages.
/// </summary>
internal sealed class EngineProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Lock _gate = new();

    private EngineProcess(string name, Process process, int port, string folder)
    {
        Name = name;
        _process = process;
        Port = port;
        Folder = folder;
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(10) };
    }

    public string Name { get; }

    public int Port { get; }

    public string Folder { get; }

    public HttpClient Client { get; }

    public string Output
    {
        get
        {
            lock (_gate)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>A free loopback port (the OS picks it; the listener is closed again before the server binds).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Starts <paramref name="path"/> with the arguments <paramref name="args"/> builds from (folder, port), waits for /-/ready.</summary>
    public static async Task<EngineProcess> StartAsync(string name, string path, string folder, int port, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = folder };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"{path} did not start");
        var engine = new EngineProcess(name, process, port, folder);
        process.OutputDataReceived += (_, e) => engine.Append(e.Data);
        process.ErrorDataReceived += (_, e) => engine.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await Eventually.True(async () =>
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"{name} exited with {process.ExitCode}:\n{engine.Output}");
                }

                using var ready = await engine.Client.GetAsync("-/ready");
                return ready.IsSuccessStatusCode;
            }, $"{name} ready on 127.0.0.1:{port}", TimeSpan.FromSeconds(60));
        }
        catch
        {
            await engine.DisposeAsync();
            throw;
        }

        return engine;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            // The last lines are what explains a failure; a chatty run must not grow without end.
            if (_output.Length > 64_000)
            {
                _output.Remove(0, 32_000);
            }

            _output.AppendLine(line);
        }
    }
}
