using System.Net.Http.Json;
using System.Text;
using System.Threading.Channels;
using CiliumDash.Configuration;
using CiliumDash.Contract;
using CiliumDash.Findings;
using Polly;
using Polly.Retry;

namespace CiliumDash.Alerts;

/// <summary>One POST to one webhook: the findings that began or are due again, and those that ended.</summary>
public sealed record WebhookMessage(int Webhook, IReadOnlyList<Finding> Firing, IReadOnlyList<Finding> Resolved);

/// <summary>
/// Sends findings of a chosen severity to webhooks (Slack-compatible or generic JSON) for teams without Alertmanager.
/// Each webhook remembers what it sent: a finding is sent when it appears, again after the repeat interval while it
/// holds, and once as resolved when it ends. Deciding runs on the engine's change signal and only compares ids; the
/// POSTs (retried with backoff) run on their own loop through a bounded queue, so a slow receiver never holds up the
/// diagnosis. A webhook's URL is never logged: it is named by its index and host.
/// </summary>
public sealed partial class WebhookNotifier : IHostedService, IDisposable
{
    public const int QueueCapacity = 64;

    private readonly FindingsEngine _engine;
    private readonly IReadOnlyList<WebhookOptions> _hooks;
    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly ILogger<WebhookNotifier> _log;
    private readonly Dictionary<string, DateTimeOffset>[] _sent;
    private readonly Channel<WebhookMessage> _queue = Channel.CreateBounded<WebhookMessage>(new BoundedChannelOptions(QueueCapacity) { FullMode = BoundedChannelFullMode.DropOldest });
    private readonly ResiliencePipeline<HttpResponseMessage> _retry;
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly ITimer _repeat;
    private IDisposable? _subscription;
    private Task _sender = Task.CompletedTask;

    public WebhookNotifier(FindingsEngine engine, IReadOnlyList<WebhookOptions> hooks, HttpMessageHandler handler, TimeProvider time, ILogger<WebhookNotifier> log, TimeSpan? firstRetryDelay = null)
    {
        ArgumentNullException.ThrowIfNull(hooks);
        _engine = engine;
        _hooks = hooks;
        _http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
        _time = time;
        _log = log;
        _sent = hooks.Select(_ => new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal)).ToArray();
        _retry = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = 4,
                BackoffType = DelayBackoffType.Exponential,
                Delay = firstRetryDelay ?? TimeSpan.FromSeconds(2),
                UseJitter = true,
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>().Handle<HttpRequestException>().Handle<TaskCanceledException>()
                    .HandleResult(r => (int)r.StatusCode is 408 or 429 or >= 500),
            })
            .Build();
        // Repeats fall due without any change of the findings.
        _repeat = time.CreateTimer(_ => Evaluate(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Messages sent (after retries) and given up on, for tests and diagnostics.</summary>
    public long Delivered => Interlocked.Read(ref _delivered);

    public long Failed => Interlocked.Read(ref _failed);

    private long _delivered;
    private long _failed;

    /// <summary>How a webhook is named in logs: its index and host, never its path, query or credentials.</summary>
    public static string Describe(int index, string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var u) ? $"webhook {index} ({u.Host})" : $"webhook {index}";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _sender = Task.Run(() => SendLoopAsync(_stop.Token), CancellationToken.None);
        _subscription = _engine.Changed.Subscribe(Evaluate);
        _repeat.Change(TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
        Evaluate();
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _subscription?.Dispose();
        _repeat.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _queue.Writer.TryComplete();
        await _stop.CancelAsync();
        await _sender.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    /// <summary>Decides what each webhook is due, from the engine's current findings, and queues it.</summary>
    public void Evaluate()
    {
        var findings = _engine.Current.All;
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            for (var i = 0; i < _hooks.Count; i++)
            {
                var hook = _hooks[i];
                var sent = _sent[i];
                var min = MinSeverity(hook.MinSeverity);
                var current = findings.Where(f => f.Severity <= min).ToList();
                var due = current.Where(f => !sent.TryGetValue(f.Id, out var at) || now - at >= hook.RepeatInterval).ToList();
                var ids = current.Select(f => f.Id).ToHashSet(StringComparer.Ordinal);
                var ended = sent.Keys.Where(id => !ids.Contains(id)).ToList();
                if (due.Count == 0 && ended.Count == 0)
                {
                    continue;
                }

                foreach (var f in due)
                {
                    sent[f.Id] = now;
                }

                var resolved = ended.Select(id => _lastSeen.GetValueOrDefault(id)).OfType<Finding>().ToList();
                foreach (var id in ended)
                {
                    sent.Remove(id);
                }

                _queue.Writer.TryWrite(new WebhookMessage(i, due, resolved));
            }

            foreach (var f in findings)
            {
                _lastSeen[f.Id] = f;
            }

            foreach (var id in _lastSeen.Keys.Where(id => !_sent.Any(s => s.ContainsKey(id)) && findings.All(f => f.Id != id)).ToList())
            {
                _lastSeen.Remove(id);
            }
        }
    }

    private readonly Dictionary<string, Finding> _lastSeen = new(StringComparer.Ordinal);

    /// <summary>The body a webhook gets for a message, in its format.</summary>
    public static HttpContent Body(WebhookFormat format, WebhookMessage message, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (format == WebhookFormat.Slack)
        {
            var text = new StringBuilder();
            foreach (var f in message.Firing)
            {
                text.Append(f.Severity == FindingSeverity.Critical ? ":red_circle: " : ":large_orange_circle: ")
                    .Append('[').Append(FindingsApi.Severity(f.Severity)).Append("] ").Append(f.Summary).Append('\n');
            }

            foreach (var f in message.Resolved)
            {
                text.Append(":white_check_mark: resolved: ").Append(f.Summary).Append('\n');
            }

            return JsonContent.Create(new SlackMessageDto(text.ToString().TrimEnd('\n')), ApiJsonContext.Default.SlackMessageDto);
        }

        return JsonContent.Create(new WebhookPayloadDto("ciliumdash", now, message.Firing.Select(FindingsApi.ToDto).ToList(), message.Resolved.Select(FindingsApi.ToDto).ToList()),
            ApiJsonContext.Default.WebhookPayloadDto);
    }

    public void Dispose()
    {
        _subscription?.Dispose();
        _repeat.Dispose();
        _stop.Cancel();
        _stop.Dispose();
        _http.Dispose();
    }

    private static FindingSeverity MinSeverity(string word) => word switch
    {
        "warning" => FindingSeverity.Warning,
        "info" => FindingSeverity.Info,
        _ => FindingSeverity.Critical,
    };

    private async Task SendLoopAsync(CancellationToken ct)
    {
        try
        {
            await foreach (var message in _queue.Reader.ReadAllAsync(ct))
            {
                await SendAsync(message, ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    private async Task SendAsync(WebhookMessage message, CancellationToken ct)
    {
        var hook = _hooks[message.Webhook];
        var name = Describe(message.Webhook, hook.Url);
        try
        {
            using var response = await _retry.ExecuteAsync(async token =>
            {
                using var body = Body(hook.Format, message, _time.GetUtcNow());
                return await _http.PostAsync(new Uri(hook.Url!), body, token);
            }, ct);
            if (response.IsSuccessStatusCode)
            {
                Interlocked.Increment(ref _delivered);
                return;
            }

            Interlocked.Increment(ref _failed);
            LogRejected(_log, name, (int)response.StatusCode, message.Firing.Count, message.Resolved.Count);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            Interlocked.Increment(ref _failed);
            // The exception's message, never the exception: nothing of the request URI goes into the log.
            LogFailed(_log, name, Redact(ex.Message, hook.Url), message.Firing.Count, message.Resolved.Count);
        }
    }

    /// <summary>Takes the URL (and its path) out of an error text, should a handler ever put it there.</summary>
    public static string Redact(string text, string? url)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var u))
        {
            return text;
        }

        text = text.Replace(url!, "<webhook url>", StringComparison.Ordinal);
        return u.PathAndQuery.Length > 1 ? text.Replace(u.PathAndQuery, "/<redacted>", StringComparison.Ordinal) : text;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Webhook} answered {Status} after retries; {Firing} firing and {Resolved} resolved findings not delivered")]
    private static partial void LogRejected(ILogger logger, string webhook, int status, int firing, int resolved);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Webhook} could not be reached after retries ({Error}); {Firing} firing and {Resolved} resolved findings not delivered")]
    private static partial void LogFailed(ILogger logger, string webhook, string error, int firing, int resolved);
}

/// <summary>Registers the notifier when webhooks are configured.</summary>
public static class WebhookHosting
{
    public static IServiceCollection AddWebhooks(this IServiceCollection services, NotifyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Webhooks.Count == 0)
        {
            return services;
        }

#pragma warning disable CA2000 // the notifier owns the handler through its HttpClient and disposes it
        services.AddSingleton(sp => new WebhookNotifier(
            sp.GetRequiredService<FindingsEngine>(),
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<CiliumDashOptions>>().Value.Notify.Webhooks,
            new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) },
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<WebhookNotifier>>()));
#pragma warning restore CA2000
        services.AddHostedService(sp => sp.GetRequiredService<WebhookNotifier>());
        return services;
    }
}
