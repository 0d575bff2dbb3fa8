using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace CiliumDash.Simulator.Documents;

/// <summary>
/// Serializes a wire model the way Cilium's CLIs print one (2-space indent, "\n", quotes escaped as <c>\"</c>), into a
/// per-thread buffer that is reused across calls: the simulator renders thousands of documents per poll round and a
/// health document of a 2,000-node cluster is half a megabyte.
/// </summary>
internal static class JsonDocumentWriter
{
    // Relaxed escaping keeps '"' as \" and '+' literal like Go's encoder; our strings never hold <, > or &.
    private static readonly JsonWriterOptions Options = new()
    {
        Indented = true,
        IndentSize = 2,
        NewLine = "\n",
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    public static string Write<T>(T document, JsonTypeInfo<T> type)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(16 * 1024);
        buffer.ResetWrittenCount();
        var writer = t_writer ??= new Utf8JsonWriter(buffer, Options);
        writer.Reset(buffer);
        try
        {
            JsonSerializer.Serialize(writer, document, type);
            writer.Flush();
            return Encoding.UTF8.GetString(buffer.WrittenSpan);
        }
        finally
        {
            writer.Reset();
        }
    }
}
