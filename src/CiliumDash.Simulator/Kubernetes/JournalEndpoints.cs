using System.Globalization;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace CiliumDash.Simulator.Kubernetes;

/// <summary>
/// List, get and watch of the kinds kept in the <see cref="WatchJournal"/> (Nodes and network policies), as the API
/// server serves them: a list carries the version it is at; <c>?watch=true</c> streams one JSON event per line —
/// ADDED for the current objects unless resuming, then every change after the given <c>resourceVersion</c>; a version
/// older than the journal's start gets one ERROR event (Status 410 Expired) and the stream ends, so the client relists.
/// <c>allowWatchBookmarks</c> adds a BOOKMARK with the current version after each burst of other kinds' changes.
/// </summary>
internal static class JournalEndpoints
{
    public static async Task ListAsync(HttpContext context, ResourceType type)
    {
        var journal = context.RequestServices.GetRequiredService<ClusterObjects>().Cluster.Changes.Journal;
        var ns = context.Request.RouteValues["ns"] as string;
        Func<KubeObject, bool> filter;
        try
        {
            filter = ResourceEndpoints.BuildFilter(context.Request.Query, type);
        }
        catch (SelectorException e)
        {
            await KubeStatus.BadRequest(e.Message).WriteAsync(context);
            return;
        }

        if (context.Request.Query["watch"].FirstOrDefault() is "true" or "1" or "True")
        {
            await WatchAsync(context, journal, type, ns, filter);
            return;
        }

        var (version, items) = journal.List(type.Resource, ns);
        await ResourceEndpoints.WriteJsonAsync(context,
            KubeJson.List(type.ApiVersion, type.ListKind, version.ToString(CultureInfo.InvariantCulture), items.Where(filter)));
    }

    public static async Task GetAsync(HttpContext context, ResourceType type)
    {
        var journal = context.RequestServices.GetRequiredService<ClusterObjects>().Cluster.Changes.Journal;
        var name = context.Request.RouteValues["name"] as string ?? "";
        if (journal.Get(type.Resource, context.Request.RouteValues["ns"] as string, name) is { } found)
        {
            await ResourceEndpoints.WriteJsonAsync(context, found.Json);
            return;
        }

        await KubeStatus.NotFound(type.Resource, name, type.Group).WriteAsync(context);
    }

    private static async Task WatchAsync(HttpContext context, WatchJournal journal, ResourceType type, string? ns, Func<KubeObject, bool> filter)
    {
        var query = context.Request.Query;
        TimeSpan? timeout = null;
        if (query["timeoutSeconds"].FirstOrDefault() is { } raw)
        {
            if (!int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            {
                await KubeStatus.BadRequest($"timeoutSeconds: invalid value \"{raw}\": must be a non-negative integer").WriteAsync(context);
                return;
            }

            timeout = TimeSpan.FromSeconds(seconds);
        }

        long? resumeFrom = null;
        if (query["resourceVersion"].FirstOrDefault() is { Length: > 0 } rv && rv != "0")
        {
            if (!long.TryParse(rv, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                await KubeStatus.BadRequest($"resourceVersion: Invalid value: \"{rv}\": strconv.ParseUint: parsing \"{rv}\": invalid syntax").WriteAsync(context);
                return;
            }

            resumeFrom = parsed;
        }

        var bookmarks = query["allowWatchBookmarks"].FirstOrDefault() is "true" or "1";
        var wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
        void OnChanged() => wake.Writer.TryWrite(true);
        journal.Changed += OnChanged;
        var time = context.RequestServices.GetRequiredService<ClusterObjects>().Cluster.Time;
        using var timeoutCts = timeout is { } t ? new CancellationTokenSource(t, time) : new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, timeoutCts.Token);
        try
        {
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = KubeJson.ContentType;
            long cursor;
            if (resumeFrom is { } from)
            {
                cursor = from;
            }
            else
            {
                var (version, items) = journal.List(type.Resource, ns);
                foreach (var item in items.Where(filter))
                {
                    await WriteLineAsync(context, KubeJson.WatchEvent("ADDED", item), linked.Token);
                }

                cursor = version;
            }

            await context.Response.Body.FlushAsync(linked.Token);
            while (true)
            {
                if (!journal.TryChangesAfter(type.Resource, cursor, out var changes, out var current))
                {
                    var expired = new KubeStatus(410, "Expired", $"too old resource version: {cursor} ({current})");
                    await WriteLineAsync(context, Error(expired), linked.Token);
                    await context.Response.Body.FlushAsync(linked.Token);
                    return;
                }

                foreach (var change in changes.Where(c => (ns is null || c.Object.Namespace == ns) && filter(c.Object)))
                {
                    await WriteLineAsync(context, KubeJson.WatchEvent(change.Type, change.Object), linked.Token);
                }

                if (bookmarks && changes.Count == 0 && current > cursor)
                {
                    await WriteLineAsync(context, Bookmark(type, current), linked.Token);
                }

                cursor = current;
                await context.Response.Body.FlushAsync(linked.Token);
                await wake.Reader.ReadAsync(linked.Token);
            }
        }
        catch (OperationCanceledException) when (linked.IsCancellationRequested)
        {
            // The client went away or the watch's timeout passed: both end the stream normally.
        }
        finally
        {
            journal.Changed -= OnChanged;
        }
    }

    private static async Task WriteLineAsync(HttpContext context, byte[] line, CancellationToken ct)
    {
        await context.Response.Body.WriteAsync(line, ct);
        await context.Response.Body.WriteAsync("\n"u8.ToArray(), ct);
    }

    private static byte[] Error(KubeStatus status) => KubeJson.Render(w =>
    {
        w.WriteStartObject();
        w.WriteString("type", "ERROR");
        w.WritePropertyName("object");
        w.WriteRawValue(status.ToJson(), skipInputValidation: true);
        w.WriteEndObject();
    });

    private static byte[] Bookmark(ResourceType type, long version) => KubeJson.Render(w =>
    {
        w.WriteStartObject();
        w.WriteString("type", "BOOKMARK");
        w.WriteStartObject("object");
        w.WriteString("kind", type.ListKind[..^"List".Length]);
        w.WriteString("apiVersion", type.ApiVersion);
        w.WriteStartObject("metadata");
        w.WriteString("resourceVersion", version.ToString(CultureInfo.InvariantCulture));
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndObject();
    });
}
