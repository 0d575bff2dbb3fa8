using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using CiliumDash.Configuration;
using CiliumDash.Shared;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Options;

namespace CiliumDash.Events;

/// <summary>
/// Watches the Kubernetes API for what the timeline and the history need to know: agent pod restarts, Cilium's
/// DaemonSet image (upgrades), Nodes joining and leaving, and CiliumNetworkPolicies, CiliumClusterwideNetworkPolicies
/// and NetworkPolicies created, changed or deleted. List + watch per kind, resuming by resource version, in one
/// reconnect loop; its health is the events source's.
/// </summary>
public sealed class KubernetesEventWatcher(
    ClusterConnection connection,
    ClusterEventStore store,
    IOptions<CiliumDashOptions> options,
    TimeProvider time,
    ILogger<KubernetesEventWatcher> logger) : BackgroundService
{
    /// <summary>The server ends each watch after this long; the watch then resumes from its last version.</summary>
    private const int WatchSeconds = 300;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        ClusterEndpoints endpoints;
        try
        {
            endpoints = await connection.WaitAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            store.SetHealth(h => h.Failed(ex.Message, time.GetUtcNow()));
            return;
        }

        if (endpoints.Kubernetes is not { } config || !options.Value.Events.Enabled)
        {
            var why = endpoints.Kubernetes is null
                ? "no Kubernetes API with this source (local agent sockets): cluster events need CiliumDash:Source=Kubernetes"
                : "off: CiliumDash:Events:Enabled is false";
            store.SetHealth(h => h with { State = SourceState.Disabled, LastError = why });
            return;
        }

        using var client = new Kubernetes(config);
        store.SetHealth(h => h with { Target = endpoints.Description });
        var watches = Watches(client, options.Value.Kubernetes);
        var policy = new ReconnectPolicy(ClusterEventStore.SourceName, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), Classify, e => e.Message);
        var loop = new ReconnectLoop(policy, time, logger, f => store.SetHealth(h => h with
        {
            State = SourceState.Reconnecting,
            LastError = f.Message,
            LastErrorAt = time.GetUtcNow(),
        }));
        await loop.RunAsync(ct => RunAllAsync(watches, ct), stoppingToken);
    }

    /// <summary>The six watches, built on <paramref name="client"/> (tests run them against the simulator's stand-in).</summary>
    public IReadOnlyList<IKindWatch> Watches(IKubernetes client, KubernetesOptions k)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(k);
        var ns = k.Namespace;
        return
        [
            new KindWatch<V1Node, V1NodeList>("Nodes", new EventTracker(TrackedKind.Node, store),
                (rv, watch, ct) => client.CoreV1.ListNodeWithHttpMessagesAsync(allowWatchBookmarks: watch ? true : null, resourceVersion: rv,
                    timeoutSeconds: watch ? WatchSeconds : null, watch: watch ? true : null, cancellationToken: ct),
                l => (l.Metadata?.ResourceVersion, l.Items ?? []), ObservedMapping.Node, o => o.Metadata?.ResourceVersion, time),
            new KindWatch<V1Pod, V1PodList>($"Pods ({ns}, {k.AgentSelector})", new EventTracker(TrackedKind.AgentPod, store),
                (rv, watch, ct) => client.CoreV1.ListNamespacedPodWithHttpMessagesAsync(ns, allowWatchBookmarks: watch ? true : null, labelSelector: k.AgentSelector,
                    resourceVersion: rv, timeoutSeconds: watch ? WatchSeconds : null, watch: watch ? true : null, cancellationToken: ct),
                l => (l.Metadata?.ResourceVersion, l.Items ?? []), ObservedMapping.AgentPod, o => o.Metadata?.ResourceVersion, time),
            new KindWatch<V1DaemonSet, V1DaemonSetList>($"DaemonSets ({ns}/cilium)", new EventTracker(TrackedKind.CiliumDaemonSet, store),
                (rv, watch, ct) => client.AppsV1.ListNamespacedDaemonSetWithHttpMessagesAsync(ns, allowWatchBookmarks: watch ? true : null, fieldSelector: "metadata.name=cilium",
                    resourceVersion: rv, timeoutSeconds: watch ? WatchSeconds : null, watch: watch ? true : null, cancellationToken: ct),
                l => (l.Metadata?.ResourceVersion, l.Items ?? []), ObservedMapping.DaemonSet, o => o.Metadata?.ResourceVersion, time),
            new KindWatch<V1NetworkPolicy, V1NetworkPolicyList>("NetworkPolicies", new EventTracker(TrackedKind.Policy, store),
                (rv, watch, ct) => client.NetworkingV1.ListNetworkPolicyForAllNamespacesWithHttpMessagesAsync(allowWatchBookmarks: watch ? true : null,
                    resourceVersion: rv, timeoutSeconds: watch ? WatchSeconds : null, watch: watch ? true : null, cancellationToken: ct),
                l => (l.Metadata?.ResourceVersion, l.Items ?? []), ObservedMapping.NetworkPolicy, o => o.Metadata?.ResourceVersion, time),
            CiliumPolicies(client, "ciliumnetworkpolicies", "CiliumNetworkPolicies"),
            CiliumPolicies(client, "ciliumclusterwidenetworkpolicies", "CiliumClusterwideNetworkPolicies"),
        ];
    }

    private KindWatch<CiliumPolicyObject, object> CiliumPolicies(IKubernetes client, string plural, string label) =>
        new(label, new EventTracker(TrackedKind.Policy, store),
            (rv, watch, ct) => client.CustomObjects.ListClusterCustomObjectWithHttpMessagesAsync("cilium.io", "v2", plural, allowWatchBookmarks: watch ? true : null,
                resourceVersion: rv, timeoutSeconds: watch ? WatchSeconds : null, watch: watch ? true : null, cancellationToken: ct),
            body => CiliumPolicyList.From(body), ObservedMapping.CiliumPolicy, o => o.Metadata?.ResourceVersion, time);

    private async ValueTask RunAllAsync(IReadOnlyList<IKindWatch> watches, CancellationToken ct)
    {
        using var any = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var listed = new HashSet<IKindWatch>();
        void Listed(IKindWatch w)
        {
            bool all;
            lock (listed)
            {
                listed.Add(w);
                all = listed.Count == watches.Count;
            }

            if (all)
            {
                var malformed = watches.Where(x => x.Malformed > 0).Select(x => $"{x.Label}: {x.Malformed} unreadable watch event(s) skipped, last: {x.LastMalformed}").FirstOrDefault();
                store.SetHealth(h => h with { State = SourceState.Connected, LastSuccess = time.GetUtcNow(), LastError = malformed ?? (h.State == SourceState.Connected ? h.LastError : null) });
            }
        }

        var tasks = watches.Select(w => Task.Run(async () =>
        {
            try
            {
                await w.RunAsync(() => Listed(w), any.Token);
            }
            catch
            {
                // The first failure ends this connection for all kinds; the loop reconnects and each resumes.
                await any.CancelAsync();
                throw;
            }
        }, any.Token)).ToList();
        try
        {
            await Task.WhenAll(tasks);
        }
        catch (Exception) when (!ct.IsCancellationRequested)
        {
            // Report the kind that failed, not the cancellations it caused in the others.
            var cause = tasks.Where(t => t.IsFaulted).Select(t => t.Exception!.InnerException).FirstOrDefault(e => e is not null and not OperationCanceledException);
            if (cause is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(cause);
            }

            throw;
        }
    }

    private static FailureKind Classify(Exception e) =>
        e.InnerException is HttpOperationException { Response.StatusCode: HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized or HttpStatusCode.NotFound }
            ? FailureKind.Persistent
            : FailureKind.Transient;
}

/// <summary>A cilium.io/v2 policy as the events need it: metadata, and the spec (or the list of specs) to fingerprint.</summary>
public sealed class CiliumPolicyObject : IKubernetesObject<V1ObjectMeta>
{
    [JsonPropertyName("apiVersion")]
    public string? ApiVersion { get; set; }

    [JsonPropertyName("kind")]
    public string? Kind { get; set; }

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public JsonElement? Spec { get; set; }

    [JsonPropertyName("specs")]
    public JsonElement? Specs { get; set; }
}

/// <summary>The items of a custom object list, read from the client's untyped body.</summary>
internal static class CiliumPolicyList
{
    public static (string? Version, IEnumerable<CiliumPolicyObject> Items) From(object? body)
    {
        if (body is not JsonElement { ValueKind: JsonValueKind.Object } list)
        {
            return (null, []);
        }

        var version = list.TryGetProperty("metadata", out var m) && m.ValueKind == JsonValueKind.Object && m.TryGetProperty("resourceVersion", out var rv)
            && rv.ValueKind == JsonValueKind.String ? rv.GetString() : null;
        var items = new List<CiliumPolicyObject>();
        if (list.TryGetProperty("items", out var array) && array.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in array.EnumerateArray())
            {
                try
                {
                    if (KubernetesJson.Deserialize<CiliumPolicyObject>(item.GetRawText()) is { } policy)
                    {
                        items.Add(policy);
                    }
                }
                catch (JsonException)
                {
                    // A malformed item is left out of the list; the others still count.
                }
            }
        }

        return (version, items);
    }
}
