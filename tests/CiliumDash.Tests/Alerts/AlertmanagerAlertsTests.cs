using System.Net.Http.Json;
using System.Text;
using CiliumDash.Alerts;
using CiliumDash.Findings;
using CiliumDash.Tests.Deploy;
using CiliumDash.Tests.Metrics;
using Microsoft.Extensions.Logging.Abstractions;

namespace CiliumDash.Tests.Alerts;

/// <summary>
/// The alert state beside findings, read from Debian's prometheus-alertmanager: an alert posted to it is "firing" on
/// the finding it names, a silenced one "silenced", and the silence link carries the finding's matchers.
/// </summary>
public sealed class AlertmanagerAlertsTests
{
    private static Finding Controller(string node, string controller) =>
        new(FindingsEngine.IdOf(FindingKinds.ControllerFailing, new FindingSubject { Node = node, Controller = controller }), FindingSeverity.Warning,
            FindingKinds.ControllerFailing, new FindingSubject { Node = node, Controller = controller }, $"controller {controller} on {node} is failing", null, [], DateTimeOffset.UtcNow);

    [Fact]
    public async Task Poller_RealAlertmanagerWithFiringAndSilencedAlerts_EachFindingShowsItsState()
    {
        var folder = Directory.CreateTempSubdirectory("ciliumdash-am-").FullName;
        try
        {
            var config = Path.Combine(folder, "alertmanager.yml");
            await File.WriteAllTextAsync(config, "route:\n  receiver: \"null\"\nreceivers:\n  - name: \"null\"\n");
            var port = EngineProcess.FreePort();
            await using var am = await EngineProcess.StartAsync("alertmanager", ExternalTool.Alertmanager.Path, folder, port,
                [$"--config.file={config}", $"--storage.path={Path.Combine(folder, "data")}", $"--web.listen-address=127.0.0.1:{port}", "--cluster.listen-address="]);
            var now = DateTimeOffset.UtcNow;
            using var alerts = new StringContent($$"""
                [{"labels": {"alertname": "CiliumControllerFailing", "node": "knode1", "controller": "sync-lb-maps-with-k8s-services", "severity": "warning"}, "startsAt": "{{now:O}}"},
                 {"labels": {"alertname": "CiliumControllerFailing", "node": "knode2", "controller": "ipcache-inject-labels", "severity": "warning"}, "startsAt": "{{now:O}}"}]
                """, Encoding.UTF8, "application/json");
            using var post = await am.Client.PostAsync("api/v2/alerts", alerts);
            post.EnsureSuccessStatusCode();
            using var silenceBody = new StringContent($$"""
                {"matchers": [{"name": "node", "value": "knode2", "isRegex": false, "isEqual": true}], "startsAt": "{{now:O}}", "endsAt": "{{now.AddHours(1):O}}", "createdBy": "test", "comment": "maintenance"}
                """, Encoding.UTF8, "application/json");
            using var silence = await am.Client.PostAsync("api/v2/silences", silenceBody);
            silence.EnsureSuccessStatusCode();

            using var store = new AlertStore(TimeProvider.System, am.Client.BaseAddress, null);
            using var poller = new AlertmanagerPoller(store, am.Client, TimeSpan.FromSeconds(1), TimeProvider.System, NullLogger<AlertmanagerPoller>.Instance);
            var model = new AlertReadModel(store);
            var firing = Controller("knode1", "sync-lb-maps-with-k8s-services");
            var silenced = Controller("knode2", "ipcache-inject-labels");
            await CiliumDash.Testing.Eventually.True(async () =>
            {
                await poller.PollOnceAsync(CancellationToken.None);
                return model.For(firing).State == AlertState.Firing && model.For(silenced).State == AlertState.Silenced;
            }, "both alerts read from Alertmanager with their state", TimeSpan.FromSeconds(30));

            Assert.Null(model.Error);
            Assert.Equal(AlertState.None, model.For(Controller("knode1", "cilium-health-ep")).State);
            var link = model.For(firing).SilenceUrl!.ToString();
            Assert.StartsWith($"http://127.0.0.1:{port}/#/silences/new?filter=", link, StringComparison.Ordinal);
            Assert.Equal("{alertname=\"CiliumControllerFailing\",node=\"knode1\",controller=\"sync-lb-maps-with-k8s-services\"}",
                Uri.UnescapeDataString(link[(link.IndexOf("filter=", StringComparison.Ordinal) + 7)..]));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Poller_AlertmanagerUnreachable_KeepsAlertsAndSaysWhy()
    {
        var port = EngineProcess.FreePort();
        using var http = new HttpClient();
        using var store = new AlertStore(TimeProvider.System, new Uri($"http://127.0.0.1:{port}/"), null);
        using var poller = new AlertmanagerPoller(store, http, TimeSpan.FromSeconds(1), TimeProvider.System, NullLogger<AlertmanagerPoller>.Instance);

        await poller.PollOnceAsync(CancellationToken.None);

        Assert.StartsWith($"Alertmanager at http://127.0.0.1:{port} could not be read", store.Current.Error, StringComparison.Ordinal);
        Assert.Empty(store.Current.Alerts);
    }

    [Fact]
    public void FindingAlerts_NoAlertmanager_NothingChanges()
    {
        var view = FindingAlerts.For(Controller("knode1", "x"), AlertSnapshot.Empty, null);

        Assert.Equal(new FindingAlertView(AlertState.None, null), view);
    }

    [Fact]
    public void AlertByKind_EveryAlertName_IsAnAlertOfTheShippedRules()
    {
        var rules = File.ReadAllText(AlertingEndToEndTests.ShippedRules);

        Assert.All(FindingAlerts.AlertByKind.Values, name => Assert.Contains($"- alert: {name}\n", rules, StringComparison.Ordinal));
    }
}
