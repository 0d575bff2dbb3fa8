namespace CiliumDash.Tests.Deploy;

/// <summary>The repository's Dockerfile read as instructions, for tests that check it without a container engine.</summary>
internal static class DockerfileText
{
    public static async Task<List<(string Name, List<string> Lines)>> StagesAsync() =>
        Stages(await File.ReadAllLinesAsync(RepoPaths.Dockerfile));

    /// <summary>The Dockerfile's stages by name, each with its instruction lines (continuations joined).</summary>
    private static List<(string Name, List<string> Lines)> Stages(IEnumerable<string> dockerfile)
    {
        var stages = new List<(string Name, List<string> Lines)>();
        var pending = "";
        foreach (var raw in dockerfile.Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')))
        {
            if (raw.EndsWith('\\'))
            {
                pending += raw[..^1].Trim() + " ";
                continue;
            }

            var line = pending + raw;
            pending = "";
            if (line.StartsWith("FROM ", StringComparison.Ordinal))
            {
                stages.Add((line.Split(" AS ", StringSplitOptions.TrimEntries) is [_, var stage] ? stage : "", []));
            }

            stages[^1].Lines.Add(line);
        }

        return stages;
    }
}
