using CiliumDash.Flows;
using CiliumDash.Testing;
using CiliumDash.Tests.Integration;
using Microsoft.Extensions.DependencyInjection;

namespace CiliumDash.Tests.Flows;

/// <summary>The duplicate-stream warning (raised by FlowIngest, see FlowIngestTests) where scripts read the relay's state.</summary>
public sealed class FlowStreamWarningApiTests
{
    [Fact]
    public async Task StreamWarning_InFlowSummaryAndRelayState()
    {
        await using var dashboard = new DashboardServer();
        using var client = dashboard.CreateLoopbackClient();
        var store = dashboard.Services.GetRequiredService<FlowStore>();
        Assert.Null((await Api.GetAsync(client, "/api/v1/cluster")).GetProperty("relay").GetProperty("warning").GetString());

        store.SetStreamWarning(new FlowStreamWarning("hubble-relay has sent only flows already seen for 6 s", DateTimeOffset.UtcNow, 42));

        var summary = await Api.GetAsync(client, "/api/v1/flows/summary");
        Assert.Equal(42, summary.GetProperty("streamWarning").GetProperty("duplicates").GetInt64());
        var cluster = await Api.GetAsync(client, "/api/v1/cluster");
        Assert.Contains("only flows already seen", cluster.GetProperty("relay").GetProperty("warning").GetString(), StringComparison.Ordinal);
    }
}
