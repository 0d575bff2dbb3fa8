using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using CiliumDash.Simulator.Cluster;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CiliumDash.Simulator.Kubernetes;

/// <summary>
/// <c>pods/exec</c> over WebSocket with the channel protocols <c>v5.channel.k8s.io</c> and <c>v4.channel.k8s.io</c>:
/// every message is one stream id byte (1 stdout, 2 stderr, 3 error/status) followed by payload. The older
/// protocols (no status on channel 3) are refused, since their clients cannot learn the exit code.
/// </summary>
internal static class PodExec
{
    public const string V5 = "v5.channel.k8s.io";
    public const string V4 = "v4.channel.k8s.io";

    private const byte StdoutChannel = 1;
    private const byte StderrChannel = 2;
    private const byte ErrorChannel = 3;
    private const int FrameSize = 64 * 1024;

    /// <summary>
    /// How long to wait for the client's close frame after ours. Ending the request sooner aborts the connection, and
    /// the client's kernel then drops output it has not read yet.
    /// </summary>
    private static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(5);

    private static readonly byte[] Success = """{"metadata":{},"status":"Success"}"""u8.ToArray();

    public static async Task HandleAsync(HttpContext context)
    {
        var objects = context.RequestServices.GetRequiredService<ClusterObjects>();
        var cluster = objects.Cluster;
        var ns = context.Request.RouteValues["ns"] as string ?? "";
        var name = context.Request.RouteValues["name"] as string ?? "";
        var query = context.Request.Query;
        if (objects.FindPod(ns, name) is not { } pod)
        {
            await KubeStatus.NotFound("pods", name).WriteAsync(context);
            return;
        }

        if (ns != SimulatedCluster.CiliumNamespace || cluster.FindNodeByAgentPod(name) is not { } node)
        {
            await KubeStatus.BadRequest($"the simulated cluster only runs commands in cilium agent pods; {ns}/{name} is not one").WriteAsync(context);
            return;
        }

        var command = query["command"].OfType<string>().ToList();
        var container = query["container"].FirstOrDefault();
        if (command.Count == 0)
        {
            await KubeStatus.BadRequest("you must specify at least 1 command").WriteAsync(context);
            return;
        }

        if (!string.IsNullOrEmpty(container) && container != pod.Container)
        {
            await KubeStatus.BadRequest($"container {container} is not valid for pod {name}").WriteAsync(context);
            return;
        }

        var stdout = IsTrue(query["stdout"]);
        var stderr = IsTrue(query["stderr"]);
        if (!stdout && !stderr && !IsTrue(query["stdin"]))
        {
            await KubeStatus.BadRequest("you must specify at least one of stdin, stdout, stderr").WriteAsync(context);
            return;
        }

        var crashLooping = objects.IsCrashLooping(pod);
        var containerGone = KubeStatus.InternalError($"unable to upgrade connection: container not found (\"{pod.Container}\")");
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await (crashLooping ? containerGone : KubeStatus.BadRequest("Upgrade request required")).WriteAsync(context);
            return;
        }

        var offered = context.WebSockets.WebSocketRequestedProtocols;
        var protocol = offered.Contains(V5) ? V5 : offered.Contains(V4) ? V4 : null;
        if (protocol is null)
        {
            await KubeStatus.BadRequest($"unsupported exec subprotocol [{string.Join(", ", offered)}]; this server speaks {V5} and {V4}").WriteAsync(context);
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync(protocol);
        using var clientGone = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        var reader = DrainClientAsync(socket, clientGone);
        objects.ExecStarted();
        try
        {
            var status = crashLooping
                ? containerGone.ToExecErrorJson()
                : await RunAsync(socket, cluster, node, command, stdout, stderr, clientGone.Token);
            await SendAsync(socket, ErrorChannel, status, clientGone.Token);
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, clientGone.Token);

            // KubernetesClient's MuxedStreamNamespacedPodExecAsync never answers (its demuxer does not own the socket),
            // so the wait is bounded, and cut short when the host stops.
            var stopping = context.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
            await reader.WaitAsync(CloseGrace, TimeProvider.System, stopping);
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or TimeoutException)
        {
            // The client went away, never closed, or the host is stopping: nothing left to tell it.
        }
        finally
        {
            await clientGone.CancelAsync();
            await reader;
            objects.ExecEnded();
        }
    }

    private static async Task<byte[]> RunAsync(
        WebSocket socket, SimulatedCluster cluster, SimNode node, List<string> command, bool stdout, bool stderr, CancellationToken ct)
    {
        var result = await cluster.ExecAsync(node, command, ct);
        if (result.StartFailure is { } failure)
        {
            var detail = $"error executing command in container: failed to exec in container: failed to start exec \"{ExecId(node, command)}\": {failure}";
            return KubeStatus.InternalError(detail).ToExecErrorJson();
        }

        if (stdout)
        {
            await SendTextAsync(socket, StdoutChannel, result.Stdout, ct);
        }

        if (stderr)
        {
            await SendTextAsync(socket, StderrChannel, result.Stderr, ct);
        }

        return result.ExitCode == 0 ? Success : NonZeroExit(command, result.ExitCode);
    }

    private static byte[] NonZeroExit(List<string> command, int exitCode) => KubeJson.Render(w =>
    {
        var code = exitCode.ToString(System.Globalization.CultureInfo.InvariantCulture);
        w.WriteStartObject();
        w.WriteStartObject("metadata");
        w.WriteEndObject();
        w.WriteString("status", "Failure");
        w.WriteString("message", $"command terminated with non-zero exit code: error executing command [{string.Join(' ', command)}], exit code {code}");
        w.WriteString("reason", "NonZeroExitCode");
        w.WriteStartObject("details");
        w.WriteStartArray("causes");
        w.WriteStartObject();
        w.WriteString("reason", "ExitCode");
        w.WriteString("message", code);
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndObject();
    });

    private static async Task SendTextAsync(WebSocket socket, byte channel, string text, CancellationToken ct)
    {
        if (text.Length > 0)
        {
            await SendAsync(socket, channel, Encoding.UTF8.GetBytes(text), ct);
        }
    }

    /// <summary>Each frame is a whole message starting with the channel byte: clients read the id from every message.</summary>
    private static async Task SendAsync(WebSocket socket, byte channel, ReadOnlyMemory<byte> payload, CancellationToken ct)
    {
        var frame = new byte[Math.Min(payload.Length, FrameSize) + 1];
        frame[0] = channel;
        do
        {
            var chunk = payload[..Math.Min(payload.Length, FrameSize)];
            chunk.CopyTo(frame.AsMemory(1));
            await socket.SendAsync(frame.AsMemory(0, chunk.Length + 1), WebSocketMessageType.Binary, endOfMessage: true, ct);
            payload = payload[chunk.Length..];
        }
        while (!payload.IsEmpty);
    }

    /// <summary>
    /// Reads (and ignores) what the client sends — stdin and v5 close signals (255, stream id) — so that its close frame
    /// or disconnect is noticed, which cancels a command that is still running.
    /// </summary>
    private static async Task DrainClientAsync(WebSocket socket, CancellationTokenSource clientGone)
    {
        var buffer = new byte[1024];
        try
        {
            while (true)
            {
                var received = await socket.ReceiveAsync(buffer, clientGone.Token);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            // Disconnected or cancelled: either way the client is gone.
        }

        await clientGone.CancelAsync();
    }

    private static string ExecId(SimNode node, List<string> command) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes($"{node.Name}/{string.Join(' ', command)}")));

    private static bool IsTrue(string? value) => value is "true" or "1" or "True";
}
