using System.Buffers.Binary;
using System.Net;
using System.Text;
using CiliumDash.Protocols.Hubble.ObserverApi;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace CiliumDash.Benchmarks.Drivers;

/// <summary>
/// A GetFlows follow stream as fast as the client reads: the simulator's own messages, recorded by the relay-ingest
/// driver, served over and over from their wire bytes (gRPC framing on Kestrel's HTTP/2, no serialization). Each copy
/// gets a fresh UUID patched into its bytes, so the client's deduplicator sees new flows. It runs as its own process
/// (<c>relay-replay-server --port P --messages FILE</c>) so that its CPU is not the client's.
/// </summary>
internal static class ReplayRelayServer
{
    public const string Command = "relay-replay-server";

    public const string Dll = "tests/CiliumDash.Benchmarks/bin/Release/net10.0/CiliumDash.Benchmarks.dll";

    /// <summary>A UUID-shaped marker whose last 12 hex digits are overwritten with a counter per copy sent.</summary>
    private const string Marker = "5eed0000-0000-4000-8000-000000000000";

    private const int ChunkBytes = 64 * 1024;

    public static async Task<int> RunAsync(DriverArguments args)
    {
        var port = args.Int("port", 0);
        var file = args.Text("messages") ?? throw new ArgumentException("--messages FILE is required");
        args.RejectUnknown();

        var messages = Load(file);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port, l => l.Protocols = HttpProtocols.Http2));
        var app = builder.Build();
        app.MapPost("/observer.Observer/GetFlows", (HttpContext context) => ServeAsync(context, messages));
        Console.WriteLine($"serving {messages.Length:N0} recorded messages on 127.0.0.1:{port}");
        await app.RunAsync();
        return 0;
    }

    /// <summary>Writes the recorded messages for <see cref="RunAsync"/>: each as a 4-byte length and its bytes.</summary>
    public static void Save(string file, IReadOnlyList<byte[]> messages)
    {
        using var output = File.Create(file);
        Span<byte> length = stackalloc byte[4];
        foreach (var message in messages)
        {
            BinaryPrimitives.WriteInt32LittleEndian(length, message.Length);
            output.Write(length);
            output.Write(message);
        }
    }

    private static Recorded[] Load(string file)
    {
        var bytes = File.ReadAllBytes(file);
        var marker = Encoding.ASCII.GetBytes(Marker);
        var list = new List<Recorded>();
        for (var at = 0; at < bytes.Length;)
        {
            var length = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(at));
            var response = GetFlowsResponse.Parser.ParseFrom(bytes.AsSpan(at + 4, length));
            at += 4 + length;
            if (response.Flow is null)
            {
                continue;
            }

            response.Flow.Uuid = Marker;
            var encoded = response.ToByteArray();
            list.Add(new Recorded(encoded, encoded.AsSpan().IndexOf(marker) + Marker.Length - 12));
        }

        return [.. list];
    }

    private static async Task ServeAsync(HttpContext context, Recorded[] messages)
    {
        context.Response.ContentType = "application/grpc";
        context.Response.DeclareTrailer("grpc-status");
        await context.Request.Body.CopyToAsync(Stream.Null, context.RequestAborted);
        var writer = context.Response.BodyWriter;
        var ct = context.RequestAborted;
        long copy = 0;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                // Fill about 64 KB of frames, then flush: Kestrel's flow control makes this wait while the client is behind.
                var written = 0;
                while (written < ChunkBytes)
                {
                    var message = messages[copy % messages.Length];
                    var span = writer.GetSpan(5 + message.Bytes.Length);
                    span[0] = 0;
                    BinaryPrimitives.WriteUInt32BigEndian(span[1..], (uint)message.Bytes.Length);
                    message.Bytes.CopyTo(span[5..]);
                    Hex12(copy++, span.Slice(5 + message.UuidTail, 12));
                    writer.Advance(5 + message.Bytes.Length);
                    written += 5 + message.Bytes.Length;
                }

                await writer.FlushAsync(ct);
            }
        }
        catch (OperationCanceledException)
        {
            // the client ended the stream
        }

        context.Response.AppendTrailer("grpc-status", "0");
    }

    private static void Hex12(long value, Span<byte> target)
    {
        for (var i = 11; i >= 0; i--)
        {
            target[i] = (byte)"0123456789abcdef"[(int)(value & 0xF)];
            value >>= 4;
        }
    }

    private sealed record Recorded(byte[] Bytes, int UuidTail);
}
