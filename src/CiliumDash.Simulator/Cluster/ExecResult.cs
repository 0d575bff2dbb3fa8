namespace CiliumDash.Simulator.Cluster;

/// <summary>What a command exec'd into an agent container produced.</summary>
/// <param name="StartFailure">set when the process could not start at all (binary not in the image); Kubernetes
/// reports that as a Failure status rather than an exit code.</param>
public sealed record ExecResult(int ExitCode, string Stdout, string Stderr, string? StartFailure = null)
{
    public static ExecResult Ok(string stdout) => new(0, stdout, "");

    public static ExecResult NotFound(string binary) =>
        new(127, "", "", $"OCI runtime exec failed: exec failed: unable to start container process: exec: \"{binary}\": executable file not found in $PATH: unknown");
}
