using System.Diagnostics;

namespace CiliumDash.Tests.Deploy;

/// <summary>The output of one run of a command-line tool.</summary>
internal sealed record ToolRun(int ExitCode, string StandardOutput, string StandardError)
{
    public string Describe(string command) => $"{command} exited {ExitCode}\n--- stderr ---\n{StandardError}\n--- stdout ---\n{StandardOutput}";
}

/// <summary>
/// A tool the deployment tests run (helm, docker-compose). A missing tool fails the test with how to install it:
/// these tests run in CI and are never skipped.
/// </summary>
internal sealed class ExternalTool
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);
    private readonly string _path;
    private readonly string _name;

    private ExternalTool(string name, string path)
    {
        _name = name;
        _path = path;
    }

    /// <summary>helm from $HELM, else from PATH.</summary>
    public static ExternalTool Helm => Find("helm", "HELM");

    /// <summary>docker-compose (Debian's package) from $DOCKER_COMPOSE, else from PATH.</summary>
    public static ExternalTool DockerCompose => Find("docker-compose", "DOCKER_COMPOSE");

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

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {_path}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{_name} {string.Join(' ', args)} did not finish in {Timeout.TotalSeconds:0}s");
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

        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
        return onPath is not null
            ? new ExternalTool(name, onPath)
            : throw new InvalidOperationException(
                $"{name} is not installed: the deployment tests need it. Run `bash deploy/ci/install-tools.sh` (as root), " +
                $"or set ${variable} to its path.");
    }
}
