using System.Text.Json;
using CiliumDash.Agents;
using CiliumDash.Contract;
using CiliumDash.Findings;
using CiliumDash.History;
using CiliumDash.Testing;
using CiliumDash.Tests.Builders;
using CiliumDash.Tests.Integration;

namespace CiliumDash.Tests.History;

/// <summary>
/// A simulated hour recorded on a fake clock into a SQLite file, then the real dashboard started on that file: every
/// finding, node change and controller episode of the hour is found again, at its time, through REST.
/// </summary>
public sealed class HistoryRestartTests : IAsyncLifetime
{
    private const string Controller = "sync-lb-maps-with-k8s-services";

    // Recent enough that the restarted dashboard's retention keeps it; whole seconds, as the store keeps milliseconds.
    private readonly DateTimeOffset _t0 = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddHours(-2).ToUnixTimeSeconds());
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("ciliumdash-hist-");

    public async Task InitializeAsync()
    {
#pragma warning disable CA2000 // the recording's writer owns the store and disposes it
        await using var recording = new HistoryRecording(new SqliteHistoryStore(Path.Combine(_dir.FullName, HistoryHosting.FileName)), _t0);
#pragma warning restore CA2000
        await recording.Recorder.StartAsync(CancellationToken.None);
        for (var minute = 0; minute <= 60; minute++)
        {
            var t = recording.Now;
            var failing = minute is >= 10 and < 25;
            var controllers = new[]
            {
                new ControllerStatus(Controller, null, 100 + minute, failing ? minute - 9 : 0, failing ? minute - 9 : 0, failing ? "map is full" : null,
                    failing ? _t0.AddMinutes(10) : t, failing ? t : null, "10s", true, "2s"),
                ClusterData.Controller("ipcache-inject-labels"),
            };
            recording.Poll(
                ClusterData.Node("node-a", ClusterData.Status(version: minute >= 40 ? "1.16.4" : "1.16.3"), lastUpdated: t),
                ClusterData.Node("node-b", ClusterData.Status(version: minute >= 50 ? "1.16.4" : "1.16.3", controllers: controllers), lastUpdated: t));
            Assert.True(await recording.Writer.FlushAsync(CancellationToken.None), "the store takes every minute's records");
            recording.Time.Advance(TimeSpan.FromMinutes(1));
        }
    }

    public Task DisposeAsync()
    {
        _dir.Delete(recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Restart_SameSqliteFile_FindingsNodesAndEpisodesOfTheHourAtTheirTimes()
    {
        using var dashboard = new DashboardServer(new Dictionary<string, string?>
        {
            ["CiliumDash:History:Enabled"] = "true",
            ["CiliumDash:History:Path"] = _dir.FullName,
        });
        using var client = dashboard.CreateLoopbackClient();

        Assert.DoesNotContain(await FindingsAt(client, 5), f => f.Kind == FindingKinds.ControllerFailing);
        var during = await FindingsAt(client, 15);
        var failing = Assert.Single(during, f => f.Kind == FindingKinds.ControllerFailing);
        Assert.Equal(("node-b", Controller), (failing.Subject.Node, failing.Subject.Controller));
        Assert.Equal(_t0.AddMinutes(10), failing.Since);
        Assert.DoesNotContain(await FindingsAt(client, 30), f => f.Kind == FindingKinds.ControllerFailing);
        Assert.DoesNotContain(await FindingsAt(client, 30), f => f.Kind == FindingKinds.Drift);
        Assert.Contains(await FindingsAt(client, 45), f => f.Kind == FindingKinds.Drift);
        Assert.DoesNotContain(await FindingsAt(client, 55), f => f.Kind == FindingKinds.Drift);

        var nodes = await Get<List<NodeRowDto>>(client, $"/api/v1/nodes?at={Rfc3339(_t0.AddMinutes(45))}");
        Assert.Equal([("node-a", "1.16.4"), ("node-b", "1.16.3")], nodes.Select(n => (n.Name, n.CiliumVersion)));
        Assert.Equal(1, (await Get<List<NodeRowDto>>(client, $"/api/v1/nodes?at={Rfc3339(_t0.AddMinutes(20))}")).Single(n => n.Name == "node-b").Controllers.Failing);

        var history = await Get<NodeHistoryDto>(client, $"/api/v1/history/nodes/node-b?since={Rfc3339(_t0.AddMinutes(-1))}&until={Rfc3339(_t0.AddMinutes(61))}");
        var episode = Assert.Single(history.Episodes);
        Assert.Equal((Controller, _t0.AddMinutes(10), _t0.AddMinutes(25), "map is full"), (episode.Controller, episode.Start, episode.End, episode.LastMessage));
        Assert.Equal(15, episode.MaxConsecutiveFailures);
        // On change only: the first state, failing from minute 10, recovered at 25, upgraded at 50.
        Assert.Equal([0, 10, 25, 50], history.States.Select(s => (int)(s.Time - _t0).TotalMinutes));
        Assert.Equal(_t0, history.Coverage.RecordedSince);
    }

    [Fact]
    public async Task Restart_AtResponse_SaysWhichMomentAndSinceWhenRecorded()
    {
        using var dashboard = new DashboardServer(new Dictionary<string, string?>
        {
            ["CiliumDash:History:Enabled"] = "true",
            ["CiliumDash:History:Path"] = _dir.FullName,
        });
        using var client = dashboard.CreateLoopbackClient();

        using var response = await client.GetAsync($"/api/v1/findings?at={Rfc3339(_t0.AddMinutes(15))}");

        response.EnsureSuccessStatusCode();
        Assert.Equal(Uri.UnescapeDataString(Rfc3339(_t0.AddMinutes(15))), response.Headers.GetValues(HistoryAt.AtHeader).Single());
        Assert.Equal(Uri.UnescapeDataString(Rfc3339(_t0)), response.Headers.GetValues(HistoryAt.RecordedSinceHeader).Single());
        using var bad = await client.GetAsync("/api/v1/findings?at=yesterday-ish");
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("neither RFC 3339", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restart_NodeDetailAt_ShowsTheRecordedStateAndOpenEpisodes()
    {
        using var dashboard = new DashboardServer(new Dictionary<string, string?>
        {
            ["CiliumDash:History:Enabled"] = "true",
            ["CiliumDash:History:Path"] = _dir.FullName,
        });
        using var client = dashboard.CreateLoopbackClient();

        var failing = await Get<NodeDetailDto>(client, $"/api/v1/nodes/node-b?at={Rfc3339(_t0.AddMinutes(15))}");
        var controller = Assert.Single(failing.Controllers!);
        Assert.Equal((Controller, true, "map is full"), (controller.Name, controller.Failing, controller.LastFailureMessage));
        Assert.Equal(1, failing.FailingControllers);
        var later = await Get<NodeDetailDto>(client, $"/api/v1/nodes/node-b?at={Rfc3339(_t0.AddMinutes(45))}");
        Assert.Equal(("1.16.3", 0), (later.CiliumVersion, later.Controllers!.Count));
        using var response = await client.GetAsync($"/api/v1/nodes/node-b?at={Rfc3339(_t0.AddMinutes(45))}");
        Assert.Equal(Uri.UnescapeDataString(Rfc3339(_t0)), response.Headers.GetValues(HistoryAt.RecordedSinceHeader).Single());
        using var unknown = await client.GetAsync($"/api/v1/nodes/node-z?at={Rfc3339(_t0.AddMinutes(45))}");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("no recorded state", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private async Task<List<FindingDto>> FindingsAt(HttpClient client, int minute) =>
        await Get<List<FindingDto>>(client, $"/api/v1/findings?at={Rfc3339(_t0.AddMinutes(minute))}");

    private static async Task<T> Get<T>(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {body}");
        return JsonSerializer.Deserialize<T>(body, ApiJson.Options)!;
    }

    private static string Rfc3339(DateTimeOffset t) => Uri.EscapeDataString(t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture));
}
