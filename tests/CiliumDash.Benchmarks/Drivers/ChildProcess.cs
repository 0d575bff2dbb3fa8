using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace CiliumDash.Benchmarks.Drivers;

/// <summary>
/// A built program (simulator, dashboard) run as its own process, so its CPU and memory are its own and the
/// driver's measurements do not share a process with it. Output goes to a log file next to the driver's temp files.
/// </summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;

    private ChildProcess(Process process, string log, StreamWriter writer)
    {
        _process = process;
        _log = writer;
        Log = log;
    }

    public int Id => _process.Id;

    public string Log { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>The repository root, found from the driver's own location (tests/CiliumDash.Benchmarks/bin/...).</summary>
    public static string RepoRoot { get; } = FindRoot();

    public static ChildProcess Start(string name, string dll, IEnumerable<string> args, string workDir)
    {
        var path = Path.Combine(RepoRoot, dll);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path} is not built: run `dotnet build -c Release tests/CiliumDash.Benchmarks` first", path);
        }

        var log = Path.Combine(workDir, name + ".log");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = RepoRoot };
        info.ArgumentList.Add(path);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {name}");
        var writer = new StreamWriter(log) { AutoFlush = true };
        var gate = new Lock();
        process.OutputDataReceived += (_, e) => Write(e.Data);
        process.ErrorDataReceived += (_, e) => Write(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ChildProcess(process, log, writer);

        void Write(string? line)
        {
            if (line is not null)
            {
                lock (gate)
                {
                    writer.WriteLine(line);
                }
            }
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>CPU time (user + system, all threads) and resident memory, from /proc.</summary>
    public ProcSample Sample()
    {
        var stat = File.ReadAllText($"/proc/{Id}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // After the command name: state is field 3, utime 14 and stime 15 (man 5 proc), in clock ticks of 1/100 s.
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        var rss = File.ReadLines($"/proc/{Id}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        var kb = long.Parse(rss["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        return new ProcSample(Stopwatch.GetTimestamp(), TimeSpan.FromMilliseconds(ticks * 10), kb * 1024);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        // Waiting for the exit also waits for the redirected output to end, so nothing writes to the log any more.
        _process.Dispose();
        await _log.DisposeAsync();
    }

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "CiliumDash.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("run the driver from its build output inside the repository");
    }
}

internal readonly record struct ProcSample(long Timestamp, TimeSpan Cpu, long Rss)
{
    /// <summary>Share of one core used between two samples.</summary>
    public static double CoreShare(ProcSample start, ProcSample end) => (end.Cpu - start.Cpu) / Stopwatch.GetElapsedTime(start.Timestamp, end.Timestamp);
}
