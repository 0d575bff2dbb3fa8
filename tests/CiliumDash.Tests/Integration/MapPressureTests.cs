using System.Text.Json;
using CiliumDash.Testing;

namespace CiliumDash.Tests.Integration;

/// <summary>
/// Map pressure through the real path: exec over the Kubernetes stand-in into the 1.12-shaped simulator (no
/// cilium-dbg, so the legacy <c>cilium metrics list</c> fallback runs), the poller, the store and the REST API.
/// </summary>
public sealed class MapPressureTests : IClassFixture<MapPressureTests.Server>
{
    private readonly Server _server;

    public MapPressureTests(Server server) => _server = server;

    private static JsonElement? Pressure(JsonElement node) =>
        node.GetProperty("bpfMaps") is { ValueKind: JsonValueKind.Object } maps && maps.GetProperty("pressure") is { ValueKind: JsonValueKind.Array } p ? p : null;

    private static double Ratio(JsonElement pressure, string map) =>
        pressure.EnumerateArray().Single(e => e.GetProperty("map").GetString() == map).GetProperty("ratio").GetDouble();

    [Fact]
    public async Task NodeApi_FaultNode_MapsOver80WithRatiosOtherNodeBelow()
    {
        using var client = _server.Dashboard.CreateLoopbackClient();

        // The fault is switched on just after start; with the 10 s minimum interval the second read at the latest sees it.
        var knode1 = await Api.WaitForAsync(client, "/api/v1/nodes/knode1",
            n => Pressure(n) is { } p && p.EnumerateArray().Any(e => e.GetProperty("map").GetString() == "cilium_ct4_global" && e.GetProperty("ratio").GetDouble() > 0.9),
            "cilium_ct4_global over 90 % on knode1", TimeSpan.FromSeconds(30));
        var fedora = await Api.WaitForAsync(client, "/api/v1/nodes/fedora", n => Pressure(n) is not null, "map pressure on fedora");

        var pressure = Pressure(knode1)!.Value;
        Assert.Equal(0.93, Ratio(pressure, "cilium_ct4_global"));
        Assert.Equal(0.86, Ratio(pressure, "cilium_snat_v4_external"));
        Assert.Equal(JsonValueKind.Null, knode1.GetProperty("bpfMaps").GetProperty("pressureError").ValueKind);
        Assert.All(Pressure(fedora)!.Value.EnumerateArray(), e => Assert.InRange(e.GetProperty("ratio").GetDouble(), 0, 0.8));
        Assert.Null(Api.Error(knode1));
    }

    [Fact]
    public async Task NodeApi_FaultNode_StatusStillOkMapPressureIsOnlyAWarning()
    {
        using var client = _server.Dashboard.CreateLoopbackClient();
        await Api.WaitForAsync(client, "/api/v1/nodes/knode1", n => Pressure(n) is { } p && Ratio(p, "cilium_ct4_global") > 0.9,
            "cilium_ct4_global over 90 % on knode1", TimeSpan.FromSeconds(30));

        var nodes = await Api.GetAsync(client, "/api/v1/nodes");

        var knode1 = Api.Node(nodes, "knode1");
        Assert.Equal("Ok", knode1.GetProperty("state").GetString());
        Assert.False(knode1.GetProperty("stale").GetBoolean());
    }

    public sealed class Server : IDisposable
    {
        public Server()
        {
            Dashboard = new DashboardServer(new Dictionary<string, string?> { ["CiliumDash:Kubernetes:MetricsInterval"] = "00:00:10" });
            Dashboard.Simulator.Faults.MapPressureNodes = new HashSet<string> { "knode1" };
        }

        public DashboardServer Dashboard { get; }

        public void Dispose() => Dashboard.Dispose();
    }
}
