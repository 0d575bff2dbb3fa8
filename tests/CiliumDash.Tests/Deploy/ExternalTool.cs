using System.Diagnostics;

namespace CiliumDash.Tests.Deploy;

/// <summary>The output of one run of a command-line tool.</summary>
internal sealed record ToolRun(int ExitCode, string StandardOutput, string StandardError)
{
    public string Describe(string command) => $"{command} exited {ExitCode}\n--- stderr ---\n{StandardError}\n--- stdout ---\n{StandardOutput}";
}

/// <summary>
/// A tool the tests run (helm, kubectl, docker-compose, sh). A missing tool fails the test with how to install it:
/// these tests run in CI and are never skipped. Tools are found on PATH (deploy/ci/install-tools.sh installs into
/// /usr/local/bin), or where an environment variable points, never at a fixed path.
/// </summary>
internal sealed class ExternalTool
{
    private readonly string _path;
    private readonly string _name;
    private readonly TimeSpan _timeout;
    private readonly IReadOnlyDictionary<string, string?> _environment;

    private ExternalTool(string name, string path, TimeSpan? timeout = null, IReadOnlyDictionary<string, string?>? environment = null)
    {
        _name = name;
        _path = path;
        _timeout = timeout ?? TimeSpan.FromMinutes(2);
        _environment = environment ?? new Dictionary<string, string?>();
    }

    /// <summary>helm from $HELM, else from PATH.</summary>
    public static ExternalTool Helm => Find("helm", "HELM");

    /// <summary>kubectl from $KUBECTL, else from PATH (install-tools.sh puts the pinned one in /usr/local/bin).</summary>
    public static ExternalTool Kubectl => Find("kubectl", "KUBECTL");

    /// <summary>docker-compose (Debian's package) from $DOCKER_COMPOSE, else from PATH.</summary>
    public static ExternalTool DockerCompose => Find("docker-compose", "DOCKER_COMPOSE");

    /// <summary>bash from PATH, for the repository's scripts (deploy/ci).</summary>
    public static ExternalTool Bash => Find("bash", "BASH_EXECUTABLE");

    /// <summary>Debian's promtool (package prometheus) from $PROMTOOL, else from PATH.</summary>
    public static ExternalTool Promtool => Find("promtool", "PROMTOOL");

    /// <summary>Debian's prometheus from $PROMETHEUS, else from PATH.</summary>
    public static ExternalTool Prometheus => Find("prometheus", "PROMETHEUS");

    /// <summary>Debian's prometheus-alertmanager from $ALERTMANAGER, else from PATH.</summary>
    public static ExternalTool Alertmanager => Find("prometheus-alertmanager", "ALERTMANAGER");

    /// <summary>/bin/sh, for a Dockerfile's RUN lines.</summary>
    public static ExternalTool Shell => new("sh", "/bin/sh");

    /// <summary>The executable this tool runs.</summary>
    public string Path => _path;

    /// <summary>The same tool with another time limit and these environment changes (a null value removes a variable).</summary>
    public ExternalTool With(TimeSpan timeout, IReadOnlyDictionary<string, string?> environment) => new(_name, _path, timeout, environment);

    public async Task<ToolRun> RunAsync(string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo(_path)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in _environment)
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {_path}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(_timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{_name} {string.Join(' ', args)} did not finish in {_timeout.TotalSeconds:0}s");
        }

        return new ToolRun(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Runs and fails with the tool's own output unless it exits 0.</summary>
    public async Task<string> RunOkAsync(string workingDirectory, params string[] args)
    {
        var run = await RunAsync(workingDirectory, args);
        Assert.True(run.ExitCode == 0, run.Describe($"{_name} {string.Join(' ', args)}"));
        return run.StandardOutput;
    }

    private static ExternalTool Find(string name, string variable)
    {
        var configured = Environment.GetEnvironmentVariable(variable);
        if (!string.IsNullOrEmpty(configured))
        {
            return File.Exists(configured)
                ? new ExternalTool(name, configured)
                : throw new InvalidOperationException($"${variable} is set to '{configured}', which does not exist");
        }

        var onPath = FindOnPath(name, Environment.GetEnvironmentVariable("PATH"));
        return onPath is not null
            ? new ExternalTool(name, onPath)
            : throw new InvalidOperationException(
                $"{name} is not installed: the deployment tests need it. Run `bash deploy/ci/install-tools.sh` (as root), " +
                $"or set ${variable} to its path.");
    }

    /// <summary>The first executable file called <paramref name="name"/> in the directories of <paramref name="path"/>, as a shell finds it.</summary>
    public static string? FindOnPath(string name, string? path) =>
        (path ?? "")
            .Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => System.IO.Path.Combine(dir, name))
            .FirstOrDefault(IsExecutableFile);

    private static bool IsExecutableFile(string file) =>
        File.Exists(file) && (OperatingSystem.IsWindows() || (File.GetUnixFileMode(file) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0);
}
