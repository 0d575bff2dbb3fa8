using System.Text.Json;
using CiliumDash.Alerts;
using CiliumDash.Configuration;
using CiliumDash.Testing;
using CiliumDash.Tests.Builders;
using CiliumDash.Tests.Findings;

namespace CiliumDash.Tests.Alerts;

/// <summary>Webhooks to a real loopback HTTP receiver: deduplicated, repeated, resolved, retried, and never logging their URL.</summary>
public sealed class WebhookNotifierTests
{
    private const string Secret = "T0000SECRET/B1111/xoxb-never-log-this";

    [Fact]
    public async Task Notifier_FindingAppearsHoldsAndEnds_SentOnceRepeatedOnceThenResolved()
    {
        using var stores = new EngineFixture();
        await using var receiver = await LoopbackReceiver.StartAsync();
        var hook = new WebhookOptions { Url = new Uri(receiver.Address, "/hooks/" + Secret).ToString(), Format = WebhookFormat.Json, MinSeverity = "warning", RepeatInterval = TimeSpan.FromHours(1) };
        var log = new CapturingLogger<WebhookNotifier>();
        using var handler = new SocketsHttpHandler();
        using var notifier = new WebhookNotifier(stores.Engine, [hook], handler, stores.Time, log);
        await notifier.StartAsync(CancellationToken.None);

        stores.Node(ClusterData.Node("knode1", status: ClusterData.Status(controllers: [ClusterData.Controller("sync-lb-maps-with-k8s-services", 4, "map is full", ClusterData.Now)])));
        stores.Derive();
        notifier.Evaluate();
        await Eventually.True(() => receiver.Received.Count == 1, "the first POST");
        // Nothing new: no second POST, however often the engine signals.
        notifier.Evaluate();
        notifier.Evaluate();
        stores.Time.Advance(TimeSpan.FromMinutes(59));
        notifier.Evaluate();
        stores.Time.Advance(TimeSpan.FromMinutes(1));
        notifier.Evaluate();
        await Eventually.True(() => receiver.Received.Count == 2, "the repeat after an hour");
        stores.Node(ClusterData.Node("knode1"));
        stores.Derive();
        notifier.Evaluate();
        await Eventually.True(() => receiver.Received.Count == 3, "the resolved POST");
        await notifier.StopAsync(CancellationToken.None);

        var bodies = receiver.Received.Select(r => JsonDocument.Parse(r.Body).RootElement).ToList();
        Assert.Equal(3, bodies.Count);
        Assert.Equal("controller-failing", bodies[0].GetProperty("firing")[0].GetProperty("kind").GetString());
        Assert.Equal(0, bodies[0].GetProperty("resolved").GetArrayLength());
        Assert.Equal(bodies[0].GetProperty("firing")[0].GetProperty("id").GetString(), bodies[1].GetProperty("firing")[0].GetProperty("id").GetString());
        Assert.Equal(0, bodies[2].GetProperty("firing").GetArrayLength());
        Assert.Equal(bodies[0].GetProperty("firing")[0].GetProperty("id").GetString(), bodies[2].GetProperty("resolved")[0].GetProperty("id").GetString());
        Assert.All(receiver.Received, r => Assert.Equal("/hooks/" + Secret, r.Path));
        Assert.DoesNotContain(log.Lines, l => l.Contains("SECRET", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Notifier_ReceiverFailsTwice_RetriedWithBackoffAndDeliveredInSlackFormat()
    {
        using var stores = new EngineFixture();
        await using var receiver = await LoopbackReceiver.StartAsync();
        receiver.FailFirst = 2;
        var hook = new WebhookOptions { Url = new Uri(receiver.Address, "/services/" + Secret).ToString(), Format = WebhookFormat.Slack };
        var log = new CapturingLogger<WebhookNotifier>();
        // Real time, a 10 ms first delay: the backoff itself is Polly's.
        using var handler = new SocketsHttpHandler();
        using var notifier = new WebhookNotifier(stores.Engine, [hook], handler, TimeProvider.System, log, TimeSpan.FromMilliseconds(10));
        await notifier.StartAsync(CancellationToken.None);
        stores.Node(ClusterData.Node("knode2", container: ClusterData.CrashLooping()));
        stores.Derive();
        notifier.Evaluate();

        await Eventually.True(() => notifier.Delivered == 1, "delivery after two 503s");
        await notifier.StopAsync(CancellationToken.None);

        Assert.Equal(3, receiver.Requests);
        var text = JsonDocument.Parse(receiver.Received.Single().Body).RootElement.GetProperty("text").GetString()!;
        Assert.StartsWith(":red_circle: [critical] cilium-agent on knode2 is not running", text, StringComparison.Ordinal);
        Assert.Equal(0, notifier.Failed);
    }

    [Fact]
    public async Task Notifier_ReceiverGone_FailureLoggedByHostNeverByUrl()
    {
        using var stores = new EngineFixture();
        var receiver = await LoopbackReceiver.StartAsync();
        var url = new Uri(receiver.Address, "/hooks/" + Secret + "?token=" + Secret).ToString();
        await receiver.DisposeAsync();
        var hook = new WebhookOptions { Url = url, Format = WebhookFormat.Json };
        var log = new CapturingLogger<WebhookNotifier>();
        using var handler = new SocketsHttpHandler();
        using var notifier = new WebhookNotifier(stores.Engine, [hook], handler, TimeProvider.System, log, TimeSpan.FromMilliseconds(5));
        await notifier.StartAsync(CancellationToken.None);
        stores.Node(ClusterData.Node("knode2", container: ClusterData.CrashLooping()));
        stores.Derive();
        notifier.Evaluate();

        await Eventually.True(() => notifier.Failed == 1, "the delivery given up");
        await notifier.StopAsync(CancellationToken.None);

        var line = Assert.Single(log.Lines);
        Assert.Contains("webhook 0 (127.0.0.1) could not be reached", line, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET", line, StringComparison.Ordinal);
        Assert.DoesNotContain("/hooks", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Redact_UrlOrPathInAnErrorText_Removed()
    {
        const string url = "https://hooks.example.org/services/" + Secret;

        var redacted = WebhookNotifier.Redact($"error at {url} and /services/{Secret}", url);

        Assert.DoesNotContain("SECRET", redacted, StringComparison.Ordinal);
        Assert.Equal("webhook 3 (hooks.example.org)", WebhookNotifier.Describe(3, url));
    }
}
