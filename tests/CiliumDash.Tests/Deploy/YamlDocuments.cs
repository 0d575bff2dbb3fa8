using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace CiliumDash.Tests.Deploy;

/// <summary>
/// Multi-document YAML (helm template, docker-compose config) as JSON nodes, so assertions read like paths.
/// Scalars stay strings: the tests compare what the manifests say, not what a YAML type resolver makes of it.
/// (YamlDotNet comes with KubernetesClient.)
/// </summary>
internal static class YamlDocuments
{
    public static IReadOnlyList<JsonObject> Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents
            .Select(d => ToJson(d.RootNode))
            .OfType<JsonObject>()
            .ToList();
    }

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value!, ToJson(c.Value)))),
        YamlSequenceNode seq => new JsonArray(seq.Children.Select(ToJson).ToArray()),
        YamlScalarNode { Value: null or "" or "~" or "null", Style: YamlDotNet.Core.ScalarStyle.Plain } => null,
        YamlScalarNode scalar => JsonValue.Create(scalar.Value),
        _ => throw new FormatException($"unexpected YAML node {node.NodeType} at {node.Start}"),
    };
}
