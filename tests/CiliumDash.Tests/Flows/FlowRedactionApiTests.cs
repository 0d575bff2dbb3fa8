using CiliumDash.Flows;
using CiliumDash.Simulator.Relay;
using CiliumDash.Testing;
using CiliumDash.Tests.Integration;
using Microsoft.Extensions.DependencyInjection;

namespace CiliumDash.Tests.Flows;

/// <summary>
/// An HTTP flow with credentials in its URL, query and headers, served by the relay stand-in (a replayed capture) and
/// read back through every output: the REST JSON, CSV and JSONL, a relay query and the drawer's data.
/// </summary>
public sealed class FlowRedactionApiTests
{
    private static readonly string[] Secrets = ["hunter2", "t0k3n"];

    [Fact]
    public async Task Flows_SecretsInL7_RedactedInEveryOutput()
    {
        await using var dashboard = await ServeAsync(redaction: null);

        foreach (var (what, text) in await OutputsAsync(dashboard))
        {
            foreach (var secret in Secrets)
            {
                Assert.False(text.Contains(secret, StringComparison.Ordinal), $"{what} shows \"{secret}\": {text}");
            }
        }

        var (_, jsonl) = (await OutputsAsync(dashboard)).First(o => o.What == "jsonl");
        // Still Hubble's JSON (hubble observe --input-file reads it); header names kept, values replaced.
        var exported = FlowJsonLines.Read(new StringReader(jsonl)).Single(r => r.Flow.L7 is not null);
        Assert.Equal(("Authorization", "REDACTED"), (exported.Flow.L7.Http.Headers[0].Key, exported.Flow.L7.Http.Headers[0].Value));
        Assert.Equal("http://REDACTED@cart.shop/api/items?token=REDACTED", exported.Flow.L7.Http.Url);
    }

    [Fact]
    public async Task Flows_RedactionOff_SecretsShown()
    {
        await using var dashboard = await ServeAsync(redaction: "false");

        foreach (var (what, text) in await OutputsAsync(dashboard))
        {
            Assert.True(text.Contains("hunter2", StringComparison.Ordinal), $"{what} lacks the unredacted flow: {text}");
        }
    }

    private static async Task<DashboardServer> ServeAsync(string? redaction)
    {
        var dir = Directory.CreateTempSubdirectory("ciliumdash-redaction-").FullName;
        Directory.CreateDirectory(Path.Combine(dir, "nodes", "fedora"));
        await File.WriteAllLinesAsync(Path.Combine(dir, "flows.jsonl"), [FlowJson.Line(FlowRedactorTests.SecretFlow(1)), FlowJson.Line(Builders.FlowData.Flow(2))]);
        var settings = new Dictionary<string, string?> { ["CiliumDash:Simulator:Scenario"] = dir, ["CiliumDash:Flows:Redaction:Headers:0"] = "X-Api-Key" };
        if (redaction is not null)
        {
            settings["CiliumDash:Flows:Redaction:Enabled"] = redaction;
        }

#pragma warning disable CA2000 // returned to the caller, which disposes it; disposed here when the wait fails
        var server = new DashboardServer(settings);
#pragma warning restore CA2000
        try
        {
            using var client = server.CreateLoopbackClient();
            await Api.WaitForAsync(client, "/api/v1/flows", j => j.GetProperty("total").GetInt32() == 2, "both replayed flows in the window");
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    private static async Task<List<(string What, string Text)>> OutputsAsync(DashboardServer dashboard)
    {
        using var client = dashboard.CreateLoopbackClient();
        var outputs = new List<(string, string)>();
        foreach (var (what, path) in new[]
        {
            ("json", "/api/v1/flows"), ("csv", "/api/v1/flows?format=csv"), ("jsonl", "/api/v1/flows?format=jsonl"),
            ("relay json", "/api/v1/flows?source=relay&protocol=http"), ("relay jsonl", "/api/v1/flows?source=relay&format=jsonl&protocol=http"),
        })
        {
            outputs.Add((what, await client.GetStringAsync(path)));
        }

        var detail = dashboard.Services.GetRequiredService<FlowStore>().Find(FlowRedactorTests.SecretFlow(1).Uuid)
            ?? throw new InvalidOperationException("the flow is not in the window");
        outputs.Add(("drawer json", detail.Json));
        outputs.Add(("drawer fields", string.Join('\n', detail.Fields.Select(f => $"{f.Key}={f.Value}"))));
        outputs.Add(("drawer row", detail.Record.ToString()));
        return outputs;
    }
}
