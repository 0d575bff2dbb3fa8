using System.Text.Json;

namespace CiliumDash.Alerts;

/// <summary>
/// Reads Alertmanager's <c>GET /api/v2/alerts</c> (active, silenced and inhibited alike) every poll interval into the
/// <see cref="AlertStore"/>. A failed read keeps the previous alerts and says why; bad JSON never throws out of here.
/// </summary>
public sealed partial class AlertmanagerPoller(AlertStore store, HttpClient http, TimeSpan interval, TimeProvider time, ILogger<AlertmanagerPoller> log) : BackgroundService
{
    public const int MaxDocumentBytes = 16 * 1024 * 1024;

    public async Task PollOnceAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        try
        {
            using var response = await http.GetAsync(new Uri(store.Alertmanager!, "api/v2/alerts"), HttpCompletionOption.ResponseHeadersRead, ct);
            if (!response.IsSuccessStatusCode)
            {
                Fail($"Alertmanager answered {(int)response.StatusCode} {response.ReasonPhrase} to GET /api/v2/alerts");
                return;
            }

            if (response.Content.Headers.ContentLength > MaxDocumentBytes)
            {
                Fail($"Alertmanager's alert list is over {MaxDocumentBytes / 1024 / 1024} MB");
                return;
            }

            await using var body = await response.Content.ReadAsStreamAsync(ct);
            using var doc = await JsonDocument.ParseAsync(body, cancellationToken: ct);
            store.Set(new AlertSnapshot(Parse(doc.RootElement), now, null));
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or InvalidOperationException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            Fail($"Alertmanager at {store.Alertmanager!.GetLeftPart(UriPartial.Authority)} could not be read: {ex.Message}");
        }
    }

    /// <summary>The alerts of a v2 alert list; entries that are not objects with string labels are skipped.</summary>
    public static IReadOnlyList<AlertmanagerAlert> Parse(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Array)
        {
            throw new JsonException("the alert list is not a JSON array");
        }

        var alerts = new List<AlertmanagerAlert>();
        foreach (var a in root.EnumerateArray())
        {
            if (a.ValueKind != JsonValueKind.Object || !a.TryGetProperty("labels", out var labels) || labels.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            var map = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var l in labels.EnumerateObject())
            {
                if (l.Value.ValueKind == JsonValueKind.String)
                {
                    map[l.Name] = l.Value.GetString()!;
                }
            }

            var silenced = a.TryGetProperty("status", out var status) && status.ValueKind == JsonValueKind.Object
                && status.TryGetProperty("silencedBy", out var by) && by.ValueKind == JsonValueKind.Array && by.GetArrayLength() > 0;
            alerts.Add(new AlertmanagerAlert(map, silenced));
        }

        return alerts;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval, time);
        do
        {
            await PollOnceAsync(stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private void Fail(string error)
    {
        var previous = store.Current;
        if (previous.Error != error)
        {
            LogReadFailed(log, error);
        }

        store.Set(previous with { Error = error });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Error}")]
    private static partial void LogReadFailed(ILogger logger, string error);
}
