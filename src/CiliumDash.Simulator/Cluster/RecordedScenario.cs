namespace CiliumDash.Simulator.Cluster;

/// <summary>
/// A recorded cluster: <c>nodes/&lt;node&gt;/status.json</c> (cilium-dbg status -o json),
/// <c>nodes/&lt;node&gt;/health.json</c> (cilium-health status -o json) and <c>flows.jsonl</c> (hubble observe -o json).
/// Documents are served verbatim, so a support engineer sees exactly what the customer captured.
/// </summary>
internal sealed class RecordedScenario
{
    private readonly string _nodesDir;

    private RecordedScenario(string directory, IReadOnlyList<string> nodeNames)
    {
        Directory = directory;
        _nodesDir = Path.Combine(directory, "nodes");
        NodeNames = nodeNames;
    }

    public string Directory { get; }

    public IReadOnlyList<string> NodeNames { get; }

    public string FlowsPath => Path.Combine(Directory, "flows.jsonl");

    public static RecordedScenario Load(string directory)
    {
        var nodesDir = Path.Combine(directory, "nodes");
        if (!System.IO.Directory.Exists(nodesDir))
        {
            throw new DirectoryNotFoundException($"Scenario folder {directory} has no nodes/ folder (expected nodes/<node>/status.json).");
        }

        var names = System.IO.Directory.GetDirectories(nodesDir)
            .Select(Path.GetFileName)
            .OfType<string>()
            .Order(StringComparer.Ordinal)
            .ToList();
        if (names.Count == 0)
        {
            throw new InvalidDataException($"Scenario folder {nodesDir} contains no node folders.");
        }

        return new RecordedScenario(directory, names);
    }

    /// <summary>The recorded document, or null when this node has none (then the node answers with an error).</summary>
    public string? StatusJson(string node) => ReadOrNull(Path.Combine(_nodesDir, node, "status.json"));

    public string? HealthJson(string node) => ReadOrNull(Path.Combine(_nodesDir, node, "health.json"));

    private static string? ReadOrNull(string path) => File.Exists(path) ? File.ReadAllText(path) : null;
}
