using System.Globalization;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace CiliumDash.Simulator.Kubernetes;

/// <summary>One served resource type: how to list it (optionally in a namespace) and how its 404 names it.</summary>
/// <param name="Resource">plural resource name as in a NotFound message (pods, daemonsets, ciliumendpoints).</param>
/// <param name="Group">API group for the NotFound message; null for core.</param>
/// <param name="NodeField">whether <c>spec.nodeName</c> / <c>status.phase</c> field selectors apply (pods only).</param>
/// <param name="Get">a direct lookup where scanning the list would be wasteful; null = find by name in the list.</param>
/// <param name="Table">renders kubectl's server-side Table (items, resource version, now); null = kubectl prints NAME/AGE.</param>
/// <param name="Version">for kinds whose objects change as a whole: a watch sends MODIFIED for all of them when it moves.</param>
internal sealed record ResourceType(
    string ApiVersion,
    string ListKind,
    string Resource,
    string? Group,
    bool NodeField,
    Func<ClusterObjects, string?, IEnumerable<KubeObject>> List,
    Func<ClusterObjects, string, string, KubeObject?>? Get = null,
    Func<IEnumerable<KubeObject>, string, DateTimeOffset, byte[]>? Table = null,
    Func<ClusterObjects, long>? Version = null);

/// <summary>List, get and watch for every served resource type, with label and field selectors.</summary>
internal static class ResourceEndpoints
{
    private static readonly TimeSpan WatchPollInterval = TimeSpan.FromSeconds(1);

    public static async Task ListAsync(HttpContext context, ResourceType type)
    {
        var objects = context.RequestServices.GetRequiredService<ClusterObjects>();
        var ns = context.Request.RouteValues["ns"] as string;
        Func<KubeObject, bool> filter;
        try
        {
            filter = BuildFilter(context.Request.Query, type);
        }
        catch (SelectorException e)
        {
            await KubeStatus.BadRequest(e.Message).WriteAsync(context);
            return;
        }

        if (IsTrue(context.Request.Query["watch"]))
        {
            await WatchAsync(context, objects, type, ns, filter);
            return;
        }

        var version = objects.Versions.Current.ToString(CultureInfo.InvariantCulture);
        var items = type.List(objects, ns).Where(filter);
        var json = type.Table is { } table && PodTable.Wanted(context.Request.Headers.Accept)
            ? table(items, version, objects.Cluster.Time.GetUtcNow())
            : KubeJson.List(type.ApiVersion, type.ListKind, version, items);
        await WriteJsonAsync(context, json);
    }

    public static async Task GetAsync(HttpContext context, ResourceType type)
    {
        var objects = context.RequestServices.GetRequiredService<ClusterObjects>();
        var ns = context.Request.RouteValues["ns"] as string;
        var name = context.Request.RouteValues["name"] as string ?? "";
        var found = type.Get is { } get && ns is not null ? get(objects, ns, name) : type.List(objects, ns).FirstOrDefault(o => o.Name == name);
        if (found is null)
        {
            await KubeStatus.NotFound(type.Resource, name, type.Group).WriteAsync(context);
            return;
        }

        await WriteJsonAsync(context, type.Table is { } table && PodTable.Wanted(context.Request.Headers.Accept)
            ? table([found], found.ResourceVersion, objects.Cluster.Time.GetUtcNow())
            : found.Json);
    }

    public static async Task WriteJsonAsync(HttpContext context, byte[] json)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = KubeJson.ContentType;
        context.Response.ContentLength = json.Length;
        await context.Response.Body.WriteAsync(json, context.RequestAborted);
    }

    internal static Func<KubeObject, bool> BuildFilter(IQueryCollection query, ResourceType type)
    {
        var labels = Selector.ParseLabels(query["labelSelector"]);
        var fields = Selector.ParseFields(query["fieldSelector"]);
        foreach (var key in fields.Keys)
        {
            var supported = key is "metadata.name" or "metadata.namespace" || (type.NodeField && key is "spec.nodeName" or "status.phase");
            if (!supported)
            {
                throw new SelectorException($"field label not supported: {key}");
            }
        }

        return o => labels.Matches(k => o.Labels.GetValueOrDefault(k)) && fields.Matches(k => k switch
        {
            "metadata.name" => o.Name,
            "metadata.namespace" => o.Namespace ?? "",
            "spec.nodeName" => o.NodeName,
            "status.phase" => "Running",
            _ => null,
        });
    }

    /// <summary>
    /// ADDED for every current object (unless the client resumes from a resource version), then MODIFIED for agent
    /// pods whose CrashLoopBackOff fault flips and for every object of a kind whose <see cref="ResourceType.Version"/> moves, until the client goes away or <c>timeoutSeconds</c> passes.
    /// </summary>
    private static async Task WatchAsync(HttpContext context, ClusterObjects objects, ResourceType type, string? ns, Func<KubeObject, bool> filter)
    {
        TimeSpan? timeout = null;
        if (context.Request.Query["timeoutSeconds"].FirstOrDefault() is { } raw)
        {
            if (!int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            {
                await KubeStatus.BadRequest($"timeoutSeconds: invalid value \"{raw}\": must be a non-negative integer").WriteAsync(context);
                return;
            }

            timeout = TimeSpan.FromSeconds(seconds);
        }

        var changes = Channel.CreateUnbounded<IReadOnlyList<string>>();
        void OnChanged(IReadOnlyList<string> nodes) => changes.Writer.TryWrite(nodes);
        objects.Versions.NodesChanged += OnChanged;
        using var timeoutCts = timeout is { } t ? new CancellationTokenSource(t, objects.Cluster.Time) : new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, timeoutCts.Token);
        try
        {
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = KubeJson.ContentType;
            var resumeFrom = context.Request.Query["resourceVersion"].FirstOrDefault();
            if (string.IsNullOrEmpty(resumeFrom) || resumeFrom == "0")
            {
                foreach (var item in type.List(objects, ns).Where(filter))
                {
                    await WriteEventAsync(context, "ADDED", item, linked.Token);
                }
            }
            else if (long.TryParse(resumeFrom, NumberStyles.None, CultureInfo.InvariantCulture, out var from))
            {
                // Resuming: what changed after that version (an agent restarted, an upgrade) is sent first, as the API
                // server replays it, so a change between the client's list and its watch is not lost.
                foreach (var item in type.List(objects, ns).Where(filter))
                {
                    if ((type.NodeField || type.Version is not null) && long.TryParse(item.ResourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > from)
                    {
                        await WriteEventAsync(context, "MODIFIED", item, linked.Token);
                    }
                }
            }

            await context.Response.Body.FlushAsync(linked.Token);
            var seen = type.Version?.Invoke(objects);
            using var timer = new PeriodicTimer(WatchPollInterval, objects.Cluster.Time);
            while (await timer.WaitForNextTickAsync(linked.Token))
            {
                objects.Versions.Refresh();
                if (type.Version?.Invoke(objects) is { } version && version != seen)
                {
                    seen = version;
                    foreach (var item in type.List(objects, ns).Where(filter))
                    {
                        await WriteEventAsync(context, "MODIFIED", item, linked.Token);
                    }

                    await context.Response.Body.FlushAsync(linked.Token);
                }

                while (changes.Reader.TryRead(out var nodes))
                {
                    if (!type.NodeField)
                    {
                        continue;
                    }

                    foreach (var pod in objects.AgentPods(nodes).Where(p => (ns is null || p.Namespace == ns) && filter(p)))
                    {
                        await WriteEventAsync(context, "MODIFIED", pod, linked.Token);
                    }

                    await context.Response.Body.FlushAsync(linked.Token);
                }
            }
        }
        catch (OperationCanceledException) when (linked.IsCancellationRequested)
        {
            // The client went away or the watch's timeout passed: both end the stream normally.
        }
        finally
        {
            objects.Versions.NodesChanged -= OnChanged;
        }
    }

    private static async Task WriteEventAsync(HttpContext context, string type, KubeObject item, CancellationToken ct)
    {
        await context.Response.Body.WriteAsync(KubeJson.WatchEvent(type, item), ct);
        await context.Response.Body.WriteAsync("\n"u8.ToArray(), ct);
    }

    private static bool IsTrue(string? value) => value is "true" or "1" or "True";
}
