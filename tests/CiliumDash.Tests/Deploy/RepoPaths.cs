namespace CiliumDash.Tests.Deploy;

/// <summary>Paths in the repository the tests run from (found by walking up to CiliumDash.sln).</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Chart => Path.Combine(Root, "deploy", "helm", "ciliumdash");

    public static string AllEnabledValues => Path.Combine(Chart, "ci", "all-enabled-values.yaml");

    public static string Dockerfile => Path.Combine(Root, "Dockerfile");

    public static string InstallToolsScript => Path.Combine(Root, "deploy", "ci", "install-tools.sh");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CiliumDash.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"CiliumDash.sln not found above {AppContext.BaseDirectory}");
    }
}
