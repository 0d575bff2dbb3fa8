using System.Net;
using System.Text.Json;
using CiliumDash.Protocols.Hubble.ObserverApi;
using CiliumDash.Simulator.Relay;
using CiliumDash.Testing;
using CiliumDash.Tests.Integration;
using CiliumDash.Tests.Protocols;

namespace CiliumDash.Tests.Flows.Integration;

/// <summary>The real captures replayed by the simulator's relay, read back through the dashboard's REST API.</summary>
#pragma warning disable CA1001 // xunit disposes the fields in IAsyncLifetime.DisposeAsync, which the rule does not see
public sealed class FlowsApiReplayTests : IAsyncLifetime
#pragma warning restore CA1001
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "ciliumdash-flows-" + Guid.NewGuid().ToString("N"));
    private DashboardServer _server = null!;
    private HttpClient _client = null!;
    private int _fixtureFlows;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "nodes", "fedora"));
        var lines = FlowFixtures.Files().SelectMany(f => File.ReadAllLines(FlowFixtures.PathOf(f))).Where(l => l.Trim().Length > 0).ToArray();
        _fixtureFlows = lines.Length;
        await File.WriteAllLinesAsync(Path.Combine(_dir, "flows.jsonl"), lines);
        _server = new DashboardServer(new Dictionary<string, string?> { ["CiliumDash:Simulator:Scenario"] = _dir });
        _client = _server.CreateLoopbackClient();
        await Api.WaitForAsync(_client, "/api/v1/flows", j => j.GetProperty("total").GetInt32() == _fixtureFlows, "every replayed flow in the window");
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Flows_ReplayedCaptures_VerdictsAndFieldsAsCaptured()
    {
        var json = await Api.GetAsync(_client, "/api/v1/flows?verdict=DROPPED");

        var dropped = json.GetProperty("flows").EnumerateArray().ToList();
        Assert.NotEmpty(dropped);
        Assert.All(dropped, f => Assert.Equal("DROPPED", f.GetProperty("verdict").GetString()));
        var denied = dropped.First(f => f.GetProperty("dropReason").GetString() == "POLICY_DENIED");
        Assert.Equal("TCP", denied.GetProperty("l4").GetProperty("protocol").GetString());
        Assert.Equal(80, denied.GetProperty("l4").GetProperty("destinationPort").GetInt32());
        Api.AssertUtcTime(denied.GetProperty("time"));
        Api.AssertCamelCase(denied.GetProperty("source"));
    }

    [Fact]
    public async Task Flows_HttpFilter_OnlyL7HttpFlows()
    {
        var json = await Api.GetAsync(_client, "/api/v1/flows?protocol=http");

        var flows = json.GetProperty("flows").EnumerateArray().ToList();
        Assert.Equal(5, flows.Count);
        Assert.All(flows, f => Assert.Equal("HTTP", f.GetProperty("l4").GetProperty("protocol").GetString()));
        Assert.Equal("hubble observe --protocol http", json.GetProperty("hubble").GetString());
    }

    [Fact]
    public async Task Flows_LimitAndNegation_CountsAllMatches()
    {
        var json = await Api.GetAsync(_client, "/api/v1/flows?not-protocol=icmp&limit=3");

        Assert.Equal(3, json.GetProperty("returned").GetInt32());
        var icmp = FlowFixtures.Files().SelectMany(f => FlowJsonLines.Read(new StringReader(File.ReadAllText(FlowFixtures.PathOf(f)))))
            .Count(r => r.Flow?.L4 is { ICMPv4: not null } or { ICMPv6: not null });
        Assert.Equal(_fixtureFlows - icmp, json.GetProperty("total").GetInt32());
    }

    [Theory]
    [InlineData("/api/v1/flows?to-port=eighty", "to-port")]
    [InlineData("/api/v1/flows?colour=red", "colour")]
    [InlineData("/api/v1/flows?http-path=%28%5B", "http-path")]
    [InlineData("/api/v1/flows/summary?verdict=NOPE", "verdict")]
    [InlineData("/api/v1/flows?source=disk", "source")]
    public async Task Flows_MalformedFilter_400NamingThePart(string path, string part)
    {
        using var response = await _client.GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(part, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_Jsonl_ReadsBackAsTheSameFlows()
    {
        var jsonl = await _client.GetStringAsync("/api/v1/flows?format=jsonl&limit=10000");

        var exported = FlowJsonLines.Read(new StringReader(jsonl)).ToList();
        var captured = FlowFixtures.Files().SelectMany(f => FlowJsonLines.Read(new StringReader(File.ReadAllText(FlowFixtures.PathOf(f))))).ToList();
        Assert.Equal(captured.Count, exported.Count);
        // Newest first in the export; the same set of flows, every field intact.
        Assert.Equal(captured.Select(c => c.Flow.ToString()).Order(), exported.Select(e => e.Flow.ToString()).Order());
    }

    [Fact]
    public async Task Export_JsonlReplayed_RoundTripsThroughTheSimulator()
    {
        var jsonl = await _client.GetStringAsync("/api/v1/flows?format=jsonl&verdict=DROPPED");
        var dir = Path.Combine(_dir, "again");
        Directory.CreateDirectory(Path.Combine(dir, "nodes", "fedora"));
        await File.WriteAllTextAsync(Path.Combine(dir, "flows.jsonl"), jsonl);
        await using var again = new DashboardServer(new Dictionary<string, string?> { ["CiliumDash:Simulator:Scenario"] = dir });
        using var client = again.CreateLoopbackClient();
        var expected = JsonDocument.Parse(await _client.GetStringAsync("/api/v1/flows?verdict=DROPPED")).RootElement.GetProperty("total").GetInt32();

        var json = await Api.WaitForAsync(client, "/api/v1/flows", j => j.GetProperty("total").GetInt32() == expected, "the re-replayed drops");

        Assert.All(json.GetProperty("flows").EnumerateArray(), f => Assert.Equal("DROPPED", f.GetProperty("verdict").GetString()));
    }

    [Fact]
    public async Task Export_Csv_HeaderAndOneLinePerFlow()
    {
        var csv = await _client.GetStringAsync("/api/v1/flows?format=csv&protocol=dns");

        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("time,uuid,node,verdict", lines[0], StringComparison.Ordinal);
        Assert.Equal(5, lines.Length - 1);
    }

    [Fact]
    public async Task Summary_ReplayedCaptures_CountsByVerdictAndNamespace()
    {
        var json = await Api.GetAsync(_client, "/api/v1/flows/summary");

        var verdicts = json.GetProperty("verdicts").EnumerateArray().ToDictionary(v => v.GetProperty("name").GetString()!, v => v.GetProperty("count").GetInt64());
        Assert.Equal(_fixtureFlows, verdicts.Values.Sum());
        Assert.True(verdicts["DROPPED"] > 0);
        Assert.NotEmpty(json.GetProperty("namespaces").EnumerateArray());
        Assert.NotEmpty(json.GetProperty("topTalkers").EnumerateArray());
    }
}
