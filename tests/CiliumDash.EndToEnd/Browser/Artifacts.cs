namespace CiliumDash.EndToEnd.Browser;

/// <summary>
/// Where screenshots go: a screenshots/ folder in the test output, for looking at pages after a run, or the folder named
/// by <see cref="DirectoryVariable"/>. Tests never write into the repository; docs/images/refresh.sh points the variable
/// at a temporary folder and copies the README's images from there.
/// </summary>
public static class Artifacts
{
    public const string DirectoryVariable = "CILIUMDASH_SCREENSHOT_DIR";

    public static string Screenshots => Directory.CreateDirectory(
        Environment.GetEnvironmentVariable(DirectoryVariable) is { Length: > 0 } dir
            ? Path.GetFullPath(dir)
            : Path.Combine(AppContext.BaseDirectory, "screenshots")).FullName;
}
