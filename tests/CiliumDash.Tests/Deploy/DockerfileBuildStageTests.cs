using System.Collections;
using System.Text.RegularExpressions;

namespace CiliumDash.Tests.Deploy;

/// <summary>
/// The Dockerfile's build stage replayed on this machine, instruction by instruction, without a container engine:
/// WORKDIR is a temporary folder, COPY copies from the repository (leaving out bin/ and obj/, as .dockerignore does),
/// RUN runs in sh there with the stage's absolute output folders (<c>-o /app</c>) moved under it. What only an image
/// build sees shows up here: its restore reads the project files alone, before any source is copied, and that decides
/// which packages exist. (Found by building the image with podman: the SDK adds the package that carries
/// blazor.web.js only when it sees .razor files, so the image served no Blazor script and no page was live.)
/// </summary>
[Collection(DockerfileBuildStageTests.Alone)]
public sealed partial class DockerfileBuildStageTests : IDisposable
{
    /// <summary>A restore and two publishes take both cores for half a minute: run alone, not under the socket tests.</summary>
    public const string Alone = "Dockerfile build stage, alone";

    private readonly string _work = Path.Combine(Path.GetTempPath(), $"ciliumdash-dockerfile-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_work))
        {
            Directory.Delete(_work, recursive: true);
        }
    }

    [Fact]
    public async Task BuildStage_ReplayedWithoutAnEngine_PublishesTheBlazorScriptAndTheAssets()
    {
        var build = (await DockerfileText.StagesAsync()).Single(s => s.Name == "build").Lines;
        var workdir = _work;
        foreach (var line in build.Skip(1))
        {
            var (instruction, rest) = (line[..line.IndexOf(' ', StringComparison.Ordinal)], line[(line.IndexOf(' ', StringComparison.Ordinal) + 1)..]);
            switch (instruction)
            {
                case "WORKDIR":
                    workdir = Path.Combine(_work, rest.TrimStart('/'));
                    Directory.CreateDirectory(workdir);
                    break;
                case "COPY":
                    Copy(rest.Split(' ', StringSplitOptions.RemoveEmptyEntries), workdir);
                    break;
                case "RUN":
                    var command = OutputFolder().Replace(rest, m => $"-o {Path.Combine(_work, "out")}/");
                    await Sdk.RunOkAsync(workdir, "-c", command);
                    break;
                default:
                    throw new InvalidOperationException($"the build stage has an instruction this replay does not know: {line}");
            }
        }

        var app = Path.Combine(_work, "out", "app");
        Assert.True(new FileInfo(Path.Combine(app, "wwwroot", "_framework", "blazor.web.js")) is { Exists: true, Length: > 0 }, "the image has no _framework/blazor.web.js");
        var endpoints = await File.ReadAllTextAsync(Path.Combine(app, "CiliumDash.staticwebassets.endpoints.json"));
        Assert.Contains("\"Route\":\"_framework/blazor.web.js\"", endpoints, StringComparison.Ordinal);
        Assert.Contains("\"Route\":\"css/app.css\"", endpoints, StringComparison.Ordinal);
        Assert.True(new FileInfo(Path.Combine(app, "wwwroot", "css", "app.css")) is { Exists: true, Length: > 0 });
        Assert.True(File.Exists(Path.Combine(_work, "out", "simulator", "CiliumDash.Simulator.dll")));
    }

    /// <summary>
    /// dotnet as a child of `dotnet test`: MSBuild's variables from the test run are dropped, and no build server or
    /// node outlives the command (they would hold its output open).
    /// </summary>
    private static ExternalTool Sdk
    {
        get
        {
            var environment = Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
                .Select(e => (string)e.Key)
                .Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase))
                .ToDictionary(k => k, _ => (string?)null);
            environment["MSBUILDDISABLENODEREUSE"] = "1";
            environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "false";
            environment["UseSharedCompilation"] = "false";
            environment["UseRazorBuildServer"] = "false";
            environment["DOTNET_NOLOGO"] = "1";
            return ExternalTool.Shell.With(TimeSpan.FromMinutes(10), environment);
        }
    }

    private static void Copy(string[] arguments, string workdir)
    {
        var destination = Path.Combine(workdir, arguments[^1]);
        foreach (var source in arguments[..^1].Select(a => Path.Combine(RepoPaths.Root, a)))
        {
            if (Directory.Exists(source))
            {
                CopyTree(new DirectoryInfo(source), destination);
            }
            else
            {
                Directory.CreateDirectory(destination);
                File.Copy(source, Path.Combine(destination, Path.GetFileName(source)), overwrite: true);
            }
        }
    }

    private static void CopyTree(DirectoryInfo source, string destination)
    {
        Directory.CreateDirectory(destination);
        foreach (var file in source.EnumerateFiles())
        {
            file.CopyTo(Path.Combine(destination, file.Name), overwrite: true);
        }

        foreach (var dir in source.EnumerateDirectories().Where(d => d.Name is not ("bin" or "obj")))
        {
            CopyTree(dir, Path.Combine(destination, dir.Name));
        }
    }

    [GeneratedRegex(@"-o /(?=\w)")]
    private static partial Regex OutputFolder();
}

[CollectionDefinition(DockerfileBuildStageTests.Alone, DisableParallelization = true)]
public sealed class DockerfileBuildStageCollection;
