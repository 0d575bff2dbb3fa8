namespace CiliumDash.Tests.Protocols;

/// <summary>The captured hubble JSON lines under Fixtures/flows (see SOURCES.md there).</summary>
internal static class FlowFixtures
{
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "Fixtures", "flows");

    public static string PathOf(string file) => Path.Combine(Directory, file);

    public static IEnumerable<string> Files() =>
        System.IO.Directory.GetFiles(Directory, "*.jsonl").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal);

    /// <summary>(file, 1-based line number, line) for every non-blank line of every fixture.</summary>
    public static IEnumerable<(string File, int Line, string Json)> Lines() =>
        Files().SelectMany(f => File.ReadAllLines(PathOf(f))
            .Select((json, i) => (f, i + 1, json))
            .Where(l => !string.IsNullOrWhiteSpace(l.json)));

    public static string Line(string file, int line) => File.ReadAllLines(PathOf(file))[line - 1];
}
