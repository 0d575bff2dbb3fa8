using System.Text.Json;
using System.Text.RegularExpressions;
using CiliumDash.Configuration;
using CiliumDash.Hosting;
using CiliumDash.Testing;
using Serilog.Events;
using Serilog.Parsing;

namespace CiliumDash.Tests.Hosting;

/// <summary>The app's log as it writes it: a request path that carries a line break can never start a line of its own.</summary>
public sealed partial class LogFormatTests
{
    private const string ForgedPath = "/%0A[02:12:17%20ERR]%20fake%20admin%20login";

    [Fact]
    public async Task JsonLog_ForgedRequestPath_StaysInsideOneJsonEventLine()
    {
        const string token = "json-log-token-never-logged";
        using var log = new LogCapture();
        using var server = new DashboardServer(
            new Dictionary<string, string?>
            {
                ["CiliumDash:Logging:Format"] = "Json",
                ["CiliumDash:Auth:Mode"] = "Token",
                ["CiliumDash:Auth:Token"] = token,
                ["Serilog:MinimumLevel:Default"] = "Debug",
            },
            log.Register);
        using var handler = new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false };
        using var client = new HttpClient(handler) { BaseAddress = server.BaseAddress };

        await client.GetAsync(ForgedPath);
        using var bearer = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/nodes?note={token}") { Headers = { { "Authorization", $"Bearer {token}" } } };
        await client.SendAsync(bearer);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = token });
        await client.PostAsync("/login", form);
        await Eventually.True(() => log.Lines.Any(l => l.Contains("/login", StringComparison.Ordinal)), "the request log line for /login");

        var events = log.Lines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.All(events, e => Assert.True(e.TryGetProperty("@t", out _)));
        Assert.Contains(events, e => e.TryGetProperty("RequestPath", out var path) && path.GetString() == "/\n[02:12:17 ERR] fake admin login");
        Assert.DoesNotContain(log.Lines, l => l.Contains(token, StringComparison.Ordinal) || l.Contains("Authorization", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task TextLog_ForgedRequestPath_EscapedOnTheRequestsOwnLine()
    {
        using var log = new LogCapture();
        using var server = new DashboardServer(
            new Dictionary<string, string?> { ["CiliumDash:Logging:Format"] = "Text", ["Serilog:MinimumLevel:Override:Serilog.AspNetCore.RequestLoggingMiddleware"] = "Information" },
            log.Register);
        using var client = server.CreateLoopbackClient();

        await client.GetAsync(ForgedPath);
        await Eventually.True(() => log.Lines.Any(l => l.Contains("fake admin login", StringComparison.Ordinal)), "the request log line of the forged path");

        Assert.All(log.Lines, l => Assert.True(EventLine().IsMatch(l) || l.StartsWith("    ", StringComparison.Ordinal), $"not an event line: {l}"));
        Assert.DoesNotContain(log.Lines, l => l.StartsWith("[02:12:17 ERR]", StringComparison.Ordinal));
        Assert.Contains(log.Lines, l => l.Contains("HTTP GET /\\n[02:12:17 ERR] fake admin login responded 404", StringComparison.Ordinal));
    }

    [Fact]
    public void TextFormatter_ExceptionAndControlCharacters_NeverStartALine()
    {
        var template = new MessageTemplateParser().Parse("Pod {Pod} failed");
        var exception = new InvalidOperationException("bad\n[02:12:17 ERR] fake");
        var logEvent = new LogEvent(DateTimeOffset.UnixEpoch, LogEventLevel.Warning, exception, template,
            [new LogEventProperty("Pod", new ScalarValue("cilium-x\r\n[02:12:17 INF] \u001b[31mred\u2028"))]);
        using var output = new StringWriter();

        new EscapedTextFormatter().Format(logEvent, output);

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("[00:00:00 WRN] Pod cilium-x\\r\\n[02:12:17 INF] \\u001b[31mred\\u2028 failed", lines[0]);
        Assert.All(lines.Skip(1), l => Assert.StartsWith("    ", l, StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("bad", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(LogFormat.Auto, true, LogFormat.Json)]
    [InlineData(LogFormat.Auto, false, LogFormat.Text)]
    [InlineData(LogFormat.Text, true, LogFormat.Text)]
    [InlineData(LogFormat.Json, false, LogFormat.Json)]
    public void Resolve_OutputRedirectedOrTerminal_JsonUnlessATerminalOrConfigured(LogFormat configured, bool redirected, LogFormat expected) =>
        Assert.Equal(expected, LogSetup.Resolve(configured, redirected));

    [GeneratedRegex(@"^\[\d\d:\d\d:\d\d (VRB|DBG|INF|WRN|ERR|FTL)\] ")]
    private static partial Regex EventLine();
}
