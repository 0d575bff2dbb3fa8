using System.Text.Json;
using CiliumDash.Flows;
using CiliumDash.Testing;
using CiliumDash.Tests.Integration;
using Microsoft.Extensions.DependencyInjection;

namespace CiliumDash.Tests.Flows.Integration;

public sealed class RelayReconnectTests
{
    [Fact]
    public async Task RelayCutsTheStream_Reconnects_NoDuplicatesInTheWindow()
    {
        await using var server = new DashboardServer(new Dictionary<string, string?> { ["CiliumDash:Simulator:FlowsPerSecond"] = "200" });
        using var client = server.CreateLoopbackClient();
        var store = server.Services.GetRequiredService<FlowStore>();
        await Api.WaitForAsync(client, "/api/v1/flows?limit=1", j => j.GetProperty("total").GetInt32() > 0, "first flows");

        server.Simulator.Faults.RelayCutEverySeconds = 1;
        // Each reconnect asks for a backfill that overlaps what the window already holds.
        await Eventually.Value(() => Task.FromResult(store.Duplicates > 0 ? new object() : null), "a reconnect that replayed known flows", TimeSpan.FromSeconds(30));
        server.Simulator.Faults.RelayCutEverySeconds = 0;

        var json = await Api.GetAsync(client, "/api/v1/flows?limit=10000");
        var uuids = json.GetProperty("flows").EnumerateArray().Select(f => f.GetProperty("uuid").GetString()).ToList();
        Assert.Equal(uuids.Count, uuids.Distinct().Count());
        Assert.Equal(json.GetProperty("total").GetInt32(), uuids.Count);
    }
}
