using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using CiliumDash.Shared;

namespace CiliumDash.Contract;

/// <summary>
/// The one JSON configuration of the REST API and the SignalR hub: camelCase names, RFC 3339 UTC times
/// (<see cref="UtcTimeConverter"/>), nulls written, and the contract's types from the source-generated
/// <see cref="ApiJsonContext"/>. REST (ConfigureHttpJsonOptions), the hub (AddJsonProtocol) and the hub's
/// pre-serialized payloads (<see cref="Options"/>) all call <see cref="Configure"/>, so a payload reads the same
/// wherever it is read.
/// </summary>
public static class ApiJson
{
    /// <summary>The configured options, read-only: for payloads serialized once and sent to many (the hub's topics).</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>A payload serialized with <see cref="Options"/>, to send as it is to many clients.</summary>
    public static JsonElement ToElement<T>(T value) => JsonSerializer.SerializeToElement(value, (JsonTypeInfo<T>)Options.GetTypeInfo(typeof(T)));

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.PropertyNameCaseInsensitive = true;
        options.NumberHandling = JsonNumberHandling.AllowReadingFromString;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        if (!options.Converters.OfType<UtcTimeConverter>().Any())
        {
            options.Converters.Add(new UtcTimeConverter());
        }

        // The contract's types come from the generated context. Reflection stays behind it only for bodies outside
        // the contract that are not REST resources (the anonymous /readyz body); tests check that every contract
        // type is answered by the context.
        options.TypeInfoResolverChain.Clear();
        options.TypeInfoResolverChain.Add(ApiJsonContext.Default);
        options.TypeInfoResolverChain.Add(new DefaultJsonTypeInfoResolver());
        return options;
    }

    private static JsonSerializerOptions CreateOptions()
    {
        var options = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));
        options.MakeReadOnly();
        return options;
    }
}

/// <summary>Source-generated metadata of every type the REST API and the hub send.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, Converters = [typeof(UtcTimeConverter)])]
[JsonSerializable(typeof(ClusterDto))]
[JsonSerializable(typeof(IReadOnlyList<NodeRowDto>))]
[JsonSerializable(typeof(NodeDetailDto))]
[JsonSerializable(typeof(IReadOnlyList<FailingControllerDto>))]
[JsonSerializable(typeof(IReadOnlyList<NodeBpfMapsDto>))]
[JsonSerializable(typeof(ConnectivityDto))]
[JsonSerializable(typeof(FlowListDto))]
[JsonSerializable(typeof(FlowSummaryDto))]
[JsonSerializable(typeof(EmbedLinkDto))]
[JsonSerializable(typeof(IReadOnlyList<FindingDto>))]
[JsonSerializable(typeof(ClusterEventsDto))]
[JsonSerializable(typeof(ServiceMapDto))]
[JsonSerializable(typeof(HistoryStatusDto))]
[JsonSerializable(typeof(NodeHistoryDto))]
[JsonSerializable(typeof(StoredFlowsDto))]
[JsonSerializable(typeof(FlowHistorySummaryDto))]
[JsonSerializable(typeof(List<FindingDto>))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(WebhookPayloadDto))]
[JsonSerializable(typeof(SlackMessageDto))]
public sealed partial class ApiJsonContext : JsonSerializerContext;
