using System.Text.Json.Nodes;

namespace CiliumDash.Tests.Deploy;

/// <summary>docker-compose.yml as Docker Compose resolves it (<c>docker-compose config</c>; no engine needed).</summary>
internal static class ComposeFile
{
    public static async Task<JsonObject> ServicesAsync()
    {
        var config = await ExternalTool.DockerCompose.RunOkAsync(RepoPaths.Root, "-f", "docker-compose.yml", "config");
        return YamlDocuments.Parse(config).Single()["services"]!.AsObject();
    }
}
