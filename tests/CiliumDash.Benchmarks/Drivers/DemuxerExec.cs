using k8s;

namespace CiliumDash.Benchmarks.Drivers;

/// <summary>
/// The baseline for exec-ab: how AgentExec read an exec before the third session, through KubernetesClient's
/// StreamDemuxer. Its streams only read synchronously, so each pending ReadAsync holds a thread-pool thread.
/// </summary>
internal sealed class DemuxerExec(IKubernetes client)
{
    public async Task<(byte[] Stdout, byte[] Status)> RunAsync(string ns, string pod, string container, IReadOnlyList<string> command, CancellationToken ct)
    {
        using var socket = await client.WebSocketNamespacedPodExecAsync(pod, ns, command, container, stderr: true, stdin: false, stdout: true, tty: false,
            webSocketSubProtocol: "v5.channel.k8s.io", cancellationToken: ct);
        using var demuxer = new StreamDemuxer(socket, StreamType.RemoteCommand, ownsSocket: false);
        using var stdout = demuxer.GetStream(ChannelIndex.StdOut, null);
        using var stderr = demuxer.GetStream(ChannelIndex.StdErr, null);
        using var error = demuxer.GetStream(ChannelIndex.Error, null);
        demuxer.Start();
        var outTask = ReadAllAsync(stdout, ct);
        var errTask = ReadAllAsync(stderr, ct);
        var status = await ReadAllAsync(error, ct);
        await Task.WhenAll(outTask, errTask);
        return (outTask.Result, status);
    }

    // Each stream ends when the server closes the socket after the status (the stand-in closes its side first).
    private static async Task<byte[]> ReadAllAsync(Stream stream, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, ct);
        return buffer.ToArray();
    }
}
