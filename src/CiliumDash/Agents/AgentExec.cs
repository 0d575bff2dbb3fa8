using System.Net.WebSockets;
using System.Text;
using k8s;
using k8s.Models;

namespace CiliumDash.Agents;

/// <summary>A failed exec, with the message the user sees on the node (never a token or header).</summary>
public sealed class AgentExecException(string message, bool binaryMissing = false) : Exception(message)
{
    /// <summary>The command's binary is not in the image (e.g. cilium-dbg on a pre-1.15 agent).</summary>
    public bool BinaryMissing { get; } = binaryMissing;
}

public sealed record ExecOutput(int ExitCode, byte[] Stdout, string Stderr);

/// <summary>
/// Runs one fixed command in an agent container over the Kubernetes exec WebSocket. Speaks
/// <c>v5.channel.k8s.io</c> and falls back to <c>v4.channel.k8s.io</c> once for API servers older than 1.30.
/// </summary>
public sealed class AgentExec(IKubernetes client)
{
    private const string V5 = "v5.channel.k8s.io";
    private const string V4 = "v4.channel.k8s.io";
    private volatile bool _v4Only;

    public async Task<ExecOutput> RunAsync(string ns, string pod, string container, IReadOnlyList<string> command, int maxStdoutBytes, CancellationToken ct)
    {
        using var socket = await ConnectAsync(ns, pod, container, command, ct);
        try
        {
            var channels = await ReceiveChannelsAsync(socket, maxStdoutBytes, ct);
            if (channels.StdoutTruncated)
            {
                // Refused: the rest of the document is not wanted, so the connection is dropped rather than drained.
                socket.Abort();
            }
            else
            {
                await CloseAsync(socket, ct);
            }

            return Finish(channels, command, maxStdoutBytes);
        }
        catch (Exception) when (ct.IsCancellationRequested)
        {
            throw new OperationCanceledException(ct);
        }
    }

    /// <summary>
    /// Reads the exec's messages straight off the WebSocket: each one starts with its channel's byte (1 stdout,
    /// 2 stderr, 3 the status). KubernetesClient's StreamDemuxer is not used on purpose: its streams only read
    /// synchronously, so every pending read holds a thread-pool thread, and 32 concurrent execs starved the pool that
    /// the circuits and the hub share (docs/benchmarks.md §4: whole seconds with the process idle mid-cycle).
    /// The status is the last thing the server sends, so reading stops there.
    /// </summary>
    private static async Task<Channels> ReceiveChannelsAsync(WebSocket socket, int maxStdoutBytes, CancellationToken ct)
    {
        var channels = new Channels(maxStdoutBytes);
        var buffer = new byte[16 * 1024];
        MemoryStream? current = null;
        var atMessageStart = true;
        while (true)
        {
            var received = await socket.ReceiveAsync(buffer, ct);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                return channels;
            }

            var data = buffer.AsSpan(0, received.Count);
            if (atMessageStart && data.Length > 0)
            {
                current = channels.For(data[0]);
                data = data[1..];
                atMessageStart = false;
            }

            if (current is not null)
            {
                var room = channels.Limit(current) - current.Length;
                if (data.Length > room && current == channels.Stdout)
                {
                    channels.StdoutTruncated = true;
                    return channels;
                }

                current.Write(data[..(int)Math.Min(data.Length, room)]);
            }

            if (received.EndOfMessage)
            {
                atMessageStart = true;
                if (current == channels.Status && IsCompleteJson(channels.Status.GetBuffer().AsSpan(0, (int)channels.Status.Length)))
                {
                    return channels;
                }
            }
        }
    }

    /// <summary>What the exec printed, per channel; stderr and the status are capped at 64 KB, stdout by the caller.</summary>
    private sealed class Channels(int maxStdoutBytes)
    {
        private const int SideChannelLimit = 64 * 1024;

        public MemoryStream Stdout { get; } = new();

        public MemoryStream Stderr { get; } = new();

        public MemoryStream Status { get; } = new();

        public bool StdoutTruncated { get; set; }

        public MemoryStream? For(byte channel) => (ChannelIndex)channel switch
        {
            ChannelIndex.StdOut => Stdout,
            ChannelIndex.StdErr => Stderr,
            ChannelIndex.Error => Status,
            _ => null,
        };

        public long Limit(MemoryStream channel) => channel == Stdout ? maxStdoutBytes : SideChannelLimit;
    }

    private static ExecOutput Finish(Channels channels, IReadOnlyList<string> command, int maxStdoutBytes)
    {
        if (channels.StdoutTruncated)
        {
            throw new AgentExecException($"'{string.Join(' ', command)}' printed more than {maxStdoutBytes:N0} bytes; refused");
        }

        var stderrText = Encoding.UTF8.GetString(channels.Stderr.GetBuffer(), 0, (int)channels.Stderr.Length).Trim();
        var statusJson = Encoding.UTF8.GetString(channels.Status.GetBuffer(), 0, (int)channels.Status.Length);
        return new ExecOutput(ExitCode(statusJson, command, stderrText), channels.Stdout.ToArray(), stderrText);
    }

    private async Task<WebSocket> ConnectAsync(string ns, string pod, string container, IReadOnlyList<string> command, CancellationToken ct)
    {
        if (!_v4Only)
        {
            try
            {
                return await client.WebSocketNamespacedPodExecAsync(pod, ns, command, container, stderr: true, stdin: false, stdout: true, tty: false,
                    webSocketSubProtocol: V5, cancellationToken: ct);
            }
            catch (WebSocketException) when (!ct.IsCancellationRequested)
            {
                // API servers before 1.30 do not offer v5; remember it so every later exec goes straight to v4.
                _v4Only = true;
            }
        }

        return await client.WebSocketNamespacedPodExecAsync(pod, ns, command, container, stderr: true, stdin: false, stdout: true, tty: false,
            webSocketSubProtocol: V4, cancellationToken: ct);
    }

    private static int ExitCode(string statusJson, IReadOnlyList<string> command, string stderr)
    {
        if (string.IsNullOrWhiteSpace(statusJson))
        {
            throw new AgentExecException($"'{string.Join(' ', command)}': the API server closed the exec stream without a status");
        }

        V1Status status;
        try
        {
            status = KubernetesJson.Deserialize<V1Status>(statusJson);
        }
        catch (System.Text.Json.JsonException)
        {
            throw new AgentExecException($"'{string.Join(' ', command)}': unreadable exec status from the API server");
        }

        if (status.Status == "Success")
        {
            return 0;
        }

        if (status.Reason == "NonZeroExitCode" && int.TryParse(status.Details?.Causes?.FirstOrDefault(c => c.Reason == "ExitCode")?.Message, out var code))
        {
            return code;
        }

        var message = status.Message ?? "exec failed";
        var missing = message.Contains("executable file not found", StringComparison.Ordinal) || message.Contains("no such file or directory", StringComparison.Ordinal);
        throw new AgentExecException(stderr.Length > 0 ? $"{message}: {stderr}" : message, missing);
    }

    private static bool IsCompleteJson(ReadOnlySpan<byte> bytes)
    {
        var reader = new System.Text.Json.Utf8JsonReader(bytes, isFinalBlock: false, state: default);
        try
        {
            if (!reader.Read())
            {
                return false;
            }

            return reader.TokenType != System.Text.Json.JsonTokenType.StartObject || reader.TrySkip();
        }
        catch (System.Text.Json.JsonException)
        {
            return true;   // not JSON at all: let the status parser report it
        }
    }

    /// <summary>
    /// Closes our side once the status is in, then reads until the server's close (as the demuxer's reads did): some
    /// servers wait for the client's close so that no output is lost.
    /// </summary>
    private static async Task CloseAsync(WebSocket socket, CancellationToken ct)
    {
        try
        {
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, ct);
            }

            var drain = new byte[4096];
            while (socket.State == WebSocketState.CloseSent && (await socket.ReceiveAsync(drain, ct)).MessageType != WebSocketMessageType.Close)
            {
                // output after the status, or the rest of a refused document
            }
        }
        catch (WebSocketException)
        {
            // already gone: nothing more to read
        }
    }
}
