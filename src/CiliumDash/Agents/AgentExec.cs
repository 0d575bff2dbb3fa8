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

        // The demuxer's streams do not observe the token: aborting the socket is what ends an exec that never answers.
        using var abort = ct.Register(static s => ((WebSocket)s!).Abort(), socket);
        using var demuxer = new StreamDemuxer(socket, StreamType.RemoteCommand, ownsSocket: false);
        using var stdout = demuxer.GetStream(ChannelIndex.StdOut, null);
        using var stderr = demuxer.GetStream(ChannelIndex.StdErr, null);
        using var error = demuxer.GetStream(ChannelIndex.Error, null);
        demuxer.Start();

        var outTask = ReadCappedAsync(stdout, maxStdoutBytes, ct);
        var errTask = ReadCappedAsync(stderr, 64 * 1024, ct);

        // The status on channel 3 is the last thing the server sends; close then instead of waiting for the server
        // to hang up (some servers wait for the client's close so that no output is lost).
        try
        {
            var statusBytes = await ReadStatusAsync(error, ct);
            await CloseQuietlyAsync(socket, ct);
            await Task.WhenAll(outTask, errTask);
            ct.ThrowIfCancellationRequested();
            return Finish(outTask.Result, errTask.Result, statusBytes, command, maxStdoutBytes);
        }
        catch (Exception) when (ct.IsCancellationRequested)
        {
            throw new OperationCanceledException(ct);
        }
    }

    private static ExecOutput Finish((byte[] Bytes, bool Truncated) stdout, (byte[] Bytes, bool Truncated) stderr, byte[] statusBytes, IReadOnlyList<string> command, int maxStdoutBytes)
    {
        var (outBytes, outTruncated) = stdout;
        if (outTruncated)
        {
            throw new AgentExecException($"'{string.Join(' ', command)}' printed more than {maxStdoutBytes:N0} bytes; refused");
        }

        var stderrText = Encoding.UTF8.GetString(stderr.Bytes).Trim();
        var statusJson = Encoding.UTF8.GetString(statusBytes);
        return new ExecOutput(ExitCode(statusJson, command, stderrText), outBytes, stderrText);
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

    /// <summary>Reads channel 3 until it holds one complete JSON status (or the stream ends).</summary>
    private static async Task<byte[]> ReadStatusAsync(Stream stream, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[4096];
        int read;
        while (buffer.Length < 64 * 1024 && (read = await stream.ReadAsync(chunk, ct)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (IsCompleteJson(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)))
            {
                break;
            }
        }

        return buffer.ToArray();
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

    private static async Task CloseQuietlyAsync(WebSocket socket, CancellationToken ct)
    {
        try
        {
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, ct);
            }
        }
        catch (WebSocketException)
        {
            // already gone: the reads below end either way
        }
    }

    private static async Task<(byte[] Bytes, bool Truncated)> ReadCappedAsync(Stream stream, int max, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > max)
            {
                return (buffer.ToArray(), true);
            }

            buffer.Write(chunk, 0, read);
        }

        return (buffer.ToArray(), false);
    }
}
