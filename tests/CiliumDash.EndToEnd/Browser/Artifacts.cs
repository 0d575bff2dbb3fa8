namespace CiliumDash.EndToEnd.Browser;

/// <summary>Where screenshots go: the README's image in the repository, the rest next to the test assembly.</summary>
public static class Artifacts
{
    /// <summary>docs/images/ of the repository this test assembly was built from.</summary>
    public static string DocsImages => Directory.CreateDirectory(Path.Combine(RepoRoot(), "docs", "images")).FullName;

    /// <summary>A screenshots/ folder in the test output, for looking at pages after a run.</summary>
    public static string Screenshots => Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots")).FullName;

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CiliumDash.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no CiliumDash.sln above {AppContext.BaseDirectory}: the tests must run from a build inside the repository");
    }
}
