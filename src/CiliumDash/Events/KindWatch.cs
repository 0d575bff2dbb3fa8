using System.Net;
using k8s;
using k8s.Autorest;

namespace CiliumDash.Events;

/// <summary>One kind's list or watch call: the resource version to resume from (null = list), and whether to watch.</summary>
public delegate Task<HttpOperationResponse<TList>> KindCall<TList>(string? resourceVersion, bool watch, CancellationToken ct);

/// <summary>
/// A failure of one watched kind, named so the user knows which permission or resource is missing. The message may
/// quote the API server (a Status message), so it is cut to <see cref="ClusterEvent.MaxDetail"/>.
/// </summary>
public sealed class EventWatchException(string kind, string message, Exception inner) : Exception(ClusterEvent.Bound($"{kind}: {message}", ClusterEvent.MaxDetail), inner)
{
    public string Kind { get; } = kind;
}

/// <summary>
/// List, then watch from the list's resource version, for one kind: every event goes to its <see cref="EventTracker"/>;
/// a watch that ends (server timeout) resumes from the last version seen (bookmarks included); 410 Expired relists
/// and diffs; a transport failure throws, and the next connection resumes from the same version.
/// </summary>
public sealed class KindWatch<T, TList>(
    string label,
    EventTracker tracker,
    KindCall<TList> call,
    Func<TList, (string? Version, IEnumerable<T> Items)> listItems,
    Func<T, Observed?> map,
    Func<T, string?> versionOf,
    TimeProvider time) : IKindWatch
    where T : class
{
    private string? _version;

    public string Label { get; } = label;

    /// <summary>The resource version the next watch resumes from; null until listed, and after a 410.</summary>
    public string? ResumeVersion => _version;

    /// <summary>Relists after a 410 Expired (tests and the source's diagnostics read it).</summary>
    public int Relists { get; private set; }

    /// <summary>Watch lines that could not be read (skipped; the watch goes on).</summary>
    public int Malformed { get; private set; }

    public string? LastMalformed { get; private set; }

    /// <param name="listed">called when the kind is listed or watched from a version, and after each event: it is current.</param>
    public async Task RunAsync(Action listed, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            if (_version is null)
            {
                await ListAsync(ct);
            }

            listed();
            var expired = false;
            Exception? failure = null;
            var started = time.GetTimestamp();
            var seen = 0;
            IAsyncEnumerable<(WatchEventType, T)> events;
            try
            {
                // The per-kind WatchList methods differ in shape (custom objects come back untyped); this one extension
                // watches every kind, typed, from the same call that lists it. Deprecated, not removed, in 21.x.
#pragma warning disable CS0618
                events = call(_version, true, ct).WatchAsync<T, TList>(e =>
                {
                    switch (e)
                    {
                        case KubernetesException { Status.Code: (int)HttpStatusCode.Gone }:
                            expired = true;
                            break;
                        case KubernetesException k:
                            failure ??= k;
                            break;
                        case System.Text.Json.JsonException or FormatException or InvalidOperationException or NotSupportedException:
                            // One bad line is skipped and counted, never the end of the watch.
                            Malformed++;
                            LastMalformed = ClusterEvent.Bound(e.Message, ClusterEvent.MaxDetail);
                            break;
                        default:
                            failure ??= e;
                            break;
                    }
                }, ct);
#pragma warning restore CS0618
            }
            catch (HttpOperationException e)
            {
                throw Wrap(e);
            }

            try
            {
                await foreach (var (type, item) in events)
                {
                    seen++;
                    if (versionOf(item) is { Length: > 0 } v)
                    {
                        _version = v;
                    }

                    listed();
                    if (type == WatchEventType.Bookmark || map(item) is not { } observed)
                    {
                        continue;
                    }

                    if (type == WatchEventType.Deleted)
                    {
                        tracker.Delete(observed);
                    }
                    else
                    {
                        tracker.Upsert(observed);
                    }
                }
            }
            catch (HttpOperationException e)
            {
                throw Wrap(e);
            }
            catch (Exception e) when (e is HttpRequestException or IOException)
            {
                throw new EventWatchException(Label, $"watch broke: {e.Message}", e);
            }

            ct.ThrowIfCancellationRequested();
            if (expired)
            {
                // Events were lost: the next round lists again and reports the difference.
                _version = null;
                Relists++;
                continue;
            }

            if (failure is not null)
            {
                throw new EventWatchException(Label, failure.Message, failure);
            }

            if (seen == 0 && time.GetElapsedTime(started) < TimeSpan.FromSeconds(1))
            {
                throw new EventWatchException(Label, "the watch ended at once without an event", new InvalidOperationException("empty watch"));
            }
        }
    }

    private async Task ListAsync(CancellationToken ct)
    {
        try
        {
            using var response = await call(null, false, ct);
            var (version, items) = listItems(response.Body);
            tracker.Relist(items.Select(map).OfType<Observed>());
            _version = string.IsNullOrEmpty(version) ? null : version;
        }
        catch (HttpOperationException e)
        {
            throw Wrap(e);
        }
    }

    private EventWatchException Wrap(HttpOperationException e)
    {
        var message = e.Response?.StatusCode switch
        {
            HttpStatusCode.Forbidden => $"forbidden: the dashboard's ClusterRole needs list and watch on {Label} (deploy/helm RBAC)",
            HttpStatusCode.Unauthorized => "unauthorized: the Kubernetes credentials were refused",
            HttpStatusCode.NotFound => $"not served by this API server (is the {Label} CRD installed?)",
            { } code => $"HTTP {(int)code} {e.Message}",
            null => e.Message,
        };
        return new EventWatchException(Label, message, e);
    }
}

/// <summary>A <see cref="KindWatch{T, TList}"/> without its types.</summary>
public interface IKindWatch
{
    string Label { get; }

    int Relists { get; }

    int Malformed { get; }

    string? LastMalformed { get; }

    Task RunAsync(Action listed, CancellationToken ct);
}
