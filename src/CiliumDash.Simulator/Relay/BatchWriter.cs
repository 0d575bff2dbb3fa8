using CiliumDash.Protocols.Hubble.ObserverApi;
using Grpc.Core;

namespace CiliumDash.Simulator.Relay;

/// <summary>
/// Writes a run of responses with the buffer hint and flushes only with the last one, so a batch of thousands of
/// flows costs one network flush instead of one per flow. It holds back one message to know which is last.
/// </summary>
internal sealed class BatchWriter(IServerStreamWriter<GetFlowsResponse> stream, CancellationToken ct)
{
    private static readonly WriteOptions Buffered = new(WriteFlags.BufferHint);

    private GetFlowsResponse? _held;

    public async Task WriteAsync(GetFlowsResponse response)
    {
        if (_held is { } previous)
        {
            stream.WriteOptions = Buffered;
            await stream.WriteAsync(previous, ct);
        }

        _held = response;
    }

    public async Task FlushAsync()
    {
        if (_held is { } last)
        {
            _held = null;
            stream.WriteOptions = WriteOptions.Default;
            await stream.WriteAsync(last, ct);
        }
    }
}
