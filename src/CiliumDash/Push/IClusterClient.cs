using System.Text.Json;

namespace CiliumDash.Push;

/// <summary>
/// What the hub sends: the topic's full state first, then newer states. Payloads are the REST API's JSON shapes;
/// for <c>flows</c> each <c>Changed</c> carries only the flows that arrived since the previous push.
/// </summary>
public interface IClusterClient
{
    Task Snapshot(string topic, JsonElement payload);

    Task Changed(string topic, JsonElement payload);
}
